import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/append";
import { requireRoute } from "@/lib/auth/guard";
import { clientInfo } from "@/lib/auth/client-info";
import type { RouteKey } from "@/lib/auth/access-table";
import { UserFacingError } from "@/lib/actions/result";
import type { ActionContext } from "@/lib/actions/define-action";
import { jsonError } from "./responses";

/**
 * A command as a JSON route (scripts and drills drive the portal over HTTP; the pages use the server actions):
 * the access table first (401 / 403, refusals audited by requireRoute), a JSON body only (415 otherwise: a
 * cross-site form cannot send one without a CORS preflight, which the portal never answers), zod validation at
 * the boundary (400 with field errors, audited as a failure like the actions do, nothing changed), then the same
 * service function as the action. A UserFacingError answers 409 with its message; anything else 500 with an id.
 */
export async function jsonCommand<S extends z.ZodType>(
  req: Request,
  key: RouteKey,
  schema: S,
  run: (input: z.infer<S>, ctx: ActionContext) => Promise<Response>,
  /** Fields taken from the path (e.g. the onboarding id), which win over the body's. */
  fromPath: Record<string, string> = {},
): Promise<Response> {
  const guard = await requireRoute(key);
  if (guard.response) return guard.response;
  const client = await clientInfo();
  const ctx: ActionContext = { user: guard.user, client };
  if (!/^application\/json\b/i.test(req.headers.get("content-type") ?? "")) return jsonError(415, "Send a JSON body (content-type: application/json).");
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    return jsonError(400, "The body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return jsonError(400, "The body must be a JSON object.");
  const parsed = schema.safeParse({ ...body, ...fromPath });
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
    await recordAudit({ actor: guard.user, action: key, target: { type: "route", id: key }, outcome: "failure", details: { reason: "validation", fields: Object.keys(fieldErrors) }, client });
    return jsonError(400, "Please correct the highlighted fields.", { fieldErrors });
  }
  try {
    return await run(parsed.data, ctx);
  } catch (e) {
    if (e instanceof UserFacingError) return jsonError(409, e.message, e.fieldErrors ? { fieldErrors: e.fieldErrors } : {});
    const errorId = randomUUID().slice(0, 8);
    console.error(`[route ${key}] error ${errorId}`, e);
    return jsonError(500, `Something went wrong (error id ${errorId}). Please try again or report the id.`, { errorId });
  }
}
