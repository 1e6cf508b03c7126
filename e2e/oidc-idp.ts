// A real OpenID Connect provider on loopback for the SSO tests (e2e/sso.spec.ts, tests/integration/oidc-*.int.test.ts):
// oidc-provider 9 on its standards-conforming defaults, so the email/profile claims come from the UserInfo
// endpoint and are NOT copied into the ID token (conformIdTokenClaims stays true). Its built-in development
// login and consent pages (devInteractions) sign in whatever login is typed; findAccount serves `users` below.
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/** A test user's claims (`sub` is the login typed on the IdP's login page). Mutable between sign-ins. */
export interface IdpUser {
  email?: string;
  email_verified?: boolean;
  name?: string;
  portal_role?: string;
  groups?: string[];
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  users: Map<string, IdpUser>;
  /** How each token request authenticated the client: "basic" (Authorization header) or "body" (no header). */
  tokenRequests: ("basic" | "body")[];
  stop(): Promise<void>;
}

export const IDP_CLIENT_ID = "crossline-portal";
export const IDP_CLIENT_SECRET = "a-test-client-secret-for-the-portal";

/**
 * Starts the IdP on 127.0.0.1 (a free port unless given). `portalUrl` is where the portal runs: its callback
 * (`/api/auth/callback/oidc`) and post-logout page (`/signin`) are the client's registered URIs.
 */
export async function startTestIdp({
  portalUrls,
  port = 0,
  tokenEndpointAuthMethod = "client_secret_basic",
}: {
  portalUrls: string[];
  port?: number;
  tokenEndpointAuthMethod?: string;
}): Promise<TestIdp> {
  const users = new Map<string, IdpUser>();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: IDP_CLIENT_ID,
        client_secret: IDP_CLIENT_SECRET,
        token_endpoint_auth_method: tokenEndpointAuthMethod,
        redirect_uris: portalUrls.map((u) => `${u}/api/auth/callback/oidc`),
        post_logout_redirect_uris: portalUrls.map((u) => `${u}/signin`),
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    // Scopes and the claims they release; `portal` and `groups` are this IdP's extras (OIDC_SCOPES asks for them).
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], portal: ["portal_role"], groups: ["groups"] },
    cookies: { keys: ["a-cookie-signing-key-for-the-test-idp"] },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    async findAccount(_ctx, sub) {
      const user = users.get(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...users.get(sub) }) };
    },
  });
  provider.proxy = false;
  const tokenRequests: ("basic" | "body")[] = [];
  const handle = provider.callback();
  server.on("request", (req, res) => {
    if (req.method === "POST" && req.url?.startsWith("/token"))
      tokenRequests.push(/^basic /i.test(req.headers.authorization ?? "") ? "basic" : "body");
    return handle(req, res);
  });
  return {
    issuer,
    clientId: IDP_CLIENT_ID,
    clientSecret: IDP_CLIENT_SECRET,
    users,
    tokenRequests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())).then(() => undefined),
  };
}
