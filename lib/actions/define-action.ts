import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/append";
import { isAllowed, type ActionKey } from "@/lib/auth/access-table";
import { clientInfo } from "@/lib/auth/client-info";
import { getCurrentUser, type CurrentUser } from "@/lib/auth/session";
import type { ActorContext } from "@/lib/core/actor";
import type { ActionResult } from "./result";
import { UserFacingError } from "@/lib/core/errors";

export type ActionContext = ActorContext<CurrentUser>;

function formToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of form.entries()) {
    if (k.startsWith("$ACTION")) continue;
    out[k] = typeof v === "string" ? v : v.name;
  }
  return out;
}

/**
 * Every server action goes through here: authorize from the access table (auditing refusals), validate
 * with zod (field errors, nothing thrown), run, and turn unexpected errors into a generic message with an
 * id that is also logged. Server actions are public POST endpoints, so this is the only gate.
 * A "use server" file exports the result directly (`export const xAction = defineAction(...)`): it is an async
 * function, the only kind of export such a file may have. Route handlers have the same gate in lib/routes/define-route.ts.
 */
export function defineAction<S extends z.ZodType, T>(
  key: ActionKey,
  schema: S,
  handler: (input: z.infer<S>, ctx: ActionContext) => Promise<ActionResult<T>>,
) {
  return async function action(_prev: unknown, payload: FormData | z.input<S>): Promise<ActionResult<T>> {
    const client = await clientInfo();
    const user = await getCurrentUser();
    if (!user || !isAllowed(key, user.role)) {
      await recordAudit({
        actor: user,
        action: key,
        target: { type: "action", id: key },
        outcome: "denied",
        details: { role: user?.role ?? "anonymous" },
        client,
      });
      return { ok: false, error: user ? "Your role does not allow this action." : "Sign in first." };
    }
    if (user.mustChangePassword && key !== "account.changePassword") {
      return { ok: false, error: "Change your generated password first (Account → Change password)." };
    }
    const raw = payload instanceof FormData ? formToObject(payload) : payload;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
      await recordAudit({
        actor: user,
        action: key,
        target: { type: "action", id: key },
        outcome: "failure",
        details: { reason: "validation", fields: Object.keys(fieldErrors) },
        client,
      });
      return { ok: false, error: "Please correct the highlighted fields.", fieldErrors };
    }
    try {
      return await handler(parsed.data, { user, client });
    } catch (e) {
      if (e instanceof UserFacingError) return { ok: false, error: e.message, fieldErrors: e.fieldErrors };
      if (isNextControlFlow(e)) throw e;
      const errorId = randomUUID().slice(0, 8);
      console.error(`[action ${key}] error ${errorId}`, e);
      return { ok: false, error: `Something went wrong (error id ${errorId}). Please try again or report the id.`, errorId };
    }
  };
}

/** redirect() and notFound() work by throwing; they must pass through. */
function isNextControlFlow(e: unknown): boolean {
  const digest = (e as { digest?: unknown })?.digest;
  return typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK"));
}
