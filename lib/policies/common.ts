import type { OnboardingSpec, PolicyDocument, Statement } from "./types";
import { MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE, PORTAL_TAG_KEY } from "./types";

/**
 * The five KMS actions every principal that reads or writes pipeline artifacts needs. ADF learned that
 * dropping Encrypt / GenerateDataKey* / ReEncrypt* breaks cross-account actions.
 */
export const KMS_USAGE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/** Object actions the repo account's cross-account role needs on `bucket/*`. */
export const CROSS_ACCOUNT_OBJECT_ACTIONS = ["s3:GetObject*", "s3:PutObject", "s3:PutObjectAcl"];

/**
 * `aws:ResourceAccount` = the tools account on the roles' S3 statements: artifact bucket names are predictable,
 * so a bucket of the same name in another account is never what a role reads or writes.
 */
export function inToolsAccount(names: { toolsAccountId: string }): NonNullable<Statement["Condition"]> {
  return { StringEquals: { "aws:ResourceAccount": names.toolsAccountId } };
}

export function policy(...statements: Statement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** Trust policy of a role an AWS service assumes on behalf of one account (aws:SourceAccount guards confused deputies). */
export function serviceTrustPolicy(sid: string, service: string, sourceAccount: string): PolicyDocument {
  return policy({
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } },
  });
}

/** The tags of a resource one onboarding owns: the portal's mark (what the provisioning role may change) and the owner. */
export function portalTags(spec: Pick<OnboardingSpec, "onboardingId">): [string, string][] {
  return [
    [MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE],
    [PORTAL_TAG_KEY, spec.onboardingId],
  ];
}

/** Tags in the `{Key, Value}` shape (IAM, EventBridge, S3). */
export function tagsKeyValue(spec: Pick<OnboardingSpec, "onboardingId">): { Key: string; Value: string }[] {
  return portalTags(spec).map(([Key, Value]) => ({ Key, Value }));
}

/** Tags in the `{key, value}` shape (CodeBuild, CodePipeline). */
export function tagsLowerKeyValue(spec: Pick<OnboardingSpec, "onboardingId">): { key: string; value: string }[] {
  return portalTags(spec).map(([key, value]) => ({ key, value }));
}

/** Tags in the `{TagKey, TagValue}` shape (KMS). */
export function tagsKms(spec: Pick<OnboardingSpec, "onboardingId">): { TagKey: string; TagValue: string }[] {
  return portalTags(spec).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}

/**
 * Who owns an existing resource, from its tags: this onboarding, another one (refused, never adopted), or nobody
 * (adopted only when the person applying confirmed it in the plan).
 */
export type Ownership = "ours" | "other-onboarding" | "untagged";

/** Whether a resource carries the mark the provisioning role's tag-conditioned grants require. */
export function markedManaged(tags: [string, string | undefined][]): boolean {
  return tags.some(([k, v]) => k === MANAGED_BY_TAG_KEY && v === MANAGED_BY_TAG_VALUE);
}

export function ownershipOf(tags: [string, string | undefined][], onboardingId: string): Ownership {
  const owner = tags.find(([k]) => k === PORTAL_TAG_KEY)?.[1];
  if (owner === onboardingId) return "ours";
  return owner ? "other-onboarding" : "untagged";
}
