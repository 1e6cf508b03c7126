import type { Tx } from "@/lib/db";
import { UserFacingError } from "@/lib/core/errors";
import { serializeRunPlan, type RunKind, type RunPlan } from "./run-plan";

/**
 * The one way a run is queued (apply, repair, destroy) or re-queued (resume). Always inside the caller's write
 * transaction (which holds SQLite's write lock), together with the checks that allow it: the onboarding exists and
 * is not offboarded, and none of its runs is queued or running, so two clicks, or a resumed apply and a destroy,
 * cannot both pass.
 */

export const ACTIVE_RUN_STATUSES = ["queued", "running"];

/** What a person reads when a run cannot be queued, by the kind of run they asked for. */
const REFUSALS: Record<RunKind, { active: string; offboarded: (pipelineName: string) => string }> = {
  apply: {
    active: "A provisioning run is in progress for this onboarding; wait for it to finish.",
    offboarded: (name) => `${name} is offboarded: onboard the repository again instead.`,
  },
  destroy: {
    active: "A run is in progress for this onboarding; wait for it to finish.",
    offboarded: (name) => `${name} is already offboarded.`,
  },
};

/** The onboarding's status while a run of `kind` is queued or running. */
const STATUS_WHILE_QUEUED: Record<RunKind, string> = { apply: "provisioning", destroy: "offboarding" };

export async function hasActiveRun(tx: Pick<Tx, "run">, onboardingId: string): Promise<boolean> {
  return (await tx.run.findFirst({ where: { onboardingId, status: { in: ACTIVE_RUN_STATUSES } }, select: { id: true } })) !== null;
}

/** Refuses when a run of the onboarding is queued or running (also for edits, which must not race a run). */
export async function assertNoActiveRun(tx: Pick<Tx, "run">, onboardingId: string, kind: RunKind = "apply"): Promise<void> {
  if (await hasActiveRun(tx, onboardingId)) throw new UserFacingError(REFUSALS[kind].active);
}

/** The checks every queued run passes, read in the write transaction. */
export async function assertMayQueue(tx: Pick<Tx, "run" | "onboarding">, onboardingId: string, kind: RunKind): Promise<void> {
  const o = await tx.onboarding.findUnique({ where: { id: onboardingId }, select: { status: true, pipelineName: true } });
  if (!o) throw new UserFacingError("That onboarding no longer exists.");
  if (o.status === "offboarded") throw new UserFacingError(REFUSALS[kind].offboarded(o.pipelineName));
  await assertNoActiveRun(tx, onboardingId, kind);
}

export interface NewRun {
  onboardingId: string;
  /** The run's kind and what the person starting it decided (Run.plan). */
  plan: RunPlan;
  /** The catalogue's step keys this run executes, in order. */
  stepKeys: readonly string[];
  startedById: string | null;
}

/** Queues a new run after the checks; the onboarding shows it is provisioning or offboarding. */
export async function enqueueRun(tx: Tx, r: NewRun) {
  await assertMayQueue(tx, r.onboardingId, r.plan.kind);
  const run = await tx.run.create({
    data: {
      onboardingId: r.onboardingId,
      kind: r.plan.kind,
      status: "queued",
      startedById: r.startedById,
      plan: serializeRunPlan(r.plan),
      steps: { create: r.stepKeys.map((stepKey, i) => ({ stepKey, sequence: i + 1 })) },
    },
  });
  await tx.onboarding.update({ where: { id: r.onboardingId }, data: { status: STATUS_WHILE_QUEUED[r.plan.kind] } });
  return run;
}

/**
 * A failed run goes back to the queue after the same checks as a new one: succeeded steps keep their outputs, the
 * failed ones become pending. The person resuming acts in AWS from now on (resumedById).
 */
export async function requeueFailedRun(tx: Tx, runId: string, resumedById: string) {
  const failed = await tx.run.findUnique({ where: { id: runId }, select: { onboardingId: true, kind: true, status: true } });
  if (!failed || failed.status !== "failed") throw new UserFacingError("Only a failed run can be resumed.");
  const kind: RunKind = failed.kind === "destroy" ? "destroy" : "apply";
  await assertMayQueue(tx, failed.onboardingId, kind);
  const u = await tx.run.updateMany({
    where: { id: runId, status: "failed" },
    data: { status: "queued", error: null, claimedBy: null, attempt: { increment: 1 }, finishedAt: null, resumedById },
  });
  if (u.count !== 1) throw new UserFacingError("Only a failed run can be resumed.");
  await tx.runStep.updateMany({ where: { runId, status: { in: ["failed", "running"] } }, data: { status: "pending" } });
  const run = await tx.run.findUniqueOrThrow({ where: { id: runId } });
  await tx.onboarding.update({ where: { id: run.onboardingId }, data: { status: STATUS_WHILE_QUEUED[kind] } });
  return run;
}
