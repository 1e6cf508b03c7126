import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { inTransactionWithAudit, recordAudit } from "@/lib/audit/append";
import type { CurrentUser } from "@/lib/auth/session";
import type { ActorContext } from "@/lib/core/actor";
import { UserFacingError } from "@/lib/core/errors";
import { parseRunPlan, repairOf } from "@/lib/runs/run-plan";
import { createRepairRun } from "./repair-run";
import { claimAccounts, releaseAccounts } from "./lease";
import { LEASE_MS } from "./scheduler";
import { latestDrift } from "./store";
import { verifyOnboarding } from "./verify";
import type { DriftCheckView } from "./types";

type Ctx = ActorContext<CurrentUser>;

/** How long "Verify now" waits for a scheduled verify of the same account to finish. */
const WAIT_FOR_ACCOUNT_MS = 15_000;

async function verifiable(onboardingId: string) {
  const o = await db.onboarding.findUnique({
    where: { id: onboardingId },
    include: { toolsAccount: true, repoAccount: true, runs: { where: { status: { in: ["queued", "running"] } }, select: { id: true } } },
  });
  if (!o) throw new UserFacingError("That onboarding no longer exists.");
  // Its resources are gone: there is nothing to compare and no plan to offer (lib/drift/page-view.ts).
  if (o.status === "offboarded") throw new UserFacingError(`${o.pipelineName} is offboarded: drift is no longer checked.`);
  if (o.runs.length) throw new UserFacingError("A provisioning run is in progress for this onboarding; verify once it has finished.");
  if (o.status === "changed")
    throw new UserFacingError(
      "This onboarding has edits that are not applied yet, so AWS is expected to differ. Review the plan and apply it; verify after that.",
    );
  if (o.status !== "active" && o.status !== "failed") throw new UserFacingError("Nothing is provisioned yet: apply the plan first.");
  return o;
}

/**
 * "Verify now": a person's verify, audited. It waits for a verify of the same AWS account in flight (one at a time
 * per account, as the schedule) but not for the schedule's gap: a click is rare, the schedule is not.
 */
export async function verifyNow(onboardingId: string, { user, client }: Ctx): Promise<DriftCheckView> {
  const o = await verifiable(onboardingId);
  const accounts = [o.toolsAccount.accountId, o.repoAccount.accountId];
  const holder = `manual:${user.id}:${randomBytes(4).toString("hex")}`;
  const end = Date.now() + WAIT_FOR_ACCOUNT_MS;
  while (!(await claimAccounts(accounts, holder, { now: new Date(), leaseMs: LEASE_MS, gapMs: 0 }))) {
    if (Date.now() > end)
      throw new UserFacingError(`Another verify of account ${accounts.join(" or ")} is running; try again in a few seconds.`);
    await new Promise((r) => setTimeout(r, 500));
  }
  let check: DriftCheckView;
  try {
    check = await verifyOnboarding(onboardingId, user.email, { trigger: "manual" });
  } catch (e) {
    await releaseAccounts(accounts, holder, new Date());
    await recordAudit({
      actor: user,
      action: "onboardings.verify",
      target: { type: "onboarding", id: onboardingId },
      outcome: "failure",
      details: { error: (e as Error).name },
      client,
    });
    throw e;
  }
  await releaseAccounts(accounts, holder, new Date());
  await recordAudit({
    actor: user,
    action: "onboardings.verify",
    target: { type: "onboarding", id: onboardingId },
    outcome: "success",
    details: {
      checkId: check.id,
      status: check.status,
      resources: check.items.filter((i) => i.status !== "in-sync").map((i) => `${i.stepKey}: ${i.status}`),
    },
    client,
  });
  return check;
}

/**
 * Repair: the normal apply (every step; in-sync resources are only read, the steps being idempotent), recorded with
 * the drifted step keys (`repairOf`). It adopts nothing: a resource that exists without this onboarding's tags
 * (replaced by hand) is refused here, and taking it over stays an explicit confirmation on the plan page.
 */
export async function startRepair(onboardingId: string, { user, client }: Ctx) {
  const o = await verifiable(onboardingId);
  const check = await latestDrift(onboardingId);
  if (!check || check.status !== "drifted")
    throw new UserFacingError("Nothing to repair: the latest verify found no drifted or missing resource. Verify again first.");
  const foreign = check.items.filter((i) => i.planAction === "adopt" || i.planAction === "conflict");
  if (foreign.length) {
    throw new UserFacingError(
      `${foreign.map((i) => `${i.title} ${i.resource}`).join(", ")} exists but no longer carries this onboarding's tags (replaced by hand?). Repair never takes over a resource the portal did not create: open the plan, check what it shows, and confirm adopting it there, or delete it so repair recreates it.`,
    );
  }
  return inTransactionWithAudit(async (tx) => {
    // Queued with the same checks as every apply, inside the write transaction: two clicks cannot both start a run.
    const { run, repairOf } = await createRepairRun(tx, o, check, user.id);
    return {
      result: run,
      audit: {
        actor: user,
        action: "onboardings.repair.started",
        target: { type: "onboarding", id: onboardingId },
        outcome: "success",
        details: { runId: run.id, checkId: check.id, repairOf },
        client,
      },
    };
  });
}

/** The drifted step keys a repair run was started for (Run.plan), or null for an ordinary apply. */
export function repairOfRun(plan: string | null): string[] | null {
  return repairOf(parseRunPlan("apply", plan));
}
