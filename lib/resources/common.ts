import type { AccountSide, LedgerRow, StepContext } from "@/lib/runs/types";
import { arnMismatchReason, notOwnReason, type TagPairs } from "@/lib/resources/ownership";
import type { Inspection } from "./types";

/** The account a ledger row lives in, as a step's side. */
export function sideOf(ctx: StepContext, r: Pick<LedgerRow, "accountId">): AccountSide {
  return r.accountId === ctx.names.repoAccountId ? "repo" : "tools";
}

export const MISSING: Inspection = { exists: false };

/** Ours when the name resolved to the recorded ARN and the tags name this onboarding (./ownership.ts). */
export function judged(ctx: StepContext, recorded: string, found: string | undefined, tags: TagPairs): Inspection {
  return { exists: true, notOwn: arnMismatchReason(recorded, found) ?? notOwnReason(tags, [ctx.spec.onboardingId]) };
}

/** `[{Key, Value}]` (IAM, EventBridge, SNS, S3) or `[{key, value}]` (CodeBuild, CodePipeline) as tag pairs. */
export const pairsOf = (tags: { Key?: string; Value?: string }[] | undefined): TagPairs => (tags ?? []).map((t) => [t.Key ?? "", t.Value]);
export const lowerPairsOf = (tags: { key?: string; value?: string }[] | undefined): TagPairs =>
  (tags ?? []).map((t) => [t.key ?? "", t.value]);
