/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): where the provider's discovery document names an
 * `end_session_endpoint`, signing out of the portal sends the browser there so the IdP session ends too.
 */
export function endSessionUrl(
  endpoint: string,
  params: { idToken: string | null; postLogoutRedirectUri: string; clientId: string },
): string {
  const url = new URL(endpoint);
  if (params.idToken) url.searchParams.set("id_token_hint", params.idToken);
  url.searchParams.set("post_logout_redirect_uri", params.postLogoutRedirectUri);
  url.searchParams.set("client_id", params.clientId);
  return url.toString();
}

let cached: { issuer: string; endpoint: string | null; at: number } | null = null;
const CACHE_MS = 10 * 60_000;

/** The provider's `end_session_endpoint`, or null when it offers none (or discovery cannot be read). */
export async function discoverEndSessionEndpoint(issuer: string): Promise<string | null> {
  if (cached && cached.issuer === issuer && Date.now() - cached.at < CACHE_MS) return cached.endpoint;
  try {
    const res = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) return null;
    const doc = (await res.json()) as { end_session_endpoint?: unknown };
    const endpoint =
      typeof doc.end_session_endpoint === "string" && /^https?:\/\//.test(doc.end_session_endpoint) ? doc.end_session_endpoint : null;
    cached = { issuer, endpoint, at: Date.now() };
    return endpoint;
  } catch {
    return null;
  }
}
