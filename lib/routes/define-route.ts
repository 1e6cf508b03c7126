import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/append";
import { requireRoute } from "@/lib/auth/guard";
import { clientInfo } from "@/lib/auth/client-info";
import type { RouteKey } from "@/lib/auth/access-table";
import type { CurrentUser } from "@/lib/auth/session";
import { UserFacingError } from "@/lib/core/errors";
import type { ActionContext } from "@/lib/actions/define-action";
import { jsonError } from "./responses";
import { RouteError } from "./route-error";

type Parsed<S> = S extends z.ZodType ? z.infer<S> : undefined;

/** What a route validates, each with zod: the path's dynamic segments, the query string, a JSON body. */
export interface RouteSpec<P extends z.ZodType | undefined, Q extends z.ZodType | undefined, B extends z.ZodType | undefined> {
  params?: P;
  query?: Q;
  /** A JSON object; the path's segments are merged over its fields before validation (they win). */
  body?: B;
}

export interface RouteInput<P, Q, B> {
  req: Request;
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
}

export interface RouteContext {
  user: CurrentUser;
  /** The signed-in user and the caller's address, as services and audit events take them (read on demand). */
  actor: () => Promise<ActionContext>;
}

/** What Next calls: the request and the dynamic segments of its path. */
export type RouteHandler = (req: Request, ctx?: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/**
 * Every portal route handler goes through here, like server actions through lib/actions/define-action.ts: the
 * access table first (401 / 403, refusals audited by requireRoute), then the query string and the path's segments
 * (400 `{error: "<field>: <message>"}`), then the body when the route takes one (415 unless JSON: a cross-site
 * form cannot send JSON without a CORS preflight, which the portal never answers; 400 for bad JSON; 400 with field
 * errors, audited as a failure like the actions do), then the handler. A RouteError answers its status, a
 * UserFacingError 409 with its message, anything else 500 with an error id that is also logged.
 */
export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(key: RouteKey, spec: RouteSpec<P, Q, B>, handler: (input: RouteInput<P, Q, B>, ctx: RouteContext) => Promise<Response>): RouteHandler {
  return async function route(req, next) {
    const guard = await requireRoute(key);
    if (guard.response) return guard.response;
    const user = guard.user;
    let actorContext: Promise<ActionContext> | undefined;
    const actor = () => (actorContext ??= clientInfo().then((client) => ({ user, client })));
    const rawParams = (await next?.params) ?? {};
    try {
      const query = spec.query ? parseOrThrow(spec.query, Object.fromEntries(new URL(req.url).searchParams.entries())) : undefined;
      const params = spec.params ? parseOrThrow(spec.params, rawParams) : undefined;
      const body = spec.body ? await parseBody(req, key, spec.body, rawParams, actor) : undefined;
      return await handler({ req, params, query, body } as RouteInput<P, Q, B>, { user, actor });
    } catch (e) {
      if (e instanceof RouteError) return jsonError(e.status, e.message, e.extra);
      if (e instanceof UserFacingError) return jsonError(409, e.message, e.fieldErrors ? { fieldErrors: e.fieldErrors } : {});
      const errorId = randomUUID().slice(0, 8);
      console.error(`[route ${key}] error ${errorId}`, e);
      return jsonError(500, `Something went wrong (error id ${errorId}). Please try again or report the id.`, { errorId });
    }
  };
}

/** The first issue as `<field>: <message>` (just the message when it is about the whole object). */
function parseOrThrow<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const where = first?.path.length ? `${first.path.join(".")}: ` : "";
  throw new RouteError(400, `${where}${first?.message ?? "Invalid request."}`);
}

async function parseBody<S extends z.ZodType>(
  req: Request,
  key: RouteKey,
  schema: S,
  fromPath: Record<string, unknown>,
  actor: () => Promise<ActionContext>,
): Promise<z.infer<S>> {
  if (!/^application\/json\b/i.test(req.headers.get("content-type") ?? ""))
    throw new RouteError(415, "Send a JSON body (content-type: application/json).");
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new RouteError(400, "The body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new RouteError(400, "The body must be a JSON object.");
  const parsed = schema.safeParse({ ...body, ...fromPath });
  if (parsed.success) return parsed.data;
  const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
  const { user, client } = await actor();
  await recordAudit({
    actor: user,
    action: key,
    target: { type: "route", id: key },
    outcome: "failure",
    details: { reason: "validation", fields: Object.keys(fieldErrors) },
    client,
  });
  throw new RouteError(400, "Please correct the highlighted fields.", { fieldErrors });
}
