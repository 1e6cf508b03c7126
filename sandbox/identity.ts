import { expiredToken, invalidClientTokenId } from "./errors";
import type { PolicyDocument, Principal } from "./policy/types";
import { ensureAccount, type World } from "./state";

/**
 * Credential conventions (signatures are NOT verified: the sandbox only reads the access key id from the SigV4
 * credential scope to find the caller):
 * - AKIASANDBOXPORTAL000 → the portal host's own user arn:aws:iam::000000000000:user/portal (may only use STS).
 * - SANDBOXROOT<12 digits> → that account's root; the account springs into existence on first use.
 * - ASIA… keys issued by AssumeRole → the assumed-role session stored in World.sessions.
 */
export const SANDBOX_PORTAL_ACCESS_KEY_ID = "AKIASANDBOXPORTAL000";
export const PORTAL_HOST_ACCOUNT = "000000000000";
export const SANDBOX_PORTAL_PRINCIPAL_ARN = `arn:aws:iam::${PORTAL_HOST_ACCOUNT}:user/portal`;
export const PORTAL_USER_ID = "AIDASANDBOXPORTAL0000";
export const sandboxRootAccessKeyId = (account: string) => `SANDBOXROOT${account}`;

export const PORTAL_USER_POLICY: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: ["sts:AssumeRole", "sts:GetCallerIdentity", "sts:SetSourceIdentity", "sts:TagSession"], Resource: "*" },
  ],
};

export const ROOT_POLICY: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

export const portalPrincipal = (): Principal => ({
  type: "user",
  arn: SANDBOX_PORTAL_PRINCIPAL_ARN,
  account: PORTAL_HOST_ACCOUNT,
  userId: PORTAL_USER_ID,
});

export const rootPrincipal = (account: string): Principal => ({
  type: "root",
  arn: `arn:aws:iam::${account}:root`,
  account,
  userId: account,
});

export const servicePrincipal = (service: string): Principal => ({ type: "service", arn: service, service, userId: service });

/** Access key id (+ session token) → principal. Throws InvalidClientTokenId / ExpiredToken like AWS. */
export function resolveCaller(world: World, accessKeyId: string, sessionToken: string | undefined, now: number): Principal {
  if (accessKeyId === SANDBOX_PORTAL_ACCESS_KEY_ID) {
    ensureAccount(world, PORTAL_HOST_ACCOUNT, now);
    return portalPrincipal();
  }
  const root = /^SANDBOXROOT(\d{12})$/.exec(accessKeyId);
  if (root) {
    ensureAccount(world, root[1], now);
    return rootPrincipal(root[1]);
  }
  const s = world.sessions[accessKeyId];
  if (!s) throw invalidClientTokenId();
  if (sessionToken !== undefined && sessionToken !== s.sessionToken) throw invalidClientTokenId();
  if (s.expiresAt <= now) throw expiredToken();
  return {
    type: "assumed-role",
    arn: `arn:aws:sts::${s.account}:assumed-role/${s.roleArn.slice(s.roleArn.lastIndexOf("/") + 1)}/${s.sessionName}`,
    account: s.account,
    roleArn: s.roleArn,
    sessionName: s.sessionName,
    userId: `${s.roleId}:${s.sessionName}`,
    sourceIdentity: s.sourceIdentity,
  };
}

/** Best-effort account of an access key without side effects (for the call log of calls rejected early). */
export function peekAccount(world: World, accessKeyId: string): string | undefined {
  if (accessKeyId === SANDBOX_PORTAL_ACCESS_KEY_ID) return PORTAL_HOST_ACCOUNT;
  return /^SANDBOXROOT(\d{12})$/.exec(accessKeyId)?.[1] ?? world.sessions[accessKeyId]?.account;
}
