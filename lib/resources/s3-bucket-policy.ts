import { consoleUrlForArn } from "./console-url";
import type { ResourceKind } from "./types";

/** The artifact bucket's policy (tools.bucket-policy), and this onboarding's grants in the naming-v1 shared bucket's. */
export const s3BucketPolicy: ResourceKind = {
  kind: "s3-bucket-policy",
  label: "S3 bucket policy",
  service: "S3",
  console: { url: consoleUrlForArn, example: "arn:aws:s3:::codepipeline-artifacts-111111111111-us-east-1" },
  grants: { coveredBy: ["s3-bucket"], reason: "ArtifactBuckets allows s3:GetBucketPolicy and s3:PutBucketPolicy on the artifact buckets" },
  applySteps: ["tools.bucket-policy"],
  delete: {
    none: "teardown and retire remove this onboarding's statements (lib/teardown/steps/bucket.ts, retire-unused.ts); the policy goes with its bucket",
  },
};
