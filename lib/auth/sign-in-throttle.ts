import "server-only";
import { db as defaultDb, type Db } from "@/lib/db";
import { activeFailures, retryAfterMs } from "./backoff";
import { clearKey, readEntries, recordFailure } from "./throttle-store";

/**
 * Sign-in backoff, per account and per address, counted in the database (lib/auth/throttle-store.ts) so every
 * instance shares it.
 * - Per account: 5 free failures, then 15 s doubling to at most 5 minutes (an attacker guessing one account's
 *   password gets about 12 tries an hour; the owner waits at most 5 minutes).
 * - Per address: 20 free failures, then 15 s doubling to 15 minutes — but the address lock refuses only attempts
 *   at accounts that are themselves failing (at least one failure still counted). Behind a load balancer without
 *   PORTAL_TRUSTED_PROXIES every user shares one address: a correct password for an account nobody has been
 *   failing at is never refused because of other people's failures, while a spray from a locked address gets at
 *   most one guess per account until the account's failures are forgotten.
 * A throttled attempt is refused before the password is hashed, so guessing costs the server no bcrypt work.
 */
export const ACCOUNT_POLICY = { free: 5, baseMs: 15_000, maxMs: 5 * 60_000, forgetMs: 15 * 60_000 };
export const ADDRESS_POLICY = { free: 20, baseMs: 15_000, maxMs: 15 * 60_000, forgetMs: 15 * 60_000 };

type Store = Pick<Db, "signInThrottle">;

const accountKey = (email: string) => `account:${email.trim().toLowerCase().slice(0, 254)}`;
const addressKey = (ip: string) => `address:${ip.slice(0, 64)}`;

/** Milliseconds until this account from this address may try again; 0 when it may now. */
export async function signInRetryAfterMs(email: string, ip: string | null, now = Date.now(), store: Store = defaultDb): Promise<number> {
  if (!email && !ip) return 0;
  const keys = [...(email ? [accountKey(email)] : []), ...(ip ? [addressKey(ip)] : [])];
  const entries = await readEntries(keys, store);
  const account = email ? entries.get(accountKey(email)) : undefined;
  const accountWait = retryAfterMs(account, now);
  const accountFailing = activeFailures(ACCOUNT_POLICY, account, now) > 0;
  const addressWait = ip && accountFailing ? retryAfterMs(entries.get(addressKey(ip)), now) : 0;
  return Math.max(accountWait, addressWait);
}

/** Records a failed sign-in; returns the longest lock it started (0 = none). */
export async function recordSignInFailure(email: string, ip: string | null, now = Date.now(), store: Store = defaultDb): Promise<number> {
  const locks = await Promise.all([
    email ? recordFailure(accountKey(email), ACCOUNT_POLICY, now, store) : 0,
    ip ? recordFailure(addressKey(ip), ADDRESS_POLICY, now, store) : 0,
  ]);
  return Math.max(...locks);
}

/** Clears the account's failures. The address keeps its own: signing in to one account must not reset the count of guesses at others. */
export async function recordSignInSuccess(email: string, store: Store = defaultDb): Promise<void> {
  await clearKey(accountKey(email), store);
}
