/**
 * CodePipeline service role (tools account). Its name cannot be changed once the pipeline uses it.
 *
 * A Manual approval stage needs no extra permission (only an SNS notification topic would need
 * sns:Publish, and the portal configures none): nothing is added when `spec.approval.enabled`.
 */
import type { ResourceNames } from "@/lib/names/derive";
import { inToolsAccount, KMS_USAGE_ACTIONS, policy, serviceTrustPolicy } from "./common";
import type { ArtifactStore, OnboardingSpec, PolicyDocument } from "./types";

export function pipelineRoleTrustPolicy(_spec: OnboardingSpec, names: ResourceNames): PolicyDocument {
  return serviceTrustPolicy("CodePipelineAssume", "codepipeline.amazonaws.com", names.toolsAccountId);
}

export function pipelineRolePermissionPolicy(_spec: OnboardingSpec, names: ResourceNames, store: ArtifactStore): PolicyDocument {
  const bucket = `arn:${names.partition}:s3:::${store.bucketName}`;
  return policy(
    {
      Sid: "AssumeSourceRole",
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Resource: names.roles.crossAccount.arn,
    },
    {
      Sid: "ArtifactObjects",
      Effect: "Allow",
      Action: ["s3:GetObject*", "s3:PutObject"],
      Resource: `${bucket}/*`,
      Condition: inToolsAccount(names),
    },
    {
      Sid: "ArtifactBucket",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketVersioning"],
      Resource: bucket,
      Condition: inToolsAccount(names),
    },
    {
      Sid: "ArtifactKey",
      Effect: "Allow",
      Action: [...KMS_USAGE_ACTIONS],
      Resource: store.keyArn,
    },
    {
      Sid: "RunBuild",
      Effect: "Allow",
      Action: ["codebuild:StartBuild", "codebuild:BatchGetBuilds"],
      Resource: names.codeBuild.projectArn,
    },
  );
}
