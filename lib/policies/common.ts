import type { OnboardingSpec, PolicyDocument, Statement } from "./types";
import { PORTAL_TAG_KEY } from "./types";

/**
 * The five KMS actions every principal that reads or writes pipeline artifacts needs. ADF learned that
 * dropping Encrypt / GenerateDataKey* / ReEncrypt* breaks cross-account actions.
 */
export const KMS_USAGE_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:DescribeKey",
];

/** Object actions the repo account's cross-account role needs on `bucket/*`. */
export const CROSS_ACCOUNT_OBJECT_ACTIONS = ["s3:GetObject*", "s3:PutObject", "s3:PutObjectAcl"];

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

/** Tags in the `{Key, Value}` shape (IAM, EventBridge, S3). */
export function tagsKeyValue(spec: Pick<OnboardingSpec, "onboardingId">): { Key: string; Value: string }[] {
  return [{ Key: PORTAL_TAG_KEY, Value: spec.onboardingId }];
}

/** Tags in the `{key, value}` shape (CodeBuild, CodePipeline). */
export function tagsLowerKeyValue(spec: Pick<OnboardingSpec, "onboardingId">): { key: string; value: string }[] {
  return [{ key: PORTAL_TAG_KEY, value: spec.onboardingId }];
}

/** Tags in the `{TagKey, TagValue}` shape (KMS). */
export function tagsKms(spec: Pick<OnboardingSpec, "onboardingId">): { TagKey: string; TagValue: string }[] {
  return [{ TagKey: PORTAL_TAG_KEY, TagValue: spec.onboardingId }];
}
