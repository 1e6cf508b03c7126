import "server-only";
import { db, type Tx } from "@/lib/db";
import type { AuditEvent, Prisma } from "@/lib/generated/prisma/client";
import type { AuditCursor, AuditFilters } from "./filters";

export type AuditReader = Pick<Tx, "auditEvent">;
export const AUDIT_PAGE_SIZE = 50;

export interface AuditPage {
  events: AuditEvent[];
  /** Pass as `before` to see the next older page; absent on the oldest page. */
  olderCursor?: number;
  /** Pass as `after` to see the next newer page; absent on the newest page. */
  newerCursor?: number;
}

/**
 * The WHERE clause for a set of filters, or null when nothing can match. A time range is turned into a seq
 * range first: appendAudit keeps `at` non-decreasing along seq, so "from" is the first seq at or after it and
 * "to" the last seq at or before it (two index seeks on `at`). Every filtered query then walks one
 * (column, seq) index in seq order — no sort, however wide the range.
 */
export async function auditWhere(filters: AuditFilters, client: AuditReader = db): Promise<Prisma.AuditEventWhereInput | null> {
  const where: Prisma.AuditEventWhereInput = {};
  const seq: Prisma.IntFilter<"AuditEvent"> = {};
  if (filters.from) {
    const first = await client.auditEvent.findFirst({
      where: { at: { gte: filters.from } },
      orderBy: [{ at: "asc" }, { seq: "asc" }],
      select: { seq: true },
    });
    if (!first) return null;
    seq.gte = first.seq;
    where.at = { gte: filters.from };
  }
  if (filters.to) {
    const last = await client.auditEvent.findFirst({
      where: { at: { lte: filters.to } },
      orderBy: [{ at: "desc" }, { seq: "desc" }],
      select: { seq: true },
    });
    if (!last) return null;
    seq.lte = last.seq;
    where.at = { ...(where.at as object), lte: filters.to };
  }
  if (seq.gte !== undefined && seq.lte !== undefined && seq.gte > seq.lte) return null;
  if (filters.actor) where.actorEmail = filters.actor;
  if (filters.action) where.action = filters.action;
  if (filters.targetType) where.targetType = filters.targetType;
  if (filters.targetId) where.targetId = filters.targetId;
  if (filters.outcome) where.outcome = filters.outcome;
  if (Object.keys(seq).length) where.seq = seq;
  return where;
}

function withSeq(where: Prisma.AuditEventWhereInput, extra: Prisma.IntFilter<"AuditEvent">): Prisma.AuditEventWhereInput {
  return { ...where, seq: { ...(where.seq as Prisma.IntFilter<"AuditEvent"> | undefined), ...extra } };
}

async function exists(client: AuditReader, where: Prisma.AuditEventWhereInput): Promise<boolean> {
  return (await client.auditEvent.findFirst({ where, select: { seq: true } })) !== null;
}

/** One page of the history, newest first, by keyset on seq (no OFFSET: every page costs the same). */
export async function queryAuditPage(
  filters: AuditFilters,
  cursor: AuditCursor = {},
  { client = db as AuditReader, pageSize = AUDIT_PAGE_SIZE } = {},
): Promise<AuditPage> {
  const where = await auditWhere(filters, client);
  if (!where) return { events: [] };
  let events: AuditEvent[];
  let olderCursor: number | undefined;
  let newerCursor: number | undefined;
  if (cursor.after !== undefined) {
    const rows = await client.auditEvent.findMany({
      where: withSeq(where, { gt: cursor.after }),
      orderBy: { seq: "asc" },
      take: pageSize + 1,
    });
    events = rows.slice(0, pageSize).reverse();
    if (rows.length > pageSize) newerCursor = events[0].seq;
    const oldest = events.at(-1)?.seq ?? cursor.after + 1;
    if (await exists(client, withSeq(where, { lt: oldest }))) olderCursor = oldest;
  } else {
    const rows = await client.auditEvent.findMany({
      where: cursor.before !== undefined ? withSeq(where, { lt: cursor.before }) : where,
      orderBy: { seq: "desc" },
      take: pageSize + 1,
    });
    events = rows.slice(0, pageSize);
    if (rows.length > pageSize) olderCursor = events.at(-1)!.seq;
    if (cursor.before !== undefined) {
      const newest = events[0]?.seq ?? cursor.before - 1;
      if (await exists(client, withSeq(where, { gt: newest }))) newerCursor = newest;
    }
  }
  return { events, olderCursor, newerCursor };
}

/** Every matching event, oldest first, in batches by keyset on seq: memory holds one batch at a time. */
export async function* auditBatches(
  filters: AuditFilters,
  { client = db as AuditReader, batchSize = 1000 } = {},
): AsyncGenerator<AuditEvent[]> {
  const where = await auditWhere(filters, client);
  if (!where) return;
  let after = 0;
  for (;;) {
    const batch = await client.auditEvent.findMany({ where: withSeq(where, { gt: after }), orderBy: { seq: "asc" }, take: batchSize });
    if (batch.length) yield batch;
    if (batch.length < batchSize) return;
    after = batch[batch.length - 1].seq;
  }
}
