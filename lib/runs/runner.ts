import "server-only";
import { db } from "@/lib/db";
import { systemActor } from "@/lib/core/actor";
import { inTransactionWithAudit } from "@/lib/audit/append";
import { callScope, type TrackedCall } from "@/lib/aws/call-tracker";
import { classify, DEFAULT_RETRY, withRetry, type RetryPolicy } from "./classify";
import { catalogueFor, runLedger, stepOf, unknownDependencies } from "./catalogues";
import { buildContext, loadLedger, loadOnboarding, storeOf } from "./context";
import { humanMessage } from "./human-message";
import { parseRunPlan, type TeardownChoices } from "./run-plan";
import type { StepContext, StepOutput } from "./types";

export interface RunnerOptions {
  workerId: string;
  retry?: RetryPolicy;
  heartbeatMs?: number;
  /**
   * Test hook for crash safety: runs after a step's AWS work returned and before its result is written.
   * Throwing SimulatedCrash stops the runner as a killed process would: nothing more is written.
   */
  beforeStepRecorded?: (stepKey: string) => void;
  /** Observer of each finished step's AWS calls (benchmarks). */
  onStepCalls?: (stepKey: string, calls: TrackedCall[]) => void;
  /**
   * Aborted when the process is stopping (SIGTERM): no new step starts, the steps in flight finish and are
   * recorded, and the run goes back to the queue ("released") for another worker to resume at once.
   */
  signal?: AbortSignal;
}

export class SimulatedCrash extends Error {}

export type RunOutcome = "succeeded" | "failed" | "crashed" | "not-claimed" | "released";

/** Claims a queued run for this worker; false when another worker (or nobody) has it queued. */
export async function claimRun(runId: string, workerId: string): Promise<boolean> {
  const now = new Date();
  const r = await db.run.updateMany({
    where: { id: runId, status: "queued" },
    data: { status: "running", claimedBy: workerId, heartbeatAt: now, startedAt: now },
  });
  return r.count === 1;
}

