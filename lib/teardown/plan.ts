import { PLAN_ACTIONS, type Plan, type PlanAction, type PlanItem, type StepContext } from "@/lib/runs/types";
import { DESTROY_STEPS } from "./steps";

/** The teardown plan's groups, as the offboard page shows them. */
export function teardownGroups(items: PlanItem[]) {
  return {
    remove: items.filter((i) => i.action === "delete"),
    statements: items.filter((i) => i.action === "update"),
    keep: items.filter((i) => i.action === "keep" || i.action === "no-change"),
  };
}

export function summarize(items: PlanItem[]): Record<PlanAction, number> {
  const summary = Object.fromEntries(PLAN_ACTIONS.map((a) => [a, 0])) as Record<PlanAction, number>;
  for (const i of items) summary[i.action]++;
  return summary;
}

/** Reads both accounts and the ledger; describes every deletion, statement removal and kept resource. Writes nothing. */
export async function buildTeardownPlan(ctx: StepContext): Promise<Plan> {
  const items = (await Promise.all(DESTROY_STEPS.map((s) => s.planItems(ctx)))).flat();
  return {
    onboardingId: ctx.spec.onboardingId,
    createdAt: new Date().toISOString(),
    spec: ctx.spec,
    names: ctx.names,
    items,
    pipelineJson: null,
    summary: summarize(items),
    cli: [],
  };
}
