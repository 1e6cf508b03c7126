import { GetBucketPolicyCommand, PutBucketPolicyCommand } from "@aws-sdk/client-s3";
import { legacyBucketPolicyWithout } from "@/lib/policies/bucket-policy";
import { parsePolicyDocument, policyEquals } from "@/lib/policies/merge";
import { sideOf } from "@/lib/resources/common";
import { deleteRecorded } from "@/lib/resources/lifecycle";
import { readOrNull } from "@/lib/core/aws-errors";
import { withResourceLock } from "@/lib/runs/resource-lock";
import { item, plainDocument, policyDocument } from "../plan-item";
import type { LedgerRow, StepContext, StepDefinition } from "@/lib/runs/types";

/**
 * Resources this onboarding created that its current configuration no longer uses: roles under naming v1 (before
 * names carried the region), the repo-side rule named before it carried the tools account, the CodeBuild role and
 * project after switching to an existing project. Runs after the
 * pipeline, the rules and the project have switched to the new ones. Adopted resources are never deleted.
 */
export function retiredResources(ctx: StepContext): LedgerRow[] {
  const n = ctx.names;
  const roles = new Set(
    Object.values(n.roles)
      .filter((r) => r !== null)
      .map((r) => `${r.arn}`),
  );
  const project = n.codeBuild.createdByPortal ? n.codeBuild.projectArn : null;
  const rules = new Set([n.events.repoRule.arn, n.events.toolsRule.arn]);
  return ctx.ledger
    .filter((r) => {
      if (r.origin !== "created") return false;
      if (r.kind === "iam-role") return !roles.has(r.arn);
      if (r.kind === "eventbridge-rule") return !rules.has(r.arn);
      if (r.kind === "codebuild-project") return r.arn !== project;
      // Notifications turned off: the rule and the topic go (the rule first: it targets the topic).
      if (r.kind === "notification-rule" || r.kind === "sns-topic") return !ctx.spec.notifications;
      return false;
    })
    .sort((a, b) => Number(b.kind === "notification-rule") - Number(a.kind === "notification-rule"));
}

/** The account a ledger row lives in (lib/resources/common.ts). */
export { sideOf } from "@/lib/resources/common";

/** The naming-v1 shared bucket's policy, when it still holds this onboarding's grants. */
async function legacyBucketPolicy(ctx: StepContext) {
  const bucket = ctx.names.artifactStore.legacyBucketName;
  const r = await readOrNull(
    () => ctx.clients.tools.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })),
    "NoSuchBucketPolicy",
    "NoSuchBucket",
    "NotFound",
    "AccessDenied",
  );
  const parsed = r?.Policy ? parsePolicyDocument(r.Policy) : null;
  if (!parsed?.ok) return null;
  const desired = legacyBucketPolicyWithout(parsed.document, ctx.names);
  return policyEquals(parsed.document, desired) ? null : { bucket, current: parsed.document, desired };
}

export const retireUnusedStep: StepDefinition = {
  key: "tools.retire-unused",
  title: "Resources this pipeline no longer uses",
  account: "tools",
  dependsOn: [
    "tools.pipeline",
    "tools.start-on-push-rule",
    "repo.forward-push-rule",
    "tools.codebuild-project",
    "tools.bucket-policy",
    "tools.key-policy",
    "tools.notifications-rule",
  ],
  async plan(ctx) {
    const retired = retiredResources(ctx);
    const legacy = await legacyBucketPolicy(ctx);
    const names = retired.map((r) => `${r.kind} ${r.name} (${r.accountId})`);
    return item(retireUnusedStep, ctx, {
      kind: "retired-resources",
      name: retired.length || legacy ? `${retired.length} resource(s)${legacy ? " + old shared bucket grants" : ""}` : "nothing",
      action: retired.length || legacy ? "delete" : "no-change",
      reason:
        retired.length || legacy
          ? "the pipeline switches to the resources above first; then these are deleted (only what the portal created for this onboarding)"
          : "this onboarding uses every resource the portal created for it",
      documents: [
        ...(retired.length ? [plainDocument("Deleted after the switch", names, [], false)] : []),
        ...(legacy ? [policyDocument(`Policy of the old shared bucket ${legacy.bucket}`, legacy.current, legacy.desired)] : []),
      ],
    });
  },
  // Each retired resource as its own "delete" item (the plan view lists them with the rest), then the old shared
  // bucket's grants; "no-change" when nothing is left to retire.
  async planMany(ctx) {
    const retired = retiredResources(ctx);
    const legacy = await legacyBucketPolicy(ctx);
    if (!retired.length && !legacy) return [await retireUnusedStep.plan(ctx)];
    const perResource = retired.map((r) => ({
      ...item(retireUnusedStep, ctx, {
        kind: r.kind,
        name: r.name,
        arn: r.arn,
        action: "delete" as const,
        reason: "created by the portal for this onboarding and no longer used by it: deleted after the pipeline has switched",
        documents: [plainDocument("Deleted after the switch", [`${r.kind} ${r.name} (${r.accountId})`], [], false)],
      }),
      account: sideOf(ctx, r),
      accountId: r.accountId,
    }));
    const legacyItem = legacy
      ? [
          item(retireUnusedStep, ctx, {
            kind: "s3-bucket-policy",
            name: legacy.bucket,
            action: "delete",
            reason: "this onboarding's grants in the old shared bucket are removed",
            documents: [policyDocument(`Policy of the old shared bucket ${legacy.bucket}`, legacy.current, legacy.desired)],
          }),
        ]
      : [];
    return [...perResource, ...legacyItem];
  },
  async apply(ctx) {
    const retired = retiredResources(ctx);
    // Each through its kind's module, which deletes only what still carries this onboarding's tag.
    for (const r of retired) await deleteRecorded(ctx, r);
    await withResourceLock(`s3-bucket-policy:${ctx.names.artifactStore.legacyBucketName}`, async () => {
      const legacy = await legacyBucketPolicy(ctx);
      if (legacy)
        await ctx.clients.tools.s3.send(new PutBucketPolicyCommand({ Bucket: legacy.bucket, Policy: JSON.stringify(legacy.desired) }));
    });
    return { retiredLedgerIds: retired.map((r) => r.id).join(","), retired: retired.length };
  },
};
