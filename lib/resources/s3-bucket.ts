import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketTaggingCommand,
  ListObjectVersionsCommand,
  type ObjectIdentifier,
} from "@aws-sdk/client-s3";
import { deleteUnlessGone } from "@/lib/core/aws-errors";
import { isAwsError, readOrNull } from "@/lib/core/aws-errors";
import type { StepContext } from "@/lib/runs/types";
import { notOwnReason, type TagPairs } from "@/lib/resources/ownership";
import { MISSING, pairsOf } from "./common";
import { consoleUrlForArn } from "./console-url";
import type { Inspection, ResourceKind } from "./types";

const GONE = ["NoSuchBucket", "NotFound"];
const buckets = (a: string, p: string) => `arn:${p}:s3:::codepipeline-artifacts-${a}-*`;
const inAccount = (a: string) => ({ StringEquals: { "aws:ResourceAccount": a } });

/** The bucket's tags (its name was already checked against the recorded ARN and this onboarding's bucket name). */
export async function inspectBucket(ctx: StepContext, bucket: string): Promise<Inspection> {
  let tags: TagPairs;
  try {
    tags = pairsOf((await ctx.clients.tools.s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet);
  } catch (e) {
    if (isAwsError(e, ...GONE)) return MISSING;
    if (!isAwsError(e, "NoSuchTagSet")) throw e;
    tags = [];
  }
  return { exists: true, notOwn: notOwnReason(tags, [ctx.spec.onboardingId]) };
}

/** Every object version and delete marker (S3 refuses DeleteBucket on a versioned bucket holding any), then the bucket. */
async function emptyAndDelete(ctx: StepContext, bucket: string) {
  const s3 = ctx.clients.tools.s3;
  for (;;) {
    const page = await readOrNull(() => s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 })), ...GONE);
    if (!page) return;
    const ids: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key!,
      VersionId: v.VersionId,
    }));
    if (ids.length === 0) break;
    const r = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: ids, Quiet: true } }));
    if (r.Errors?.length)
      throw new Error(
        `S3 refused to delete ${r.Errors.length} object version(s) of ${bucket}, e.g. ${r.Errors[0].Key}: ${r.Errors[0].Code} ${r.Errors[0].Message ?? ""}`,
      );
  }
  await deleteUnlessGone(() => s3.send(new DeleteBucketCommand({ Bucket: bucket })), ...GONE);
}

/**
 * This onboarding's artifact bucket (tools.bucket). Deleted only by an offboarding whose person chose to, once
 * lib/teardown/steps/bucket.ts has judged the row (never the naming-v1 shared bucket) and the tags read now.
 */
export const s3Bucket: ResourceKind = {
  kind: "s3-bucket",
  label: "S3 bucket",
  service: "S3",
  console: { url: consoleUrlForArn, example: "arn:aws:s3:::codepipeline-artifacts-111111111111-us-east-1" },
  grants: [
    {
      section: "tools-managed",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "ArtifactBuckets",
        Effect: "Allow",
        Action: [
          "s3:CreateBucket",
          "s3:ListBucket",
          "s3:GetBucketLocation",
          "s3:GetBucketOwnershipControls",
          "s3:PutBucketOwnershipControls",
          "s3:GetBucketPublicAccessBlock",
          "s3:GetEncryptionConfiguration",
          "s3:PutEncryptionConfiguration",
          "s3:GetBucketVersioning",
          "s3:PutBucketVersioning",
          "s3:GetBucketPolicy",
          "s3:PutBucketPolicy",
          "s3:GetBucketTagging",
          "s3:PutBucketTagging",
        ],
        Resource: buckets(a, p),
        Condition: inAccount(a),
      }),
    },
    // Offboarding with "delete the artifact bucket": every object version and delete marker, then the bucket.
    {
      section: "tools-managed",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "DeleteArtifactBuckets",
        Effect: "Allow",
        Action: ["s3:ListBucketVersions", "s3:DeleteBucket"],
        Resource: buckets(a, p),
        Condition: inAccount(a),
      }),
    },
    {
      section: "tools-managed",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "DeleteArtifactObjects",
        Effect: "Allow",
        Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
        Resource: `${buckets(a, p)}/*`,
        Condition: inAccount(a),
      }),
    },
  ],
  applySteps: ["tools.bucket"],
  ledgerEntry: (stepKey, ctx) =>
    stepKey === "tools.bucket"
      ? {
          accountId: ctx.names.toolsAccountId,
          kind: "s3-bucket",
          name: ctx.names.artifactStore.bucketName,
          arn: ctx.names.artifactStore.bucketArn,
          shared: true,
        }
      : null,
  inspect: (ctx, row) => inspectBucket(ctx, row.name),
  delete: (ctx, row) => emptyAndDelete(ctx, row.name),
};
