import type { LedgerRow, PlanAction, PlanDocument, PlanItem, StepContext, StepDefinition, StepOutput } from "@/lib/runs/types";
import { CREATING_ORIGIN, SHARED_ORIGIN } from "@/lib/provisioning/ledger";
import { inspectRecorded as inspect } from "@/lib/resources/lifecycle";
import { LEGACY_BUCKET_REASON } from "@/lib/resources/ownership";

/** A destroy step: runs on the provisioning runner; `planItems` describes, without writing, what it will do. */
export interface DestroyStep extends StepDefinition {
  planItems(ctx: StepContext): Promise<PlanItem[]>;
}

export function destroyStep(def: Omit<DestroyStep, "plan">): DestroyStep {
  return { ...def, plan: async (ctx) => (await def.planItems(ctx))[0] };
}

export function teardownItem(
  step: Pick<StepDefinition, "key" | "title" | "account">,
  ctx: StepContext,
  f: { kind: string; name: string; arn?: string; action: PlanAction; reason: string; documents?: PlanDocument[]; shared?: boolean },
): PlanItem {
  return {
    stepKey: step.key,
    title: step.title,
    account: step.account,
    accountId: step.account === "tools" ? ctx.names.toolsAccountId : ctx.names.repoAccountId,
    documents: [],
    cli: [],
    ...f,
  };
}

/** This onboarding's ledger rows of a kind in an account. */
export function ledgerRows(ctx: StepContext, kind: string, accountId: string): LedgerRow[] {
  return ctx.ledger.filter((r) => r.kind === kind && r.accountId === accountId);
}

export const ADOPTED_REASON = "adopted: it existed before the portal took it over, so offboarding leaves it in place";

/** Why a row whose origin is not `created` is kept: adopted, or the naming-v1 shared bucket (lib/provisioning/ledger.ts). */
export function keptOriginReason(r: LedgerRow): string {
  if (r.origin === CREATING_ORIGIN) return CREATING_REASON;
  return r.origin === SHARED_ORIGIN ? LEGACY_BUCKET_REASON : ADOPTED_REASON;
}

export const CREATING_REASON =
  "an apply was stopped while creating it, before the portal could tag it: offboarding cannot prove it is this onboarding's own, so it leaves it in place";

export function retired(rows: LedgerRow[]): StepOutput {
  return { retiredLedgerIds: rows.map((r) => r.id).join(","), deleted: rows.length };
}

/**
 * What the plan says of a row of a kind teardown deletes, after reading AWS (lib/resources/lifecycle.ts): kept when not
 * created by the portal or no longer this onboarding's own (another onboarding's tag, no tag, another ARN under the
 * name), with the reason; otherwise deleted.
 */
export async function rowVerdict(ctx: StepContext, r: LedgerRow, deleteReason: string): Promise<{ action: PlanAction; reason: string }> {
  if (r.origin !== "created") return { action: "keep", reason: keptOriginReason(r) };
  const found = await inspect(ctx, r);
  if (!found.exists) return { action: "delete", reason: "already gone from AWS: only the ledger's record is removed" };
  if (found.notOwn) return { action: "keep", reason: found.notOwn };
  return { action: "delete", reason: deleteReason };
}

/** Plan items of rows of one kind (see rowVerdict). */
export async function rowItems(
  step: Pick<StepDefinition, "key" | "title" | "account">,
  ctx: StepContext,
  rows: LedgerRow[],
  deleteReason: (r: LedgerRow) => string,
): Promise<PlanItem[]> {
  return Promise.all(
    rows.map(async (r) =>
      teardownItem(step, ctx, { kind: r.kind, name: r.name, arn: r.arn, ...(await rowVerdict(ctx, r, deleteReason(r))) }),
    ),
  );
}

/**
 * Deletes, in order, each created row's resource that AWS confirms (right before the call) is this onboarding's own;
 * one that is not is left in place without failing the run. Every created row is retired from the ledger: the
 * resource is gone, or it belongs to someone else now and this onboarding no longer claims it.
 */
export async function deleteOwnRows(
  ctx: StepContext,
  rows: LedgerRow[],
  del: (ctx: StepContext, r: LedgerRow) => Promise<void>,
): Promise<StepOutput> {
  const created = rows.filter((r) => r.origin === "created");
  const kept: string[] = [];
  let deleted = 0;
  for (const r of created) {
    const found = await inspect(ctx, r);
    if (!found.exists) continue;
    if (found.notOwn) kept.push(r.arn);
    else {
      await del(ctx, r);
      deleted++;
    }
  }
  return { retiredLedgerIds: created.map((r) => r.id).join(","), deleted, keptNotOwn: kept.join(",") };
}
