/**
 * Exponential backoff after repeated failures, per key (an account's email, or an address). The first `free`
 * failures cost nothing; each further one locks the key for base × 2^(n − free − 1), capped at `maxMs`, so the
 * real owner is never locked out for longer than the cap. A key forgets its failures `forgetMs` after the
 * last one (once any lock ran out), and a success clears it. Pure: the counters live in the database
 * (lib/auth/throttle-store.ts), so every instance on it shares them.
 */
export interface BackoffPolicy {
  free: number;
  baseMs: number;
  maxMs: number;
  forgetMs: number;
}

/** One key's failures, as stored (times in epoch milliseconds). */
export interface BackoffEntry {
  failures: number;
  lastFailAt: number;
  lockedUntil: number;
}

/** True when the entry no longer counts: quiet for longer than `forgetMs` and not locked. */
export function forgotten(policy: BackoffPolicy, e: BackoffEntry, now: number): boolean {
  return now - e.lastFailAt > policy.forgetMs && now >= e.lockedUntil;
}

/** The failures that still count (0 for no entry or a forgotten one). */
export function activeFailures(policy: BackoffPolicy, e: BackoffEntry | null | undefined, now: number): number {
  return e && !forgotten(policy, e, now) ? e.failures : 0;
}

/** The lock the `failures`-th failure starts (0 = none yet). */
export function lockAfter(policy: BackoffPolicy, failures: number): number {
  const over = failures - policy.free;
  return over > 0 ? Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(over - 1, 30)) : 0;
}

/** Milliseconds until the key may try again (0 = now). */
export function retryAfterMs(e: BackoffEntry | null | undefined, now: number): number {
  return e ? Math.max(0, e.lockedUntil - now) : 0;
}
