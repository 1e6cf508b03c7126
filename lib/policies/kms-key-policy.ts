/**
 * KMS key policy of the SHARED artifact key (one per tools account + region). It grows per repo account, never
 * per pipeline:
 * - the tools account root administers the key, which also lets tools-account IAM policies grant its use: the
 *   pipeline and CodeBuild roles get the key through their own (identity) policies;
 * - one statement lets the portal's roles (path /portal/) of every repo account that has an onboarding here use
 *   the key, principals listed as account roots (they survive role recreation); with an AWS Organization id set
 *   on the tools account, one statement for the whole organization instead;
 * - an existing CodeBuild project's service role is not the portal's, so it is named directly (same account), one
 *   statement per onboarding, and only for S3 requests on that onboarding's bucket (`kms:EncryptionContext:aws:s3:arn`):
 *   the role (often another team's or the platform's deploy role) gets no use of the key beyond this pipeline's artifacts.
 *   The pre-issue-17 shared statement `PortalExistingBuildRolesUse` (unconditioned) loses this onboarding's role.
 * Isolation between onboardings is the buckets' job: the key alone gives access to no artifact.
 */
import type { ResourceNames } from "@/lib/names/derive";
import { ROLE_PATH } from "@/lib/names/derive";
import { KMS_USAGE_ACTIONS, policy, tagsKms } from "./common";
import { isPortalSid, mergeStatements } from "./merge";
import { withoutStalePrincipals } from "./principals";
import { provisioningRoleKeyAdministration } from "./provisioning-role-names";
import { type ArtifactStore, type OnboardingSpec, type PolicyDocument, type Statement } from "./types";

export const KEY_ADMIN_SID = "PortalKeyAdministration";
export const KEY_ORGANIZATION_SID = "PortalOrganizationUse";

