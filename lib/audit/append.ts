import "server-only";
import { db, type Tx } from "@/lib/db";
import { auditHash, GENESIS_HASH, type HashedContent } from "./hash";
import { redact } from "./redact";
import type { AuditInput } from "./types";

/**
 * Appends one event to the hash chain inside the caller's transaction, so the event and the change it
 * records commit together. The unique index on prevHash makes a forked chain impossible: a concurrent
 * writer that read the same tail fails and its whole transaction is retried by inTransactionWithAudit.
 */
export async function appendAudit(tx: Tx, input: AuditInput): Promise<void> {
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const content: HashedContent = {
    at: new Date(),
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
  await tx.auditEvent.create({ data: { ...content, prevHash, hash: auditHash(prevHash, content) } });
}

const RETRIES = 5;

function isChainConflict(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === "P2002" || /SQLITE_BUSY|database is locked/i.test(err?.message ?? "");
}

/** Runs `work` and appends its audit event(s) in one transaction, retrying when another writer took the tail. */
export async function inTransactionWithAudit<T>(work: (tx: Tx) => Promise<{ result: T; audit: AuditInput | AuditInput[] }>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const { result, audit } = await work(tx);
        for (const a of Array.isArray(audit) ? audit : [audit]) await appendAudit(tx, a);
        return result;
      });
    } catch (e) {
      if (attempt >= RETRIES || !isChainConflict(e)) throw e;
    }
  }
}

/** An event that records no other change (a sign-in, a denied attempt, a connection test). */
export function recordAudit(input: AuditInput): Promise<void> {
  return inTransactionWithAudit(async () => ({ result: undefined, audit: input }));
}
