import "server-only";
import { db, dbProvider, type Tx } from "@/lib/db";
import { GENESIS_HASH, keyedHash, type HashedContent } from "./hash";
import { auditKey } from "./key";
import { redact } from "./redact";
import type { AuditInput } from "./types";

/**
 * Appends one event to the hash chain inside the caller's transaction, so the event and the change it
 * records commit together. The unique index on prevHash makes a forked chain impossible: a concurrent
 * writer that read the same tail fails and its whole transaction is retried by inTransactionWithAudit.
 */
export async function appendAudit(tx: Tx, input: AuditInput): Promise<void> {
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { hash: true, at: true } });
  const seq = await nextSeq(tx);
  const prevHash = last?.hash ?? GENESIS_HASH;
  // `at` never goes backwards along the chain (a clock step back is clamped), so a time range maps to a seq
  // range and filtered history queries stay on the (column, seq) indexes (see query.ts).
  const now = new Date();
  const content: HashedContent = {
    at: last && last.at > now ? last.at : now,
    actorId: input.actor?.id ?? null,
    actorEmail: input.actor?.email ?? null,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    outcome: input.outcome,
    details: JSON.stringify(redact(input.details ?? {})),
    requestIds: input.requestIds?.length ? input.requestIds.join(",") : null,
    ip: input.client?.ip?.slice(0, 64) ?? null,
    userAgent: input.client?.userAgent?.slice(0, 512) ?? null,
  };
  await tx.auditEvent.create({
    data: { ...content, ...(seq === undefined ? {} : { seq }), prevHash, hash: keyedHash(auditKey(), prevHash, content) },
  });
}

/**
 * The seq of the next event, or undefined to let SQLite's AUTOINCREMENT issue it. SQLite issues seqs without
 * gaps (a rolled-back insert rolls its sequence back too). A PostgreSQL sequence does not roll back, so a
 * failed transaction would leave a gap that verification reports as a deleted row: on PostgreSQL the seq is
 * the highest one ever issued (kept by a trigger in "AuditEventIssued", which rolls back with the insert) + 1.
 * The chain lock (inTransactionWithAudit) is held, so no other writer reads the same number.
 */
async function nextSeq(tx: Tx): Promise<number | undefined> {
  if (dbProvider !== "postgresql") return undefined;
  const rows = await tx.$queryRaw<{ seq: number }[]>`SELECT "seq" FROM "AuditEventIssued"`;
  return Number(rows[0]?.seq ?? 0) + 1;
}

/** The key of the PostgreSQL advisory lock that makes the audit chain's writers take turns (any fixed bigint). */
export const AUDIT_CHAIN_LOCK_KEY = 7_245_031_906n;

/**
 * The first statement of every audited transaction: the chain's single-writer lock, held until commit.
 * SQLite: a write that matches no row takes the database write lock (see inTransactionWithAudit).
 * PostgreSQL: a transaction-scoped advisory lock, shared by every instance on the database.
 */
async function takeChainLock(tx: Tx): Promise<void> {
  if (dbProvider === "postgresql") await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`;
  else await tx.$executeRaw`UPDATE "sqlite_sequence" SET "seq" = "seq" WHERE 0`;
}

const ATTEMPTS = 8;

/**
 * A retryable clash with another writer: the unique prevHash index (someone took the tail), SQLite's lock
 * (SQLITE_BUSY; the driver adapter reports it as P1008 "SocketTimeout" with the SQLite code in meta), a
 * PostgreSQL serialization failure or deadlock (40001, 40P01), or no pooled connection in time (P2028).
 */
export function isChainConflict(e: unknown): boolean {
  const err = e as { code?: string; message?: string; meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } };
  if (err?.code === "P2002" || err?.code === "P2034" || err?.code === "P2028") return true;
  const original = err?.meta?.driverAdapterError?.cause?.originalCode;
  if (original?.startsWith("SQLITE_BUSY") || original === "40001" || original === "40P01") return true;
  return /SQLITE_BUSY|database is locked/i.test(err?.message ?? "");
}

const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attempt));

/**
 * Runs `work` and appends its audit event(s) in one transaction, retrying (with jittered backoff) when another
 * writer took the tail or held the lock.
 *
 * The transaction's first statement takes the chain lock (takeChainLock). On SQLite that is the write lock:
 * the driver adapter can only issue a deferred BEGIN, and a deferred transaction that reads and then tries to
 * write while another connection writes fails at once instead of waiting. Taking the lock first gives BEGIN
 * IMMEDIATE semantics: writers in other processes queue on the busy timeout, and everything `work` reads (e.g.
 * the last-admin check) cannot change before this transaction commits. On PostgreSQL the advisory lock makes
 * audited transactions of every instance take turns the same way (READ COMMITTED: each statement after the
 * lock sees everything committed before it), so the chain has one writer at a time and never forks.
 */
export async function inTransactionWithAudit<T>(work: (tx: Tx) => Promise<{ result: T; audit: AuditInput | AuditInput[] }>): Promise<T> {
  return dbProvider === "postgresql" ? inTurn(() => auditedTransaction(work)) : auditedTransaction(work);
}

let turn: Promise<unknown> = Promise.resolve();

/**
 * PostgreSQL: this process's audited transactions queue here before they take a pooled connection. They take
 * turns on the advisory lock anyway; without the queue, each waiter would hold a connection while it waits and
 * a burst of writers would exhaust the pool (P2028, "Unable to start a transaction in the given time").
 */
function inTurn<T>(fn: () => Promise<T>): Promise<T> {
  const mine = turn.then(fn, fn);
  turn = mine.catch(() => undefined);
  return mine;
}

async function auditedTransaction<T>(work: (tx: Tx) => Promise<{ result: T; audit: AuditInput | AuditInput[] }>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(
        async (tx) => {
          await takeChainLock(tx);
          const { result, audit } = await work(tx);
          for (const a of Array.isArray(audit) ? audit : [audit]) await appendAudit(tx, a);
          return result;
        },
        { maxWait: 15_000, timeout: 20_000 },
      );
    } catch (e) {
      if (attempt >= ATTEMPTS || !isChainConflict(e)) throw e;
      await pause(attempt);
    }
  }
}

/** An event that records no other change (a sign-in, a denied attempt, a connection test). */
export function recordAudit(input: AuditInput): Promise<void> {
  return inTransactionWithAudit(async () => ({ result: undefined, audit: input }));
}
