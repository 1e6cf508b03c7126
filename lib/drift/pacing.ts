/**
 * Which onboardings a scheduler tick verifies now. Pure: the tick reads the database, this decides, the lease
 * (lease.ts) enforces the same rule across instances with conditional updates.
 *
 * Rules:
 * - due: never verified, the latest check is older than the interval, or an apply finished after it (a repair is
 *   confirmed at once);
 * - at most ONE verify in flight per AWS account (a verify reads both its accounts);
 * - at least `gapMs` between the end of a verify and the start of the next one touching the same account;
 * - oldest check first; at most `maxStarts` per tick.
 */

export interface PacingConfig {
  intervalMs: number;
  gapMs: number;
  maxStarts: number;
}

export interface DriftCandidate {
  onboardingId: string;
  /** The AWS account ids the verify reads (tools, repo). */
  accounts: string[];
  lastCheckedAt: number | null;
  /** When the newest apply run of the onboarding finished (ms), if any. */
  lastAppliedAt: number | null;
}

export interface AccountPace {
  /** A verify holds the account's lease until then (ms); null when none does. */
  leaseUntil: number | null;
  lastFinishedAt: number | null;
}

export type WaitReason = "not-due" | "account-busy" | "account-gap" | "tick-full";

export interface PacingDecision {
  start: string[];
  waiting: { onboardingId: string; reason: WaitReason; account?: string }[];
}

export function isDue(c: DriftCandidate, now: number, intervalMs: number): boolean {
  if (c.lastCheckedAt === null) return true;
  if (c.lastAppliedAt !== null && c.lastAppliedAt > c.lastCheckedAt) return true;
  return now - c.lastCheckedAt >= intervalMs;
}

/** Why an account cannot start a verify now, or null when it can. */
export function accountBlock(pace: AccountPace | undefined, now: number, gapMs: number): "account-busy" | "account-gap" | null {
  if (!pace) return null;
  if (pace.leaseUntil !== null && pace.leaseUntil > now) return "account-busy";
  if (pace.lastFinishedAt !== null && now - pace.lastFinishedAt < gapMs) return "account-gap";
  return null;
}

export function pickVerifies(
  candidates: DriftCandidate[],
  accounts: ReadonlyMap<string, AccountPace>,
  now: number,
  cfg: PacingConfig,
): PacingDecision {
  const decision: PacingDecision = { start: [], waiting: [] };
  const taken = new Set<string>();
  const due = candidates
    .filter((c) => {
      if (isDue(c, now, cfg.intervalMs)) return true;
      decision.waiting.push({ onboardingId: c.onboardingId, reason: "not-due" });
      return false;
    })
    .sort((a, b) => (a.lastCheckedAt ?? -Infinity) - (b.lastCheckedAt ?? -Infinity) || a.onboardingId.localeCompare(b.onboardingId));
  for (const c of due) {
    if (decision.start.length >= cfg.maxStarts) {
      decision.waiting.push({ onboardingId: c.onboardingId, reason: "tick-full" });
      continue;
    }
    let blocked: { reason: WaitReason; account: string } | null = null;
    for (const a of c.accounts) {
      if (taken.has(a)) blocked = { reason: "account-busy", account: a };
      else {
        const why = accountBlock(accounts.get(a), now, cfg.gapMs);
        if (why) blocked = { reason: why, account: a };
      }
      if (blocked) break;
    }
    if (blocked) {
      decision.waiting.push({ onboardingId: c.onboardingId, ...blocked });
      continue;
    }
    decision.start.push(c.onboardingId);
    for (const a of c.accounts) taken.add(a);
  }
  return decision;
}