/** Statements every portal artifact key carries, whatever onboardings use it. */
export function keyPolicyBaseStatements(toolsAccountId: string, partition = "aws"): Statement[] {
  return [
    {
      Sid: KEY_ADMIN_SID,
      Effect: "Allow",
      Principal: { AWS: `arn:${partition}:iam::${toolsAccountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ];
}

function principalList(s: Statement | undefined): string[] {
  const aws = s && s.Principal && s.Principal !== "*" ? s.Principal.AWS : undefined;
  return aws === undefined ? [] : Array.isArray(aws) ? aws : [aws];
}

const one = (values: string[]) => (values.length === 1 ? values[0] : values);

/** `values` ∪ what the statement `sid` of `current` already names (other onboardings' accounts or roles), sorted. */
function unionWith(current: PolicyDocument | undefined, sid: string, values: string[]): string[] {
  const existing = principalList(current?.Statement.find((s) => s.Sid === sid));
  return [...new Set([...existing, ...values])].sort();
}

function portalRolesOf(partition: string): Statement["Condition"] {
  return { ArnLike: { "aws:PrincipalArn": `arn:${partition}:iam::*:role${ROLE_PATH}*` } };
}

/** The statements this onboarding needs, merged with the accounts and roles other onboardings already put there. */
export function keyPolicyStatementsFor(
  current: PolicyDocument | undefined,
  spec: OnboardingSpec,
  names: ResourceNames,
  existingBuildRoleArn?: string,
): Statement[] {
  const p = names.partition;
  const out: Statement[] = [];
  if (spec.organizationId) {
    out.push({
      Sid: KEY_ORGANIZATION_SID,
      Effect: "Allow",
      Principal: "*",
      Action: [...KMS_USAGE_ACTIONS],
      Resource: "*",
      Condition: { StringEquals: { "aws:PrincipalOrgID": spec.organizationId }, ...portalRolesOf(p) },
    });
  } else {
    out.push({
      Sid: names.sids.keyRepoAccountsUse,
      Effect: "Allow",
      Principal: { AWS: one(unionWith(current, names.sids.keyRepoAccountsUse, [`arn:${p}:iam::${names.repoAccountId}:root`])) },
      Action: [...KMS_USAGE_ACTIONS],
      Resource: "*",
      Condition: portalRolesOf(p),
    });
  }
  if (existingBuildRoleArn) out.push(existingBuildRoleKeyUse(names, existingBuildRoleArn));
  return out;
}

/** S3 encrypts an object under the context `aws:s3:arn` = the object's ARN, or the bucket's with an S3 Bucket Key. */
export function bucketEncryptionContext(names: ResourceNames): string[] {
  return [names.artifactStore.bucketArn, `${names.artifactStore.bucketArn}/*`];
}

/** The existing project's service role may use the key only for objects of this onboarding's bucket. */
export function existingBuildRoleKeyUse(names: ResourceNames, roleArn: string): Statement {
  return {
    Sid: names.sids.keyExistingBuildRoleUse,
    Effect: "Allow",
    Principal: { AWS: roleArn },
    Action: KMS_USAGE_ACTIONS.filter((a) => a !== "kms:DescribeKey"),
    Resource: "*",
    Condition: { StringLike: { "kms:EncryptionContext:aws:s3:arn": bucketEncryptionContext(names) } },
  };
}

/** The pre-issue-17 shared, unconditioned statement without `roleArn` (gone when no role is left). */
function legacyBuildRolesWithout(
  current: PolicyDocument | undefined,
  names: ResourceNames,
  roleArn: string,
): { keep: Statement[]; remove: string[] } {
  const legacy = current?.Statement.find((s) => s.Sid === names.sids.keyExistingBuildRolesUse);
  if (!legacy) return { keep: [], remove: [] };
  const left = principalList(legacy).filter((p) => p !== roleArn);
  if (left.length === principalList(legacy).length) return { keep: [], remove: [] };
  return left.length
    ? { keep: [{ ...legacy, Principal: { AWS: one(left) } }], remove: [] }
    : { keep: [], remove: [names.sids.keyExistingBuildRolesUse] };
}

/**
 * Naming-v1 statements (one pair per pipeline) that the statements above make redundant: pipeline-role grants
 * always (tools roles get the key through IAM now), repo-role grants of the accounts the shared statement covers.
 */
function legacySidsCovered(current: PolicyDocument | undefined, owned: Statement[], names: ResourceNames): string[] {
  const accounts = principalList(owned.find((s) => s.Sid === names.sids.keyRepoAccountsUse));
  const covered = new Set(accounts.map((a) => /:iam::(\d{12}):root$/.exec(a)?.[1]));
  const organization = owned.some((s) => s.Sid === KEY_ORGANIZATION_SID);
  return (current?.Statement ?? [])
    .map((s) => s.Sid)
    .filter((sid): sid is string => isPortalSid(sid))
    .filter((sid) => {
      if (/^PortalPipelineRoleUse/.test(sid)) return true;
      const repo = /^PortalRepoAccount(\d{12})Use/.exec(sid);
      return !!repo && (organization || covered.has(repo[1]));
    });
}

/**
 * The key policy for CreateKey (no onboarding grants yet: their principals may not exist yet). With the tools
 * account's provisioning role named, the portal administers the new key at once (see OnboardingSpec).
 */
export function initialKeyPolicy(toolsAccountId: string, partition = "aws", provisioningRoleArn?: string): PolicyDocument {
  return policy(
    ...keyPolicyBaseStatements(toolsAccountId, partition),
    ...(provisioningRoleArn ? [provisioningRoleKeyAdministration(provisioningRoleArn)] : []),
  );
}

/** Desired key policy: `current` (from GetKeyPolicy, undefined for a new key) merged with this onboarding's grants. */
export function keyPolicyFor(
  current: PolicyDocument | undefined,
  spec: OnboardingSpec,
  names: ResourceNames,
  _store: ArtifactStore,
  existingBuildRoleArn?: string,
): PolicyDocument {
  const clean = withoutStalePrincipals(current);
  const legacyBuild = existingBuildRoleArn ? legacyBuildRolesWithout(clean, names, existingBuildRoleArn) : { keep: [], remove: [] };
  const owned = [
    ...keyPolicyBaseStatements(names.toolsAccountId, names.partition),
    ...keyPolicyStatementsFor(clean, spec, names, existingBuildRoleArn),
    ...legacyBuild.keep,
  ];
  // Without an existing project (any more), this onboarding's build-role statement goes.
  const noLongerUsed = existingBuildRoleArn ? [] : [names.sids.keyExistingBuildRoleUse];
  return mergeStatements(clean, owned, [...legacySidsCovered(clean, owned, names), ...legacyBuild.remove, ...noLongerUsed]);
}

/** CreateKey input: symmetric (the only kind CodePipeline supports), tagged. Rotation is a separate call. */
export function createKeyInput(spec: OnboardingSpec, names: ResourceNames) {
  return {
    Description: `CodePipeline artifact key for ${names.region} (crossline portal)`,
    KeySpec: "SYMMETRIC_DEFAULT" as const,
    KeyUsage: "ENCRYPT_DECRYPT" as const,
    Policy: JSON.stringify(initialKeyPolicy(names.toolsAccountId, names.partition, spec.toolsProvisioningRoleArn)),
    // The key is shared by every onboarding of this tools account + region: the onboarding tag names the one that created it.
    Tags: tagsKms(spec),
  };
}
