/** CodeBuild service role (tools account), only when the portal creates the build project. */
import type { ResourceNames } from "@/lib/names/derive";
import { inToolsAccount, KMS_USAGE_ACTIONS, policy, serviceTrustPolicy } from "./common";
import type { ArtifactStore, OnboardingSpec, PolicyDocument } from "./types";

export function codeBuildRoleTrustPolicy(_spec: OnboardingSpec, names: ResourceNames): PolicyDocument {
  return serviceTrustPolicy("CodeBuildAssume", "codebuild.amazonaws.com", names.toolsAccountId);
}

export function codeBuildRolePermissionPolicy(_spec: OnboardingSpec, names: ResourceNames, store: ArtifactStore): PolicyDocument {
  const bucket = `arn:${names.partition}:s3:::${store.bucketName}`;
  return policy(
    {
      Sid: "BuildLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [names.codeBuild.logGroupArn, `${names.codeBuild.logGroupArn}:*`],
    },
    {
      Sid: "ArtifactObjects",
      Effect: "Allow",
      Action: ["s3:GetObject*", "s3:PutObject"],
      Resource: `${bucket}/*`,
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
