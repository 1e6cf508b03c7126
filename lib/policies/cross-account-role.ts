/**
 * Cross-account role in the repo account, assumed by the pipeline's Source action.
 * Trust: the tools account ROOT with `ArnEquals aws:PrincipalArn` = the pipeline role ARN (ADF's pattern):
 * it can be written before the pipeline role exists and survives that role being recreated.
 * Permissions scoped to the one repository, the artifact bucket and the key. Never AWSCodeCommitFullAccess.
 */
import type { ResourceNames } from "@/lib/names/derive";
import { CROSS_ACCOUNT_OBJECT_ACTIONS, inToolsAccount, KMS_USAGE_ACTIONS, policy } from "./common";
import type { ArtifactStore, OnboardingSpec, PolicyDocument } from "./types";

/** What the CodeCommit source action needs with OutputArtifactFormat CODE_ZIP (GetRepository only for full clone). */
export const CODECOMMIT_SOURCE_ACTIONS = [
  "codecommit:GetBranch",
  "codecommit:GetCommit",
  "codecommit:UploadArchive",
  "codecommit:GetUploadArchiveStatus",
  "codecommit:CancelUploadArchive",
];

export function crossAccountRoleTrustPolicy(_spec: OnboardingSpec, names: ResourceNames): PolicyDocument {
  return policy({
    Sid: "ToolsPipelineRoleAssume",
    Effect: "Allow",
    Principal: { AWS: `arn:${names.partition}:iam::${names.toolsAccountId}:root` },
    Action: "sts:AssumeRole",
    Condition: { ArnEquals: { "aws:PrincipalArn": names.roles.pipeline.arn } },
  });
}

export function crossAccountRolePermissionPolicy(_spec: OnboardingSpec, names: ResourceNames, store: ArtifactStore): PolicyDocument {
  const bucket = `arn:${names.partition}:s3:::${store.bucketName}`;
  return policy(
    {
      Sid: "SourceRepository",
      Effect: "Allow",
      Action: [...CODECOMMIT_SOURCE_ACTIONS],
      Resource: names.repository.arn,
    },
    {
      Sid: "ArtifactObjects",
      Effect: "Allow",
      Action: [...CROSS_ACCOUNT_OBJECT_ACTIONS],
      Resource: `${bucket}/*`,
      Condition: inToolsAccount(names),
    },
    {
      Sid: "ArtifactBucket",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucket,
      Condition: inToolsAccount(names),
    },
    {
      Sid: "ArtifactKey",
      Effect: "Allow",
      Action: [...KMS_USAGE_ACTIONS],
      Resource: store.keyArn,
    },
  );
}
