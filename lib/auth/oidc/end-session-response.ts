import "server-only";
import { getToken } from "next-auth/jwt";
import { env, oidcEnabled } from "@/lib/config/env";
import { discoverEndSessionEndpoint, endSessionUrl } from "./end-session";

/**
 * GET /api/auth/end-session (answered by app/api/auth/[...nextauth]/route.ts, beside next-auth's own sign-out):
 * where the browser goes after the portal's sign-out (components/sign-out-button.tsx). The IdP's
 * end_session_endpoint with this session's ID token as id_token_hint when the session came from SSO and the
 * provider offers RP-initiated logout; else `{ url: null }` (the portal's sign-in page). Nothing without a session.
 */
export async function endSessionResponse(req: Request): Promise<Response> {
  const answer = (url: string | null) => Response.json({ url }, { headers: { "cache-control": "no-store" } });
  if (!oidcEnabled()) return answer(null);
  const e = env();
  const cookie = req.headers.get("cookie") ?? "";
  const cookies = Object.fromEntries(
    cookie
      .split(/;\s*/)
      .filter(Boolean)
      .map((c) => [c.slice(0, c.indexOf("=")), decodeURIComponent(c.slice(c.indexOf("=") + 1))]),
  );
  const token = await getToken({
    req: { headers: Object.fromEntries(req.headers), cookies } as never,
    secret: e.NEXTAUTH_SECRET,
    secureCookie: (e.NEXTAUTH_URL ?? "").startsWith("https://"),
  });
  if (!token || typeof token.idt !== "string") return answer(null);
  const endpoint = await discoverEndSessionEndpoint(e.OIDC_ISSUER!);
  if (!endpoint) return answer(null);
  const postLogoutRedirectUri = new URL("/signin", e.NEXTAUTH_URL ?? req.url).toString();
  return answer(endSessionUrl(endpoint, { idToken: token.idt, postLogoutRedirectUri, clientId: e.OIDC_CLIENT_ID! }));
}
