import type { BaseClient, TokenSet, TokenSetParameters } from "openid-client";
import { mergeClaims } from "./claims";

/**
 * The claims next-auth hands to the portal after the code exchange: the validated ID token's, overlaid with the
 * UserInfo endpoint's answer when the provider has one (where a conforming provider puts the email/profile
 * claims). A failing UserInfo call is logged and the ID token's claims are used alone.
 */
export async function claimsAfterCodeExchange({
  client,
  tokens: params,
}: {
  client: BaseClient;
  tokens: TokenSetParameters;
}): Promise<Record<string, unknown>> {
  // next-auth passes the TokenSet its openid-client made (typed as its parameters), its ID token already validated.
  const tokens = params as TokenSet;
  const idToken = tokens.claims() as Record<string, unknown>;
  if (!client.issuer.metadata.userinfo_endpoint || !tokens.access_token) return idToken;
  try {
    // With an ID token in `tokens`, openid-client refuses a UserInfo answer about another subject.
    return mergeClaims(idToken, (await client.userinfo(tokens)) as Record<string, unknown>);
  } catch (e) {
    console.warn(`[oidc] UserInfo request failed; using the ID token's claims only: ${e instanceof Error ? e.message : String(e)}`);
    return idToken;
  }
}
