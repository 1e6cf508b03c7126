/** The reference onboarding used by the byte-exact tests. */
import { deriveResourceNames } from "@/lib/names/derive";
import type { ArtifactStore, OnboardingSpec } from "../types";

export const referenceSpec: OnboardingSpec = {
  onboardingId: "onb_ref01",
  region: "us-east-1",
  toolsAccountId: "111111111111",
  repoAccountId: "222222222222",
  repositoryName: "demo-service",
  branchName: "main",
  pipelineName: "demo-service-main",
  pipelineType: "V1",
  build: { mode: "create", projectName: "demo-service-main-build" },
  approval: { enabled: true },
};

export const referenceNames = deriveResourceNames(referenceSpec);

export const referenceStore: ArtifactStore = {
  bucketName: referenceNames.artifactStore.bucketName,
  keyArn: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  keyAlias: "alias/codepipeline-artifacts-us-east-1",
};
