import "server-only";
import { classify } from "@/lib/runs/classify";
import { loadOnboarding, type LoadedOnboarding } from "@/lib/runs/context";
import { humanMessage } from "@/lib/runs/human-message";
import { planContext } from "@/lib/provisioning/plan";
import { specOf } from "@/lib/runs/spec";
import { stepsFor } from "@/lib/provisioning/steps";
import { retireUnusedStep as retireStep } from "@/lib/provisioning/steps/retire-unused";
import type { StepDefinition } from "@/lib/runs/types";
import { driftItemFrom, errorItem, overallStatus } from "./classify";
import { latestDrift, saveCheck } from "./store";
import { queueBoundaryRepair } from "./boundary-repair";
import { retiredRolesWithoutBoundary } from "./retired-roles";
import type { DriftCheckView, DriftItem, DriftTrigger } from "./types";

/**
 * Steps whose plan is not about the desired state of a resource: retiring what an edit left behind is a pending
 * change, not drift.
 */
const NOT_VERIFIED = new Set(["tools.retire-unused"]);

export function verifiedSteps(o: LoadedOnboarding): StepDefinition[] {
  return stepsFor(specOf(o)).filter((s) => !NOT_VERIFIED.has(s.key));
}

/** AWS's message as a sentence for a verify (the step's own advice says "resume"; a verify is simply run again). */
function readError(step: StepDefinition, e: unknown, o: LoadedOnboarding): string {
  const account = step.account === "tools" ? o.toolsAccount : o.repoAccount;
  return humanMessage(step, classify(e), { accountId: account.accountId, roleArn: account.roleArn, name: account.name }).replace(
    /,? then resume\.$|Resume to try again\.$/,
    (m) => (m.startsWith(",") || m.startsWith(" ") ? ", then verify again." : "Verify again."),
  );
}

/**
 * Reads every resource of an onboarding in both accounts (each step's plan(): reads only, never a write) and
 * compares it with the desired state; stores the result as the onboarding's latest check. A resource still out of
 * sync keeps the time a verify first saw it.
 */
export async function verifyOnboarding(
  onboardingId: string,
  actorEmail: string,
  opts: { trigger?: DriftTrigger; now?: Date } = {},
): Promise<DriftCheckView> {
  const o = await loadOnboarding(onboardingId);
  const checkedAt = opts.now ?? new Date();
  const at = checkedAt.toISOString();
  const previous = await latestDrift(onboardingId);
  const before = new Map((previous?.items ?? []).map((i) => [i.stepKey, i]));
  const steps = verifiedSteps(o);
  const store = (items: DriftItem[], error: string | null) =>
    saveCheck({
      onboardingId,
      checkedAt,
      status: error && !items.length ? "error" : overallStatus(items),
      items,
      error,
      trigger: opts.trigger ?? "manual",
      actorEmail,
    });

  let ctx;
  try {
    ctx = await planContext(o, actorEmail);
  } catch (e) {
    // The tools account could not be read at all (its provisioning role, the key lookup): nothing to compare.
    return store([], readError(steps[0], e, o));
  }
  const settled = await Promise.allSettled(steps.map((s) => s.plan(ctx)));
  const items = settled.map((r, i): DriftItem => {
    const step = steps[i];
    if (r.status === "fulfilled") return driftItemFrom(r.value, at, before.get(step.key));
    const accountId = step.account === "tools" ? o.toolsAccount.accountId : o.repoAccount.accountId;
    return errorItem(step, accountId, readError(step, r.reason, o), at, before.get(step.key));
  });
  const retired = await retiredRolesWithoutBoundary(ctx, at, before.get(retireStep.key)).catch((e): DriftItem =>
    errorItem(retireStep, o.toolsAccount.accountId, readError(retireStep, e, o), at, before.get(retireStep.key)),
  );
  const check = await store(retired ? [...items, retired] : items, null);
  // A role of this onboarding without the permissions boundary is repaired without waiting for a person.
  if (opts.trigger !== "repair") await queueBoundaryRepair(check);
  return check;
}
