import { db, type Tx } from "@/lib/db";
import { RESOURCE_KINDS } from "@/lib/resources";
import type { LedgerEntry } from "@/lib/resources/types";
import type { StepContext, StepDefinition, StepOutput } from "@/lib/runs/types";

/**
 * Origins of a ledger row: `created` (the portal made it for the onboarding; offboarding may delete it once AWS
 * confirms it is still that onboarding's own), `adopted` (it existed before; never deleted) and `shared`: the
 * naming-v1 shared artifact bucket `codepipeline-artifacts-<tools>-<region>` (lib/names/derive.ts
 * `legacyArtifactBucketNameFor`), which the first onboarding recorded as `created` although every onboarding of the
 * tools account and region used it. The migration prisma/migrations/20261207194500_legacy_bucket_shared_origin reclassifies those rows; an
 * offboarding never deletes a `shared` resource (lib/teardown/steps/bucket.ts).
 */
export const SHARED_ORIGIN = "shared";

/** The resource a step stands for, as its kind's module records it (null for steps that only edit shared policies). */
export function ledgerEntryFor(step: StepDefinition, ctx: StepContext, out: StepOutput): LedgerEntry | null {
  for (const k of RESOURCE_KINDS) {
    if (!k.ledgerEntry || !k.applySteps.includes(step.key)) continue;
    const entry = k.ledgerEntry(step.key, ctx, out);
    if (entry) return entry;
  }
  return null;
}

/** Records what the portal created or adopted; the first origin recorded for a resource is kept. */
export async function recordInLedger(tx: Tx, onboardingId: string, region: string, entry: LedgerEntry, origin: string) {
  const where = { accountId_region_kind_name: { accountId: entry.accountId, region, kind: entry.kind, name: entry.name } };
  const recorded = origin === "adopted" ? "adopted" : "created";
  await tx.provisionedResource.upsert({ where, create: { ...entry, region, origin: recorded, onboardingId }, update: { arn: entry.arn } });
  // A create this onboarding announced (CREATING_ORIGIN) is now done.
  await tx.provisionedResource.updateMany({
    where: { ...where.accountId_region_kind_name, onboardingId, origin: CREATING_ORIGIN },
    data: { origin: recorded },
  });
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
