import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/append";
import { env } from "@/lib/config/env";
import { processSingleton } from "@/lib/core/singleton";
import { systemActor } from "@/lib/core/actor";
import type { BackgroundJob } from "@/lib/runs/jobs";
import { accountPaces, claimAccounts, releaseAccounts } from "./lease";
import { isDue, pickVerifies, type DriftCandidate, type PacingDecision } from "./pacing";
import { verifyOnboarding } from "./verify";
import type { DriftCheckView } from "./types";

/**
 * The drift schedule: the worker calls `driftTickInBackground` on every poll (the `driftScheduleJob`); at most every
 * TICK_EVERY_MS one tick reads which active onboardings are due and verifies them, paced per AWS account
 * (pacing.ts, docs/lifecycle.md#drift):
 * - one verify in flight per account: a verify makes 33 read calls (26 tools, 7 repo; ≤ 3 per API operation),
 *   all within a second or two;
 * - ACCOUNT_GAP_MS (5 s) between the end of one verify and the start of the next touching the same account: at
 *   most ~5 read calls per second on average per account, far under the lowest published read quota of the APIs
 *   involved (EventBridge's 50 per second for its control-plane APIs), leaving the rest for the dashboard and
 *   people; a tools account with CodePipeline's default maximum of 1,000 pipelines per region is verified in
 *   ~1.5 hours, well within the 6-hour interval.
 */

export const DRIFT_ACTOR = "portal-drift-check";
export const ACCOUNT_GAP_MS = 5_000;
/** A verify's lease on its accounts; a crashed holder's lease expires after this. */
export const LEASE_MS = 120_000;
const TICK_EVERY_MS = 2_000;
const MAX_STARTS_PER_TICK = 4;

/** PORTAL_DRIFT_INTERVAL_HOURS (default 6, 0.01–168, validated at start-up): how often each active onboarding is verified. */
export function driftIntervalMs(): number {
  return env().PORTAL_DRIFT_INTERVAL_HOURS * 3_600_000;
}

export interface TickOptions {
  workerId: string;
  now?: Date;
  /** Only these onboardings (tests, drills); default: every active onboarding. */
  onboardingIds?: string[];
  intervalMs?: number;
  gapMs?: number;
}

export interface TickResult extends PacingDecision {
  checks: DriftCheckView[];
}

/** Active onboardings with no run queued or running, as pacing candidates. */
async function candidates(onboardingIds?: string[]): Promise<DriftCandidate[]> {
  const rows = await db.onboarding.findMany({
    where: {
      status: "active",
      pipelineArn: { not: null },
      ...(onboardingIds ? { id: { in: onboardingIds } } : {}),
      runs: { none: { status: { in: ["queued", "running"] } } },
    },
    select: { id: true, toolsAccount: { select: { accountId: true } }, repoAccount: { select: { accountId: true } } },
  });
  const ids = rows.map((r) => r.id);
  const [checks, applies] = await Promise.all([
    db.driftCheck.findMany({ where: { latest: true, onboardingId: { in: ids } }, select: { onboardingId: true, checkedAt: true } }),
    db.run.groupBy({
      by: ["onboardingId"],
      where: { onboardingId: { in: ids }, kind: "apply", finishedAt: { not: null } },
      _max: { finishedAt: true },
    }),
  ]);
  const checked = new Map(checks.map((c) => [c.onboardingId, c.checkedAt.getTime()]));
  const applied = new Map(applies.map((a) => [a.onboardingId, a._max.finishedAt?.getTime() ?? null]));
  return rows.map((r) => ({
    onboardingId: r.id,
    accounts: [r.toolsAccount.accountId, r.repoAccount.accountId],
    lastCheckedAt: checked.get(r.id) ?? null,
    lastAppliedAt: applied.get(r.id) ?? null,
  }));
}

/** One scheduling pass: decide (pure), claim each pick's accounts in the database, verify, release. */
export async function driftSchedulerTick(opts: TickOptions): Promise<TickResult> {
  const now = opts.now ?? new Date();
  const cfg = { intervalMs: opts.intervalMs ?? driftIntervalMs(), gapMs: opts.gapMs ?? ACCOUNT_GAP_MS, maxStarts: MAX_STARTS_PER_TICK };
  const all = await candidates(opts.onboardingIds);
  const paces = await accountPaces([...new Set(all.flatMap((c) => c.accounts))]);
  const decision = pickVerifies(all, paces, now.getTime(), cfg);
  const byId = new Map(all.map((c) => [c.onboardingId, c]));
  const checks = await Promise.all(
    decision.start.map(async (id) => {
      const c = byId.get(id)!;
      const holder = `${opts.workerId}:${randomBytes(4).toString("hex")}`;
      // Another instance may have claimed an account since the read above: then this one waits for a later tick.
      if (!(await claimAccounts(c.accounts, holder, { now, leaseMs: LEASE_MS, gapMs: cfg.gapMs }))) return null;
      let finished: Date | null = null;
      try {
        // ... or verified this onboarding already.
        const [fresh] = await candidates([id]);
        if (!fresh || !isDue(fresh, now.getTime(), cfg.intervalMs)) return null;
        const check = await verifyOnboarding(id, DRIFT_ACTOR, { trigger: "schedule", now });
        finished = opts.now ? now : new Date();
        await auditTransition(id, check, fresh.lastCheckedAt);
        return check;
      } finally {
        await releaseAccounts(c.accounts, holder, finished);
      }
    }),
  );
  return { ...decision, checks: checks.filter((c): c is DriftCheckView => c !== null) };
}

/** A scheduled verify is audited when the status changes (drift found, drift gone, unreadable), not every 6 hours. */
async function auditTransition(onboardingId: string, check: DriftCheckView, hadCheck: number | null) {
  const previous = await db.driftCheck.findFirst({
    where: { onboardingId, latest: false },
    orderBy: { checkedAt: "desc" },
    select: { status: true },
  });
  if (previous?.status === check.status || (!previous && hadCheck === null && check.status === "in-sync")) return;
  await recordAudit({
    actor: systemActor(DRIFT_ACTOR),
    action: `onboardings.drift.${check.status === "in-sync" ? "resolved" : check.status === "drifted" ? "detected" : "unreadable"}`,
    target: { type: "onboarding", id: onboardingId },
    outcome: "success",
    details: {
      checkId: check.id,
      status: check.status,
      previous: previous?.status ?? null,
      resources: check.items.filter((i) => i.status !== "in-sync").map((i) => `${i.stepKey}: ${i.status}`),
    },
  });
}

/**
 * Called by the worker on each poll (registered as a job by lib/worker-main, ticked by lib/runs/worker.ts). Runs a
 * tick at most every TICK_EVERY_MS and never two at once in a process; never throws (a failed tick is logged and
 * retried next time).
 */
export function driftTickInBackground(workerId: string, signal?: AbortSignal): void {
  const state = processSingleton("portalDriftTick", () => ({ running: false, lastAt: 0 }));
  if (state.running || signal?.aborted || Date.now() - state.lastAt < TICK_EVERY_MS) return;
  state.running = true;
  state.lastAt = Date.now();
  driftSchedulerTick({ workerId })
    .catch((e) => console.error("[drift] scheduler tick failed", e))
    .finally(() => {
      state.running = false;
    });
}

/** The drift schedule as a worker job (registered by lib/worker-main). */
export const driftScheduleJob: BackgroundJob = { name: "drift-schedule", tick: driftTickInBackground };
