import "server-only";
import { db, type Tx } from "@/lib/db";
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
  await tx.auditEvent.create({ data: { ...content, prevHash, hash: keyedHash(auditKey(), prevHash, content) } });
}

const ATTEMPTS = 8;

/**
 * A retryable clash with another writer: the unique prevHash index (someone took the tail) or SQLite's lock
 * (SQLITE_BUSY). The driver adapter reports BUSY as P1008 "SocketTimeout" with the SQLite code in meta.
 */
export function isChainConflict(e: unknown): boolean {
  const err = e as { code?: string; message?: string; meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } };
  if (err?.code === "P2002") return true;
  if (err?.meta?.driverAdapterError?.cause?.originalCode?.startsWith("SQLITE_BUSY")) return true;
  return /SQLITE_BUSY|database is locked/i.test(err?.message ?? "");
}

const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attempt));

/**
 * Runs `work` and appends its audit event(s) in one transaction, retrying (with jittered backoff) when another
 * writer took the tail or held the lock.
 *
 * The transaction's first statement takes SQLite's write lock (a write that matches no row): the driver
 * adapter can only issue a deferred BEGIN, and a deferred transaction that reads and then tries to write while
 * another connection writes fails at once instead of waiting. Taking the lock first gives BEGIN IMMEDIATE
 * semantics: writers in other processes queue on the busy timeout, and everything `work` reads (e.g. the
 * last-admin check) cannot change before this transaction commits.
 */
export async function inTransactionWithAudit<T>(work: (tx: Tx) => Promise<{ result: T; audit: AuditInput | AuditInput[] }>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(
        async (tx) => {
          await tx.$executeRaw`UPDATE "sqlite_sequence" SET "seq" = "seq" WHERE 0`;
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
