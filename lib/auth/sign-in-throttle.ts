import { Backoff } from "./backoff";

/**
 * Sign-in backoff, per account and per address. Per account: 5 free failures, then 15 s doubling to at most
 * 5 minutes (an attacker guessing one account's password gets about 12 tries an hour; the owner waits at most
 * 5 minutes). Per address: 20 free failures (an office behind one NAT), then 15 s doubling to 15 minutes.
 * A throttled attempt is refused before the password is hashed, so guessing costs the server no bcrypt work.
 */
export const ACCOUNT_POLICY = { free: 5, baseMs: 15_000, maxMs: 5 * 60_000, forgetMs: 15 * 60_000, maxKeys: 50_000 };
export const ADDRESS_POLICY = { free: 20, baseMs: 15_000, maxMs: 15 * 60_000, forgetMs: 15 * 60_000, maxKeys: 50_000 };

export interface SignInThrottle {
  account: Backoff;
  address: Backoff;
}

// One instance per process, shared by the route handler (which refuses) and authorize() (which records):
// Next may load the two through different bundles, so it lives on globalThis.
const g = globalThis as { __crosslineSignInThrottle?: SignInThrottle };

export function signInThrottle(): SignInThrottle {
  return (g.__crosslineSignInThrottle ??= { account: new Backoff(ACCOUNT_POLICY), address: new Backoff(ADDRESS_POLICY) });
}

const accountKey = (email: string) => email.trim().toLowerCase().slice(0, 254);

/** Milliseconds until this account from this address may try again; 0 when it may now. */
export function signInRetryAfterMs(t: SignInThrottle, email: string, ip: string | null): number {
  return Math.max(email ? t.account.retryAfterMs(accountKey(email)) : 0, ip ? t.address.retryAfterMs(ip) : 0);
}

/** Records a failed sign-in; returns the longest lock it started (0 = none). */
export function recordSignInFailure(t: SignInThrottle, email: string, ip: string | null): number {
  return Math.max(email ? t.account.fail(accountKey(email)) : 0, ip ? t.address.fail(ip) : 0);
}

/** Clears the account's failures. The address keeps its own: signing in to one account must not reset the count of guesses at others. */
export function recordSignInSuccess(t: SignInThrottle, email: string): void {
  t.account.succeed(accountKey(email));
}
