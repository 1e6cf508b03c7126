/**
 * Exponential backoff after repeated failures, per key (an account's email, or an address). The first `free`
 * failures cost nothing; each further one locks the key for base × 2^(n − free − 1), capped at `maxMs`, so the
 * real owner is never locked out for longer than the cap. A key forgets its failures `forgetMs` after the
 * last one, and a success clears it. In memory: one portal process serves sign-in (see README).
 */
export interface BackoffPolicy {
  free: number;
  baseMs: number;
  maxMs: number;
  forgetMs: number;
  /** Most keys remembered; the oldest are dropped first, so a flood of addresses cannot exhaust memory. */
  maxKeys: number;
}

interface Entry {
  failures: number;
  last: number;
  lockedUntil: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly policy: BackoffPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  private entry(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e && this.now() - e.last > this.policy.forgetMs && this.now() >= e.lockedUntil) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** Milliseconds until `key` may try again (0 = now). */
  retryAfterMs(key: string): number {
    const e = this.entry(key);
    return e ? Math.max(0, e.lockedUntil - this.now()) : 0;
  }

  /** Records a failure; returns the lock it caused (0 = none yet). */
  fail(key: string): number {
    const now = this.now();
    const e = this.entry(key) ?? { failures: 0, last: now, lockedUntil: 0 };
    e.failures++;
    e.last = now;
    const over = e.failures - this.policy.free;
    const lock = over > 0 ? Math.min(this.policy.maxMs, this.policy.baseMs * 2 ** Math.min(over - 1, 30)) : 0;
    e.lockedUntil = now + lock;
    this.entries.delete(key);
    this.entries.set(key, e);
    if (this.entries.size > this.policy.maxKeys) this.entries.delete(this.entries.keys().next().value!);
    return lock;
  }

  succeed(key: string): void {
    this.entries.delete(key);
  }
}
