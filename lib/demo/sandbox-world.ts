import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  ListPolicyVersionsCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import {
  DEFAULT_PROVISIONING_ROLE_NAME,
  PROVISIONING_POLICY_NAME,
  toolsPolicyArnFor,
  toolsPolicyNameFor,
  trustPrincipalFor,
} from "@/lib/resources/provisioning-role";
import { BOUNDARY_POLICY_NAME, BOUNDARY_POLICY_PATH } from "@/lib/policies/permissions-boundary";
import { provisioningRoleDocuments } from "@/lib/accounts/provisioning-documents";
import type { Purpose } from "@/lib/validation/account";
import { sandboxRootClient } from "@/lib/aws/client-factory";

export const DEMO_ACCOUNTS = [
  { accountId: "111111111111", name: "Demo tools", purpose: "tools" as Purpose, defaultRegion: "us-east-1" },
  { accountId: "222222222222", name: "Demo repo", purpose: "repo" as Purpose, defaultRegion: "us-east-1" },
];

export const SANDBOX_PORTAL_PRINCIPAL_ARN = "arn:aws:iam::000000000000:user/portal";

export const demoRoleArn = (accountId: string, roleName = DEFAULT_PROVISIONING_ROLE_NAME) => `arn:aws:iam::${accountId}:role/${roleName}`;

/** An IAM client acting as the account's root in the sandbox (set-up only; the portal never uses these keys), with the portal's retry policy. */
function sandboxRootIam(endpoint: string, accountId: string) {
  return sandboxRootClient(IAMClient, accountId, { endpoint });
}

/** Creates a managed policy, or makes its default version the given document (at most 5 versions kept). */
async function ensureManagedPolicy(
  iam: IAMClient,
  arn: string,
  document: string,
  create: { name: string; path: string; description: string },
) {
  const existing = await iam.send(new GetPolicyCommand({ PolicyArn: arn })).then(
    (r) => r.Policy,
    (e) => {
      if ((e as Error).name === "NoSuchEntityException") return undefined;
      throw e;
    },
  );
  if (!existing) {
    await iam.send(
      new CreatePolicyCommand({ PolicyName: create.name, Path: create.path, PolicyDocument: document, Description: create.description }),
    );
    return;
  }
  const current = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: existing.DefaultVersionId! }));
  if (JSON.stringify(JSON.parse(decodeURIComponent(current.PolicyVersion!.Document!))) === document) return;
  const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions ?? [];
  const older = versions.filter((v) => !v.IsDefaultVersion).sort((x, y) => +x.CreateDate! - +y.CreateDate!);
  if (versions.length >= 5 && older[0]) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: older[0].VersionId! }));
  await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: document, SetAsDefault: true }));
}

/**
 * Creates or converges, in a sandbox account, exactly what the provisioning CloudFormation template creates in
 * AWS: the permissions boundary policy, then the provisioning role with the portal's trust policy (this
 * external id) and the portal's permission policy.
 */
export async function ensureSandboxProvisioningRole(opts: {
  endpoint: string;
  accountId: string;
  purpose: Purpose;
  externalId: string;
  roleName?: string;
}) {
  const iam = sandboxRootIam(opts.endpoint, opts.accountId);
  const docs = provisioningRoleDocuments({
    accountId: opts.accountId,
    purpose: opts.purpose,
    externalId: opts.externalId,
    portalPrincipalArn: SANDBOX_PORTAL_PRINCIPAL_ARN,
    principal: trustPrincipalFor(SANDBOX_PORTAL_PRINCIPAL_ARN),
    roleName: opts.roleName,
  });
  await ensureManagedPolicy(iam, docs.boundaryArn, JSON.stringify(docs.boundaryPolicy), {
    name: BOUNDARY_POLICY_NAME,
    path: BOUNDARY_POLICY_PATH,
    description: "Caps every role the crossline portal creates",
  });
  const trust = JSON.stringify(docs.trustPolicy);
  const exists = await iam.send(new GetRoleCommand({ RoleName: docs.roleName })).then(
    () => true,
    (e) => {
      if ((e as Error).name === "NoSuchEntityException") return false;
      throw e;
    },
  );
  if (exists) await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: docs.roleName, PolicyDocument: trust }));
  else
    await iam.send(
      new CreateRoleCommand({
        RoleName: docs.roleName,
        AssumeRolePolicyDocument: trust,
        MaxSessionDuration: 3600,
        Description: "Assumed by the portal to provision pipelines",
        Tags: [{ Key: "portal:purpose", Value: opts.purpose }],
      }),
    );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: docs.roleName,
      PolicyName: PROVISIONING_POLICY_NAME,
      PolicyDocument: JSON.stringify(docs.inlinePolicy),
    }),
  );
  if (docs.toolsPolicy) {
    const arn = toolsPolicyArnFor(opts.accountId, docs.roleName);
    await ensureManagedPolicy(iam, arn, JSON.stringify(docs.toolsPolicy), {
      name: toolsPolicyNameFor(docs.roleName),
      path: BOUNDARY_POLICY_PATH,
      description: "The crossline portal's grants in a tools account",
    });
    await iam.send(new AttachRolePolicyCommand({ RoleName: docs.roleName, PolicyArn: arn }));
  }
  return demoRoleArn(opts.accountId, docs.roleName);
}
