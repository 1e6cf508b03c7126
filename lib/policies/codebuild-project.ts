/** CodeBuild CreateProject / UpdateProject input, when the portal creates the build project. */
import type { ResourceNames } from "@/lib/names/derive";
import { tagsLowerKeyValue } from "./common";
import type { ArtifactStore, OnboardingSpec } from "./types";

export const DEFAULT_BUILD_IMAGE = "aws/codebuild/amazonlinux-x86_64-standard:5.0";
export const DEFAULT_COMPUTE_TYPE = "BUILD_GENERAL1_SMALL";

export interface CodeBuildProjectInput {
  name: string;
  description: string;
  /** No `buildspec`: CodeBuild reads buildspec.yml from the root of the source artifact (the repository). */
  source: { type: "CODEPIPELINE" };
  artifacts: { type: "CODEPIPELINE" };
  environment: { type: "LINUX_CONTAINER"; image: string; computeType: string; imagePullCredentialsType: "CODEBUILD" };
  serviceRole: string;
  encryptionKey: string;
  /** Builds log to `/aws/codebuild/portal/<project>`: the only build logs the permissions boundary lets a role write. */
  logsConfig: { cloudWatchLogs: { status: "ENABLED"; groupName: string } };
  tags: { key: string; value: string }[];
}

/** Returns null when the onboarding uses an existing project. */
export function codeBuildProjectInput(spec: OnboardingSpec, names: ResourceNames, store: ArtifactStore): CodeBuildProjectInput | null {
  if (spec.build.mode !== "create" || !names.roles.codeBuild) return null;
  return {
    name: names.codeBuild.projectName,
    description: `Build for pipeline ${names.pipeline.name} (${spec.repositoryName}@${spec.branchName})`,
    source: { type: "CODEPIPELINE" },
    artifacts: { type: "CODEPIPELINE" },
    environment: {
      type: "LINUX_CONTAINER",
      image: spec.build.image ?? DEFAULT_BUILD_IMAGE,
      computeType: spec.build.computeType ?? DEFAULT_COMPUTE_TYPE,
      imagePullCredentialsType: "CODEBUILD",
    },
    serviceRole: names.roles.codeBuild.arn,
    encryptionKey: store.keyArn,
    logsConfig: { cloudWatchLogs: { status: "ENABLED", groupName: names.codeBuild.logGroupName } },
    tags: tagsLowerKeyValue(spec),
  };
}