/** Executes a claimed run: steps whose dependencies succeeded run concurrently; succeeded steps are reused. */
export async function executeRun(runId: string, opts: RunnerOptions): Promise<RunOutcome> {
  const run = await db.run.findUniqueOrThrow({ where: { id: runId }, include: { steps: true } });
  if (run.status !== "running" || run.claimedBy !== opts.workerId) return "not-claimed";
  const onboarding = await loadOnboarding(run.onboardingId);
  // Whoever queued this attempt acts in AWS (SourceIdentity): the person who resumed it, else who started it.
  const actingId = run.resumedById ?? run.startedById;
  const actor = actingId ? await db.user.findUnique({ where: { id: actingId } }) : null;
  const outputs: Record<string, StepOutput> = {};
  for (const s of run.steps) if (s.status === "succeeded" && s.output) outputs[s.stepKey] = JSON.parse(s.output);
  const plan = parseRunPlan(run.kind, run.plan);
  const catalogue = catalogueFor(plan.kind);
  const ledger = runLedger();
  const base = buildContext(onboarding, actor?.email ?? "portal-worker", outputs, {
    confirmedAdoptions: plan.kind === "apply" ? plan.confirmedAdoptions : [],
    ledger: await loadLedger(onboarding.id),
    ...(plan.kind === "destroy" ? { teardown: plan.teardown } : {}),
  });
  const keys = new Set(run.steps.map((s) => s.stepKey));
  // Every step of the run and every dependency must be a step of the catalogue: a misspelt dependency would
  // otherwise count as satisfied (a dependency merely disabled for this onboarding, absent from the run, does).
  const steps = run.steps.map((s) => stepOf(catalogue, s.stepKey));
  const unknown = unknownDependencies(catalogue.steps);
  if (unknown.length)
    throw new Error(`Run ${runId}: the ${catalogue.kind} catalogue depends on steps it does not have: ${unknown.join(", ")}`);
  const stepByKey = new Map(steps.map((s) => [s.key, s]));
  const status = new Map(run.steps.map((s) => [s.stepKey, s.status === "succeeded" ? "succeeded" : "pending"] as [string, string]));
  const accountInfo = {
    tools: { accountId: onboarding.toolsAccount.accountId, roleArn: onboarding.toolsAccount.roleArn, name: onboarding.toolsAccount.name },
    repo: { accountId: onboarding.repoAccount.accountId, roleArn: onboarding.repoAccount.roleArn, name: onboarding.repoAccount.name },
  };

  const requestIds: string[] = [];
  let crashed = false;
  let firstFailure: string | null = null;
  // The heartbeat also tells this worker when the run is no longer its own (requeued as stale, e.g. after the
  // database was unreachable for a while, and maybe claimed by another worker): it then stops like a crashed
  // worker, writing nothing more, so a run is never executed by two workers at once.
  const heartbeat = setInterval(() => {
    if (crashed) return;
    void db.run
      .updateMany({ where: { id: runId, claimedBy: opts.workerId, status: "running" }, data: { heartbeatAt: new Date() } })
      .then((u) => {
        if (u.count === 0 && !crashed) {
          console.error(`[worker] run ${runId} is no longer claimed by ${opts.workerId}: stopping it here`);
          crashed = true;
          signal();
        }
      })
      .catch(() => undefined);
  }, opts.heartbeatMs ?? 5_000);

  const stopping = () => opts.signal?.aborted === true;
  const ready = (key: string) => stepByKey.get(key)!.dependsOn.every((d) => !keys.has(d) || status.get(d) === "succeeded");

  // The scheduler wakes whenever a step's state changes: dependents start as soon as a step's AWS work is
  // done, while its row is still being written (a crash in between only means the step runs again).
  let wake!: () => void;
  let woke = new Promise<void>((r) => (wake = r));
  const signal = () => {
    const w = wake;
    woke = new Promise<void>((r) => (wake = r));
    w();
  };

  async function runStep(key: string): Promise<void> {
    const step = stepByKey.get(key)!;
    status.set(key, "running");
    const claim = db.runStep.updateMany({
      where: { runId, stepKey: key, status: { in: ["pending", "failed", "running"] } },
      data: { status: "running", startedAt: new Date(), finishedAt: null, errorCode: null, errorMessage: null, attempts: { increment: 1 } },
    });
    const calls: TrackedCall[] = [];
    const ctx: StepContext = {
      ...base,
      outputs: { ...outputs },
      store: storeOf(base, outputs),
      recordCreating: (e) => ledger.recordCreating(onboarding.id, onboarding.region, e),
    };
    try {
      const out = await callScope.run(calls, () => withRetry(() => step.apply(ctx), opts.retry ?? DEFAULT_RETRY));
      opts.onStepCalls?.(key, calls);
      for (const c of calls) if (c.requestId) requestIds.push(c.requestId);
      opts.beforeStepRecorded?.(key);
      if (crashed) return;
      outputs[key] = out;
      status.set(key, "succeeded");
      signal();
      if ((await claim).count !== 1) throw new Error(`step ${key} could not be claimed`);
      await db.$transaction(async (tx) => {
        await tx.runStep.update({
          where: { runId_stepKey: { runId, stepKey: key } },
          data: { status: "succeeded", output: JSON.stringify(out), finishedAt: new Date(), requestId: lastRequestId(calls) },
        });
        await ledger.recordStep(tx, { onboardingId: onboarding.id, region: onboarding.region, step, ctx, output: out });
      });
    } catch (e) {
      if (e instanceof SimulatedCrash) {
        crashed = true;
        return;
      }
      if (crashed) return;
      const c = classify(e);
      if (c.requestId) requestIds.push(c.requestId);
      const message = humanMessage(step, c, accountInfo[step.account]);
      firstFailure ??= message;
      status.set(key, "failed");
      await claim;
      await db.runStep.update({
        where: { runId_stepKey: { runId, stepKey: key } },
        data: {
          status: "failed",
          errorCode: c.code,
          errorMessage: message,
          requestId: c.requestId ?? lastRequestId(calls),
          finishedAt: new Date(),
        },
      });
    }
  }

  const onAbort = () => signal();
  opts.signal?.addEventListener("abort", onAbort);
  try {
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      if (!crashed && !firstFailure && !stopping()) {
        for (const key of keys) {
          if (status.get(key) === "pending" && ready(key)) {
            const p: Promise<void> = runStep(key).finally(() => {
              inFlight.delete(p);
              signal();
            });
            inFlight.add(p);
          }
        }
      }
      if (inFlight.size === 0) break;
      await woke;
    }
  } finally {
    clearInterval(heartbeat);
    opts.signal?.removeEventListener("abort", onAbort);
  }
  if (crashed) return "crashed";
  if (stopping() && [...status.values()].some((s) => s !== "succeeded") && !firstFailure) {
    if ((await releaseRuns(opts.workerId, runId)).length) console.log(`[worker] released run ${runId} for another worker (stopping)`);
    return "released";
  }

  const failed = firstFailure !== null || [...status.values()].some((s) => s !== "succeeded");
  const finished = await inTransactionWithAudit(async (tx) => {
    // Finished once, by the worker that holds the claim (the claim check and the audit event commit together).
    const own = await tx.run.updateMany({
      where: { id: runId, status: "running", claimedBy: opts.workerId },
      data: {
        status: failed ? "failed" : "succeeded",
        error: failed ? firstFailure : null,
        finishedAt: new Date(),
        heartbeatAt: new Date(),
      },
    });
    if (own.count !== 1) return { result: false, audit: [] };
    await catalogue.finish(tx, { runId, onboarding, failed, outputs });
    return {
      result: true,
      audit: {
        actor: actor ? { id: actor.id, email: actor.email } : systemActor("worker"),
        action: `onboardings.${run.kind}.finished`,
        target: { type: "onboarding", id: onboarding.id },
        outcome: failed ? "failure" : "success",
        details: { runId, attempt: run.attempt, error: firstFailure },
        requestIds: requestIds.slice(-100),
      },
    };
  });
  if (!finished) return "not-claimed";
  return failed ? "failed" : "succeeded";
}

