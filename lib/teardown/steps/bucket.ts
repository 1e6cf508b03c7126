import { GetBucketPolicyCommand, PutBucketPolicyCommand } from "@aws-sdk/client-s3";
import { parsePolicyDocument, policyEquals } from "@/lib/policies/merge";
import { readOrNull } from "@/lib/core/aws-errors";
import { deleteRecorded } from "@/lib/resources/lifecycle";
import { policyDocument } from "@/lib/provisioning/plan-item";
import { legacyBucketPolicyWithout } from "@/lib/policies/bucket-policy";
import { SHARED_ORIGIN } from "@/lib/provisioning/ledger";
import { withResourceLock } from "@/lib/runs/resource-lock";
import type { LedgerRow, StepContext } from "@/lib/runs/types";
import { keptBucketPolicy } from "../documents";
import { inspectBucket } from "@/lib/resources/s3-bucket";
import { bucketNameReason, LEGACY_BUCKET_REASON } from "@/lib/resources/ownership";
import { destroyStep, keptOriginReason, ledgerRows, retired, teardownItem } from "./common";

const MISSING = ["NoSuchBucket", "NotFound"];

/** The policy without this onboarding's grants (for the naming-v1 shared bucket also its v1 grants), or null when unchanged. */
async function policyChange(ctx: StepContext, bucket: string) {
  const r = await readOrNull(
    () => ctx.clients.tools.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })),
    "NoSuchBucketPolicy",
    ...MISSING,
  );
  const parsed = r?.Policy ? parsePolicyDocument(r.Policy) : null;
  if (!parsed?.ok) return null;
  const kept = keptBucketPolicy(parsed.document, ctx.names);
  const desired = bucket === ctx.names.artifactStore.legacyBucketName ? legacyBucketPolicyWithout(kept, ctx.names) : kept;
  return policyEquals(parsed.document, desired) ? null : { current: parsed.document, desired };
}

type Verdict =
  | { do: "delete"; reason: string }
  /** `retire`: the ledger stops claiming it (it is gone, or someone else's now); `editPolicy`: remove this onboarding's grants. */
  | { do: "keep"; reason: string; retire: boolean; editPolicy: boolean };

/**
 * What offboarding does with one recorded bucket. Deleted only when it was created for this onboarding, the recorded
 * ARN names exactly this onboarding's per-onboarding bucket (never the naming-v1 shared one), the person chose to
 * delete it, and its tags, read from AWS now, name this onboarding: checked before any object is deleted.
 */
async function verdictOf(ctx: StepContext, r: LedgerRow): Promise<Verdict> {
  const names = ctx.names.artifactStore;
  const byName = bucketNameReason(r, names);
  if (byName === LEGACY_BUCKET_REASON || r.origin === SHARED_ORIGIN)
    return { do: "keep", reason: LEGACY_BUCKET_REASON, retire: false, editPolicy: true };
  if (r.origin !== "created") return { do: "keep", reason: keptOriginReason(r), retire: false, editPolicy: true };
  if (byName) return { do: "keep", reason: byName, retire: true, editPolicy: false };
  const found = await inspectBucket(ctx, r.name);
  if (!found.exists)
    return ctx.teardown?.deleteBucket
      ? { do: "delete", reason: "already gone from AWS: only the ledger's record is removed" }
      : { do: "keep", reason: "already gone from AWS", retire: false, editPolicy: false };
  if (found.notOwn) return { do: "keep", reason: found.notOwn, retire: true, editPolicy: false };
  if (ctx.teardown?.deleteBucket)
    return { do: "delete", reason: "every object version and delete marker is deleted, then the bucket (you chose to delete it)" };
  return { do: "keep", reason: "retained by choice: the bucket and its artifacts stay", retire: false, editPolicy: true };
}

export const destroyBucketStep = destroyStep({
  key: "destroy.tools.bucket",
  title: "Artifact bucket (this pipeline's own)",
  account: "tools",
  dependsOn: ["destroy.tools.pipeline", "destroy.tools.roles", "destroy.repo.roles"],
  async planItems(ctx) {
    const items = [];
    for (const r of ledgerRows(ctx, "s3-bucket", ctx.names.toolsAccountId)) {
      const v = await verdictOf(ctx, r);
      const change = v.do === "keep" && v.editPolicy ? await policyChange(ctx, r.name) : null;
      items.push(
        teardownItem(destroyBucketStep, ctx, {
          kind: "s3-bucket",
          name: r.name,
          arn: r.arn,
          action: v.do,
          reason: `${v.reason}${change ? "; the grants to this onboarding's deleted roles are removed from its policy" : ""}`,
          documents: change ? [policyDocument("Bucket policy", change.current, change.desired)] : [],
        }),
      );
    }
    return items;
  },
  async apply(ctx) {
    const retiredRows: LedgerRow[] = [];
    const kept: string[] = [];
    for (const r of ledgerRows(ctx, "s3-bucket", ctx.names.toolsAccountId)) {
      // Decided again from AWS right now: the tags are read before any object version is deleted.
      const v = await verdictOf(ctx, r);
      if (v.do === "delete") {
        await deleteRecorded(ctx, r);
        retiredRows.push(r);
        continue;
      }
      if (v.retire) {
        kept.push(r.arn);
        retiredRows.push(r);
      }
      if (v.editPolicy) {
        await withResourceLock(`s3-bucket-policy:${r.name}`, async () => {
          const change = await policyChange(ctx, r.name);
          if (change)
            await ctx.clients.tools.s3.send(new PutBucketPolicyCommand({ Bucket: r.name, Policy: JSON.stringify(change.desired) }));
        });
      }
    }
    return { ...retired(retiredRows), keptNotOwn: kept.join(",") };
  },
});
