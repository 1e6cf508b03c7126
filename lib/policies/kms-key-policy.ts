/**
 * KMS key policy of the SHARED artifact key (one per tools account + region). The tools account root
 * administers the key (which also lets tools-account IAM policies grant use); each onboarding owns two
 * statements granting the five usage actions to its pipeline role and to its repo account's cross-account
 * role, identified by role ARN (the key ARN, never the alias, is what other accounts reference).
 */
import type { ResourceNames } from "@/lib/names/derive";
import { KMS_USAGE_ACTIONS, policy, tagsKms } from "./common";
import { mergeStatements } from "./merge";
import type { ArtifactStore, OnboardingSpec, PolicyDocument, Statement } from "./types";

export const KEY_ADMIN_SID = "PortalKeyAdministration";

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

/** The statements owned by one onboarding. */
export function keyPolicyStatementsFor(
  _spec: OnboardingSpec,
  names: ResourceNames,
  _store: ArtifactStore,
): Statement[] {
  return [
    {
      Sid: names.sids.keyPipelineRoleUse,
      Effect: "Allow",
      Principal: { AWS: names.roles.pipeline.arn },
      Action: [...KMS_USAGE_ACTIONS],
      Resource: "*",
    },
    {
      Sid: names.sids.keyRepoRoleUse,
      Effect: "Allow",
      Principal: { AWS: names.roles.crossAccount.arn },
      Action: [...KMS_USAGE_ACTIONS],
      Resource: "*",
    },
  ];
}

/** Sids to pass as `removeSids` when this onboarding is torn down. */
export function keyPolicySidsFor(names: ResourceNames): string[] {
  return [names.sids.keyPipelineRoleUse, names.sids.keyRepoRoleUse];
}

/** The key policy for CreateKey (no onboarding grants yet: their principals may not exist yet). */
export function initialKeyPolicy(toolsAccountId: string, partition = "aws"): PolicyDocument {
  return policy(...keyPolicyBaseStatements(toolsAccountId, partition));
}

/** Desired key policy: `current` (from GetKeyPolicy, undefined for a new key) merged with this onboarding's grants. */
export function keyPolicyFor(
  current: PolicyDocument | undefined,
  spec: OnboardingSpec,
  names: ResourceNames,
  store: ArtifactStore,
): PolicyDocument {
  return mergeStatements(current, [
    ...keyPolicyBaseStatements(names.toolsAccountId, names.partition),
    ...keyPolicyStatementsFor(spec, names, store),
  ]);
}

/** Key policy with this onboarding's grants removed (other onboardings' and foreign statements kept). */
export function keyPolicyWithout(current: PolicyDocument | undefined, names: ResourceNames): PolicyDocument {
  return mergeStatements(current, [], keyPolicySidsFor(names));
}

/** CreateKey input: symmetric (the only kind CodePipeline supports), tagged. Rotation is a separate call. */
export function createKeyInput(spec: OnboardingSpec, names: ResourceNames) {
  return {
    Description: `CodePipeline artifact key for ${names.region} (crossline portal)`,
    KeySpec: "SYMMETRIC_DEFAULT" as const,
    KeyUsage: "ENCRYPT_DECRYPT" as const,
    Policy: JSON.stringify(initialKeyPolicy(names.toolsAccountId, names.partition)),
    // The key is shared by every onboarding of this tools account + region: the tag names the one that created it.
    Tags: tagsKms(spec),
  };
}