/** A destroy run's options, as startDestroy stored them (validated again: defaults keep everything). */
export function teardownChoicesOf(plan: string | null): TeardownChoices {
  const parsed = parseRunPlan("destroy", plan);
  return parsed.kind === "destroy" ? parsed.teardown : { deleteBucket: false, deleteKey: false, keyWaitingDays: 30 };
}

/** The adoptions the person applying confirmed (Run.plan holds what they confirmed with the apply). */
export function confirmedAdoptionsOf(plan: string | null): string[] {
  const parsed = parseRunPlan("apply", plan);
  return parsed.kind === "apply" ? parsed.confirmedAdoptions : [];
}

function lastRequestId(calls: TrackedCall[]): string | null {
  for (let i = calls.length - 1; i >= 0; i--) if (calls[i].requestId) return calls[i].requestId!;
  return null;
}

/** Claims the oldest queued run for this worker; its id, or null when there is none left to claim. */
export async function claimNextQueued(workerId: string): Promise<string | null> {
  for (;;) {
    const queued = await db.run.findMany({ where: { status: "queued" }, orderBy: { createdAt: "asc" }, take: 10, select: { id: true } });
    if (queued.length === 0) return null;
    // Another worker may claim the same run between our read and our update (the update is conditional on
    // "queued", and on PostgreSQL the second update waits for the first and then matches nothing): try the next.
    for (const candidate of queued) if (await claimRun(candidate.id, workerId)) return candidate.id;
  }
}

/** Claims and executes the oldest queued run, if any. */
export async function runNextQueued(opts: RunnerOptions): Promise<RunOutcome | null> {
  const runId = await claimNextQueued(opts.workerId);
  return runId ? executeRun(runId, opts) : null;
}

/**
 * Gives this worker's running runs back to the queue at once (a clean stop), or just `runId`: unfinished steps
 * become pending, succeeded steps keep their outputs. Another worker claims them on its next poll, without
 * waiting for the heartbeat to go stale.
 */
export async function releaseRuns(workerId: string, runId?: string): Promise<string[]> {
  const mine = await db.run.findMany({
    where: { status: "running", claimedBy: workerId, ...(runId ? { id: runId } : {}) },
    select: { id: true },
  });
  const released: string[] = [];
  for (const r of mine) {
    const done = await db.$transaction(async (tx) => {
      const u = await tx.run.updateMany({
        where: { id: r.id, status: "running", claimedBy: workerId },
        data: { status: "queued", claimedBy: null },
      });
      if (u.count !== 1) return false;
      await tx.runStep.updateMany({ where: { runId: r.id, status: "running" }, data: { status: "pending" } });
      return true;
    });
    if (done) released.push(r.id);
  }
  return released;
}

/**
 * Runs whose worker stopped heart-beating (a crash, a restart) go back to the queue; their unfinished steps
 * become pending again. Succeeded steps keep their outputs and are not re-run.
 */
export async function requeueStaleRuns(
  staleAfterMs: number,
  isDeadWorker: (claimedBy: string) => boolean = () => false,
): Promise<string[]> {
  const cutoff = new Date(Date.now() - staleAfterMs);
  const running = await db.run.findMany({ where: { status: "running" }, select: { id: true, heartbeatAt: true, claimedBy: true } });
  const stale = running.filter((r) => !r.heartbeatAt || r.heartbeatAt < cutoff || (r.claimedBy !== null && isDeadWorker(r.claimedBy)));
  const requeued: string[] = [];
  for (const r of stale) {
    const done = await db.$transaction(async (tx) => {
      // Guarded by the heartbeat read above: a worker that heart-beat meanwhile keeps its run.
      const u = await tx.run.updateMany({
        where: { id: r.id, status: "running", heartbeatAt: r.heartbeatAt, claimedBy: r.claimedBy },
        data: { status: "queued", claimedBy: null },
      });
      if (u.count !== 1) return false;
      await tx.runStep.updateMany({ where: { runId: r.id, status: "running" }, data: { status: "pending" } });
      return true;
    });
    if (done) requeued.push(r.id);
  }
  return requeued;
}
