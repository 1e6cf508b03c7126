import { diffPolicy } from "@/lib/policies/merge";
import { prettyJson } from "@/lib/policies/canonical-json";
import { diffLines } from "@/lib/policies/merge";
import type { PlanAction, PlanDocument, PlanItem, StepDefinition, StepContext } from "./types";

export function policyDocument(title: string, current: unknown | null, desired: unknown): PlanDocument {
  return { title, current, desired, diff: current == null ? "" : diffPolicy(current as never, desired as never) };
}

/** A document that is not an IAM policy (pipeline declaration, rule pattern, settings): plain line diff. */
export function plainDocument(title: string, current: unknown | null, desired: unknown, equal: boolean): PlanDocument {
  const diff = current == null || equal ? "" : diffLines(prettyJson(current).split("\n"), prettyJson(desired).split("\n")).join("\n");
  return { title, current, desired, diff };
}

export function item(step: StepDefinition, ctx: StepContext, fields: { kind: string; name: string; arn?: string; action: PlanAction; reason: string; documents?: PlanDocument[]; shared?: boolean }): PlanItem {
  return {
    stepKey: step.key,
    title: step.title,
    account: step.account,
    accountId: step.account === "tools" ? ctx.names.toolsAccountId : ctx.names.repoAccountId,
    documents: [],
    cli: [],
    ...fields,
  };
}

/** "create" when missing; "adopt" when it exists without this onboarding's tag; else "update" or "no-change". */
export function actionFor(exists: boolean, ownedByPortal: boolean, changed: boolean): PlanAction {
  if (!exists) return "create";
  if (!ownedByPortal) return "adopt";
  return changed ? "update" : "no-change";
}
