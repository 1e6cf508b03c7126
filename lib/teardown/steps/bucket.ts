import { DeleteBucketCommand, DeleteObjectsCommand, GetBucketPolicyCommand, ListObjectVersionsCommand, PutBucketPolicyCommand, type ObjectIdentifier } from "@aws-sdk/client-s3";
import { parsePolicyDocument, policyEquals } from "@/lib/policies/merge";
import { isAwsError, readOrNull } from "@/lib/provisioning/aws-errors";
import { policyDocument } from "@/lib/provisioning/plan-item";
import type { StepContext } from "@/lib/provisioning/types";
import { keptBucketPolicy } from "../documents";
import { ADOPTED_REASON, destroyStep, ledgerRows, retired, teardownItem } from "./common";

const MISSING = ["NoSuchBucket", "NotFound"];

/** Every object version and delete marker (S3 refuses DeleteBucket on a versioned bucket holding any), then the bucket. */
async function emptyAndDelete(ctx: StepContext, bucket: string) {
  const s3 = ctx.clients.tools.s3;
  for (;;) {
    const page = await readOrNull(() => s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 })), ...MISSING);
    if (!page) return;
    const ids: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
    if (ids.length === 0) break;
    const r = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: ids, Quiet: true } }));
    if (r.Errors?.length) throw new Error(`S3 refused to delete ${r.Errors.length} object version(s) of ${bucket}, e.g. ${r.Errors[0].Key}: ${r.Errors[0].Code} ${r.Errors[0].Message ?? ""}`);
  }
  try {
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch (e) {
    if (!isAwsError(e, ...MISSING)) throw e;
  }
}

async function policyChange(ctx: StepContext, bucket: string) {
  const r = await readOrNull(() => ctx.clients.tools.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), "NoSuchBucketPolicy", ...MISSING);
  const parsed = r?.Policy ? parsePolicyDocument(r.Policy) : null;
  if (!parsed?.ok) return null;
  const desired = keptBucketPolicy(parsed.document, ctx.names);
  return policyEquals(parsed.document, desired) ? null : { current: parsed.document, desired };
}

export const destroyBucketStep = destroyStep({
  key: "destroy.tools.bucket",
  title: "Artifact bucket (this pipeline's own)",
  account: "tools",
  dependsOn: ["destroy.tools.pipeline", "destroy.tools.roles", "destroy.repo.roles"],
  async planItems(ctx) {
    const rows = ledgerRows(ctx, "s3-bucket", ctx.names.toolsAccountId);
    const items = [];
    for (const r of rows) {
      const remove = r.origin === "created" && !!ctx.teardown?.deleteBucket;
      const change = remove ? null : await policyChange(ctx, r.name);
      items.push(
        teardownItem(destroyBucketStep, ctx, {
          kind: "s3-bucket",
          name: r.name,
          arn: r.arn,
          action: remove ? "delete" : "keep",
          reason: remove
            ? "every object version and delete marker is deleted, then the bucket (you chose to delete it)"
            : `${r.origin === "created" ? "retained by choice: the bucket and its artifacts stay" : ADOPTED_REASON}${change ? "; the grants to this onboarding's deleted roles are removed from its policy" : ""}`,
          documents: change ? [policyDocument("Bucket policy", change.current, change.desired)] : [],
        }),
      );
    }
    return items;
  },
  async apply(ctx) {
    const rows = ledgerRows(ctx, "s3-bucket", ctx.names.toolsAccountId);
    const deleted = rows.filter((r) => r.origin === "created" && ctx.teardown?.deleteBucket);
    for (const r of rows) {
      if (deleted.includes(r)) await emptyAndDelete(ctx, r.name);
      else {
        const change = await policyChange(ctx, r.name);
        if (change) await ctx.clients.tools.s3.send(new PutBucketPolicyCommand({ Bucket: r.name, Policy: JSON.stringify(change.desired) }));
      }
    }
    return retired(deleted);
  },
});
