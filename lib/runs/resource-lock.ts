import pg from "pg";
import { databaseProvider, databaseUrl } from "@/lib/config/database-url";

const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `work` after every earlier holder of `key` has finished: a per-key FIFO mutex in this process and, on
 * PostgreSQL (where several instances share the database and the AWS accounts), a transaction-scoped advisory
 * lock on the key, so two instances never both find "no artifact key yet" and both create one.
 */
export async function withResourceLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  await previous.catch(() => undefined);
  try {
    return await acrossInstances(key, work);
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}

let lockPool: pg.Pool | undefined;

/**
 * A session-level advisory lock on a connection of its own (not one of the Prisma client's: a step waiting for
 * the lock must not starve the runner's writes of connections). A process that dies drops its connection, and
 * PostgreSQL releases its locks with it.
 */
async function acrossInstances<T>(key: string, work: () => Promise<T>): Promise<T> {
  if (databaseProvider() !== "postgresql") return work();
  lockPool ??= new pg.Pool({ connectionString: databaseUrl(), max: 32 });
  const conn = await lockPool.connect();
  const lockKey = `crossline:resource:${key}`;
  let broken: Error | undefined;
  try {
    await conn.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [lockKey]);
    return await work();
  } finally {
    await conn.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [lockKey]).catch((e: Error) => (broken = e));
    conn.release(broken);
  }
}
