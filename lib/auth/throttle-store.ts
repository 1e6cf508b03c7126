import "server-only";
import { db as defaultDb, type Db } from "@/lib/db";
import { forgotten, lockAfter, type BackoffEntry, type BackoffPolicy } from "./backoff";

/**
 * Sign-in failure counters in the database (table SignInThrottle), so every instance on one database — SQLite
 * or PostgreSQL — counts the same failures and a restart forgets nothing. Each write is a single atomic
 * statement (an upsert that increments), so failures recorded by two instances at once are both counted.
 */
type Store = Pick<Db, "signInThrottle">;

const toEntry = (r: { failures: number; lastFailAt: Date; lockedUntil: Date }): BackoffEntry => ({
  failures: r.failures,
  lastFailAt: r.lastFailAt.getTime(),
  lockedUntil: r.lockedUntil.getTime(),
});

/** The stored entries of `keys` (missing keys are absent from the map). */
export async function readEntries(keys: string[], store: Store = defaultDb): Promise<Map<string, BackoffEntry>> {
  const rows = await store.signInThrottle.findMany({ where: { key: { in: keys } } });
  return new Map(rows.map((r) => [r.key, toEntry(r)]));
}

async function increment(store: Store, key: string, at: Date) {
  const args = {
    where: { key },
    create: { key, failures: 1, lastFailAt: at, lockedUntil: at },
    update: { failures: { increment: 1 }, lastFailAt: at },
  };
  try {
    return await store.signInThrottle.upsert(args);
  } catch (e) {
    // Two instances inserting the same new key at once: the loser's insert hits the primary key; now it exists.
    if ((e as { code?: string }).code !== "P2002") throw e;
    return store.signInThrottle.upsert(args);
  }
}

/** Records one failure of `key`; returns the lock it started (0 = none yet). */
export async function recordFailure(key: string, policy: BackoffPolicy, now = Date.now(), store: Store = defaultDb): Promise<number> {
  const at = new Date(now);
  // A key quiet for longer than forgetMs starts again from zero (and stale keys of others are pruned with it,
  // so a flood of addresses or emails cannot grow the table without bound).
  const kind = key.slice(0, key.indexOf(":") + 1);
  await store.signInThrottle.deleteMany({
    where: { key: { startsWith: kind }, lastFailAt: { lt: new Date(now - policy.forgetMs) }, lockedUntil: { lte: at } },
  });
  const row = await increment(store, key, at);
  if (forgotten(policy, toEntry(row), now)) return 0;
  const lock = lockAfter(policy, row.failures);
  if (lock > 0) {
    const until = new Date(now + lock);
    // Never shortens a longer lock another instance set meanwhile.
    await store.signInThrottle.updateMany({ where: { key, lockedUntil: { lt: until } }, data: { lockedUntil: until } });
  }
  return lock;
}

/** Forgets `key`'s failures (a successful sign-in to that account). */
export async function clearKey(key: string, store: Store = defaultDb): Promise<void> {
  await store.signInThrottle.deleteMany({ where: { key } });
}
