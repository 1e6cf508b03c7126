import "server-only";
import { redirect } from "next/navigation";
import { recordAudit } from "@/lib/audit/append";
import { isAllowed, type PageKey, type RouteKey } from "./access-table";
import { clientInfo } from "./client-info";
import { getCurrentUser, type CurrentUser } from "./session";

/** Where someone still holding a generated password is sent, and the one page (and action) they may use. */
export const CHANGE_PASSWORD_PAGE = "/account/password";

/**
 * First line of every page: anonymous visitors go to sign-in, someone who must change a generated password
 * goes to the change page, signed-in users without the role see the forbidden page, and the refusal is audited.
 */
export async function requirePage(key: PageKey, currentPath?: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(currentPath ?? key)}`);
  if (user.mustChangePassword && key !== CHANGE_PASSWORD_PAGE) redirect(CHANGE_PASSWORD_PAGE);
  if (!isAllowed(key, user.role)) {
    await recordAudit({
      actor: user,
      action: `page.view`,
      target: { type: "page", id: key },
      outcome: "denied",
      details: { role: user.role },
      client: await clientInfo(),
    });
    redirect("/forbidden");
  }
  return user;
}

export type RouteGuardResult = { user: CurrentUser; response?: undefined } | { user?: undefined; response: Response };

/** First line of every route handler: 401 for anonymous callers, 403 (audited) for the wrong role. */
export async function requireRoute(key: RouteKey): Promise<RouteGuardResult> {
  const user = await getCurrentUser();
  if (!user) return { response: Response.json({ error: "Sign in first." }, { status: 401 }) };
  if (user.mustChangePassword)
    return { response: Response.json({ error: `Change your generated password first: ${CHANGE_PASSWORD_PAGE}` }, { status: 403 }) };
  if (!isAllowed(key, user.role)) {
    await recordAudit({
      actor: user,
      action: "route.call",
      target: { type: "route", id: key },
      outcome: "denied",
      details: { role: user.role },
      client: await clientInfo(),
    });
    return { response: Response.json({ error: "Your role does not allow this." }, { status: 403 }) };
  }
  return { user };
}

export { mayRead } from "./may-read";
