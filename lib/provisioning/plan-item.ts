import { diffLines, diffPolicy } from "@/lib/policies/merge";
import { prettyJson } from "@/lib/policies/canonical-json";
import type { Ownership } from "@/lib/policies/common";
import type { PlanAction, PlanDocument, PlanItem, StepDefinition, StepContext } from "@/lib/runs/types";

export function policyDocument(title: string, current: unknown | null, desired: unknown): PlanDocument {
  return { title, current, desired, diff: current == null ? "" : diffPolicy(current as never, desired as never) };
}

/**
 * `current` with its object keys in the order `desired` uses (keys desired lacks go last), so a diff shows
 * what differs rather than how AWS happened to order its answer.
 */
export function alignKeys(current: unknown, desired: unknown): unknown {
  if (Array.isArray(current)) return current.map((c, i) => alignKeys(c, Array.isArray(desired) ? desired[i] : undefined));
  if (!current || typeof current !== "object") return current;
  const cur = current as Record<string, unknown>;
  const want = desired && typeof desired === "object" && !Array.isArray(desired) ? (desired as Record<string, unknown>) : {};
  const order = [...Object.keys(want).filter((k) => k in cur), ...Object.keys(cur).filter((k) => !(k in want))];
  return Object.fromEntries(order.map((k) => [k, alignKeys(cur[k], want[k])]));
}

/** A document that is not an IAM policy (pipeline declaration, rule pattern, settings): plain line diff. */
export function plainDocument(title: string, current: unknown | null, desired: unknown, equal: boolean): PlanDocument {
  const aligned = current == null ? null : alignKeys(current, desired);
  const diff = aligned == null || equal ? "" : diffLines(prettyJson(aligned).split("\n"), prettyJson(desired).split("\n")).join("\n");
  return { title, current: aligned, desired, diff };
}

export function item(
  step: StepDefinition,
  ctx: StepContext,
  fields: {
    kind: string;
    name: string;
    arn?: string;
    action: PlanAction;
    reason: string;
    documents?: PlanDocument[];
    cli?: string[];
    shared?: boolean;
  },
): PlanItem {
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

/** "create" when missing; "conflict" when another onboarding owns it; "adopt" when untagged; else "update" or "no-change". */
export function actionFor(ownership: Ownership | null, changed: boolean): PlanAction {
  if (!ownership) return "create";
  if (ownership === "other-onboarding") return "conflict";
  if (ownership === "untagged") return "adopt";
  return changed ? "update" : "no-change";
}

/**
 * The plan's reason for a resource that exists but is not this onboarding's. `marked`: for kinds the provisioning
 * role may change only when tagged portal:managed-by, whether it is.
 */
export function ownershipReason(ownership: Ownership, marked = true): string | null {
  if (ownership === "other-onboarding")
    return "belongs to another onboarding (its portal:onboarding tag): the apply refuses it; choose another name";
  if (ownership === "untagged" && !marked)
    return "exists without the portal's tags: an administrator of the account must first tag it portal:managed-by=crossline-portal (the provisioning role cannot change untagged resources of this kind), then you confirm adopting it below";
  if (ownership === "untagged") return "exists without the portal's tags: adopted and converged only if you confirm it below";
  return null;
}
