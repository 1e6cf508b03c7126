import { db, type Tx } from "@/lib/db";
import type { StepContext, StepDefinition, StepOutput } from "./types";

/**
 * Origins of a ledger row: `created` (the portal made it for the onboarding; offboarding may delete it once AWS
 * confirms it is still that onboarding's own), `adopted` (it existed before; never deleted) and `shared`: the
 * naming-v1 shared artifact bucket `codepipeline-artifacts-<tools>-<region>` (lib/names/derive.ts
 * `legacyArtifactBucketNameFor`), which the first onboarding recorded as `created` although every onboarding of the
 * tools account and region used it. The migration prisma/migrations/20261207194500_legacy_bucket_shared_origin reclassifies those rows; an
 * offboarding never deletes a `shared` resource (lib/teardown/steps/bucket.ts).
 */
export const SHARED_ORIGIN = "shared";

interface LedgerEntry {
  accountId: string;
  kind: string;
  name: string;
  arn: string;
  shared: boolean;
}

/** The resource a step stands for, as the ledger records it (null for steps that only edit shared policies). */
export function ledgerEntryFor(step: StepDefinition, ctx: StepContext, out: StepOutput): LedgerEntry | null {
  const n = ctx.names;
  const tools = n.toolsAccountId;
  const repo = n.repoAccountId;
  switch (step.key) {
    case "tools.kms-key":
      return { accountId: tools, kind: "kms-key", name: n.artifactStore.kmsAlias, arn: String(out.keyArn), shared: true };
    case "tools.bucket":
      return { accountId: tools, kind: "s3-bucket", name: n.artifactStore.bucketName, arn: n.artifactStore.bucketArn, shared: true };
    case "tools.event-bus-permission":
      return { accountId: tools, kind: "event-bus-permission", name: n.events.statementId, arn: n.events.toolsBusArn, shared: true };
    case "tools.pipeline-role":
    case "tools.codebuild-role":
    case "tools.start-on-push-role":
      return { accountId: tools, kind: "iam-role", name: String(out.name), arn: String(out.arn), shared: false };
    case "repo.cross-account-role":
    case "repo.forward-push-role":
      return { accountId: repo, kind: "iam-role", name: String(out.name), arn: String(out.arn), shared: false };
    case "tools.codebuild-project":
      return out.origin === "existing" ? null : { accountId: tools, kind: "codebuild-project", name: String(out.projectName), arn: String(out.projectArn), shared: false };
    case "tools.pipeline":
      return { accountId: tools, kind: "codepipeline", name: String(out.pipelineName), arn: String(out.pipelineArn), shared: false };
    case "tools.start-on-push-rule":
      return { accountId: tools, kind: "eventbridge-rule", name: String(out.ruleName), arn: String(out.ruleArn), shared: false };
    case "repo.forward-push-rule":
      return { accountId: repo, kind: "eventbridge-rule", name: String(out.ruleName), arn: String(out.ruleArn), shared: false };
    case "tools.notifications-topic":
      return { accountId: tools, kind: "sns-topic", name: String(out.topicName), arn: String(out.topicArn), shared: false };
    case "tools.notifications-rule":
      return { accountId: tools, kind: "notification-rule", name: String(out.ruleName), arn: String(out.ruleArn), shared: false };
    default:
      return null;
  }
}

/** Records what the portal created or adopted; the first origin recorded for a resource is kept. */
export async function recordInLedger(tx: Tx, onboardingId: string, region: string, entry: LedgerEntry, origin: string) {
  const where = { accountId_region_kind_name: { accountId: entry.accountId, region, kind: entry.kind, name: entry.name } };
  const recorded = origin === "adopted" ? "adopted" : "created";
  await tx.provisionedResource.upsert({ where, create: { ...entry, region, origin: recorded, onboardingId }, update: { arn: entry.arn } });
  // A create this onboarding announced (CREATING_ORIGIN) is now done.
  await tx.provisionedResource.updateMany({ where: { ...where.accountId_region_kind_name, onboardingId, origin: CREATING_ORIGIN }, data: { origin: recorded } });
}

/**
 * Origin of a resource this onboarding is about to create, written before the create call (StepContext.recordCreating).
 * Teardown keeps such a row (it is not `created`); the step that wrote it treats the untagged resource as its own.
 */
export const CREATING_ORIGIN = "creating";

export async function recordCreating(onboardingId: string, region: string, entry: LedgerEntry) {
  const where = { accountId_region_kind_name: { accountId: entry.accountId, region, kind: entry.kind, name: entry.name } };
  await db.provisionedResource.upsert({ where, create: { ...entry, region, origin: CREATING_ORIGIN, onboardingId }, update: {} });
}
