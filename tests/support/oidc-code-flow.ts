// The authorization-code flow with PKCE against the test IdP (e2e/oidc-idp.ts) without a browser: what a
// person does on its built-in login and consent pages, done with fetch and a cookie jar, then the code
// exchange by openid-client with the client settings the portal's next-auth provider declares.
import { Issuer, generators, type BaseClient, type TokenSet } from "openid-client";

function jarFrom(res: Response, jar: Map<string, string>) {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const i = pair.indexOf("=");
    jar.set(pair.slice(0, i), pair.slice(i + 1));
  }
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

export interface CodeFlowClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scope: string;
  /** Extra client metadata, as next-auth passes its provider's `client` option. */
  metadata?: Record<string, unknown>;
}

/** Signs `login` in at the IdP and exchanges the code: the openid-client client and its TokenSet. */
export async function codeFlow(cfg: CodeFlowClient, login: string): Promise<{ client: BaseClient; tokens: TokenSet }> {
  const issuer = await Issuer.discover(`${cfg.issuer}/.well-known/openid-configuration`);
  const client = new issuer.Client({
    client_id: cfg.clientId,
    client_secret: cfg.clientSecret,
    redirect_uris: [cfg.redirectUri],
    ...cfg.metadata,
  });
  const verifier = generators.codeVerifier();
  const state = generators.state();
  const jar = new Map<string, string>();
  let url = client.authorizationUrl({
    scope: cfg.scope,
    code_challenge: generators.codeChallenge(verifier),
    code_challenge_method: "S256",
    state,
  });
  for (let hop = 0; hop < 12; hop++) {
    if (url.startsWith(cfg.redirectUri)) {
      const tokens = await client.callback(cfg.redirectUri, client.callbackParams(url), { code_verifier: verifier, state });
      return { client, tokens };
    }
    const res = await fetch(url, { redirect: "manual", headers: { cookie: cookieHeader(jar) } });
    jarFrom(res, jar);
    const location = res.headers.get("location");
    if (location) {
      url = new URL(location, url).toString();
      continue;
    }
    const page = await res.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    if (!prompt) throw new Error(`the IdP answered ${res.status} without a prompt: ${page.slice(0, 300)}`);
    const body = new URLSearchParams(prompt === "login" ? { prompt, login, password: "any" } : { prompt });
    const action = new URL(/action="([^"]+)"/.exec(page)![1], url).toString();
    const posted = await fetch(action, {
      method: "POST",
      redirect: "manual",
      body,
      headers: { cookie: cookieHeader(jar), "content-type": "application/x-www-form-urlencoded" },
    });
    jarFrom(posted, jar);
    url = new URL(posted.headers.get("location")!, action).toString();
  }
  throw new Error("the authorization-code flow did not reach the redirect URI");
}
