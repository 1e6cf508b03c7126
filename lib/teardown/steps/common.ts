import type { LedgerRow, PlanAction, PlanDocument, PlanItem, StepContext, StepDefinition, StepOutput } from "@/lib/provisioning/types";

/** A destroy step: runs on the provisioning runner; `planItems` describes, without writing, what it will do. */
export interface DestroyStep extends StepDefinition {
  planItems(ctx: StepContext): Promise<PlanItem[]>;
}

export function destroyStep(def: Omit<DestroyStep, "plan">): DestroyStep {
  return { ...def, plan: async (ctx) => (await def.planItems(ctx))[0] };
}

export function teardownItem(step: Pick<StepDefinition, "key" | "title" | "account">, ctx: StepContext, f: { kind: string; name: string; arn?: string; action: PlanAction; reason: string; documents?: PlanDocument[]; shared?: boolean }): PlanItem {
  return { stepKey: step.key, title: step.title, account: step.account, accountId: step.account === "tools" ? ctx.names.toolsAccountId : ctx.names.repoAccountId, documents: [], cli: [], ...f };
}

/** This onboarding's ledger rows of a kind in an account. */
export function ledgerRows(ctx: StepContext, kind: string, accountId: string): LedgerRow[] {
  return ctx.ledger.filter((r) => r.kind === kind && r.accountId === accountId);
}

export const ADOPTED_REASON = "adopted: it existed before the portal took it over, so offboarding leaves it in place";

export function retired(rows: LedgerRow[]): StepOutput {
  return { retiredLedgerIds: rows.map((r) => r.id).join(","), deleted: rows.length };
}
