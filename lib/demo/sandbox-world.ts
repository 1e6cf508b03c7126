import {
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { DEFAULT_PROVISIONING_ROLE_NAME } from "@/lib/policies/provisioning-role";
import { provisioningRoleDocuments } from "@/lib/accounts/provisioning-documents";
import type { Purpose } from "@/lib/validation/account";

export const DEMO_ACCOUNTS = [
  { accountId: "111111111111", name: "Demo tools", purpose: "tools" as Purpose, defaultRegion: "us-east-1" },
  { accountId: "222222222222", name: "Demo repo", purpose: "repo" as Purpose, defaultRegion: "us-east-1" },
];

export const SANDBOX_PORTAL_PRINCIPAL_ARN = "arn:aws:iam::000000000000:user/portal";

export const demoRoleArn = (accountId: string, roleName = DEFAULT_PROVISIONING_ROLE_NAME) => `arn:aws:iam::${accountId}:role/${roleName}`;

/** An IAM client acting as the account's root in the sandbox (set-up only; the portal never uses these keys). */
function sandboxRootIam(endpoint: string, accountId: string) {
  return new IAMClient({ region: "us-east-1", endpoint, credentials: { accessKeyId: `SANDBOXROOT${accountId}`, secretAccessKey: "sandbox" } });
}

/**
 * Creates or converges a provisioning role in a sandbox account exactly as the README tells a person to in
 * AWS: the portal's trust policy with this external id, and the portal's permission policy.
 */
export async function ensureSandboxProvisioningRole(opts: { endpoint: string; accountId: string; purpose: Purpose; externalId: string; roleName?: string }) {
  const iam = sandboxRootIam(opts.endpoint, opts.accountId);
  const docs = provisioningRoleDocuments({ accountId: opts.accountId, purpose: opts.purpose, externalId: opts.externalId, portalPrincipalArn: SANDBOX_PORTAL_PRINCIPAL_ARN, roleName: opts.roleName });
  const trust = JSON.stringify(docs.trustPolicy);
  const exists = await iam.send(new GetRoleCommand({ RoleName: docs.roleName })).then(
    () => true,
    (e) => {
      if ((e as Error).name === "NoSuchEntityException") return false;
      throw e;
    },
  );
  if (exists) await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: docs.roleName, PolicyDocument: trust }));
  else await iam.send(new CreateRoleCommand({ RoleName: docs.roleName, AssumeRolePolicyDocument: trust, Description: "Assumed by the portal to provision pipelines" }));
  await iam.send(new PutRolePolicyCommand({ RoleName: docs.roleName, PolicyName: "portal-provisioning", PolicyDocument: JSON.stringify(docs.permissionPolicy) }));
  return demoRoleArn(opts.accountId, docs.roleName);
}
