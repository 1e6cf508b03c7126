import "server-only";
import { db, dbProvider, type Tx } from "@/lib/db";
import { ChainWalker, type ChainHead, type ChainProblem, type ChainRow } from "./chain";
import { auditKey } from "./key";

export interface VerifyResult {
  intact: boolean;
  /** Events whose hash and link were checked and found good. */
  checked: number;
  /** The highest seq the database has issued for AuditEvent (SQLite: sqlite_sequence; PostgreSQL: "AuditEventIssued"). */
  issued: number;
  problem: ChainProblem | null;
  /** The newest verified event, to export and keep elsewhere ("seq:hash"); null when the chain is broken or empty. */
  head: ChainHead | null;
  /** The exported head this run was checked against, if any. */
  checkedAgainst: ChainHead | null;
  durationMs: number;
}

type Reader = Pick<Tx, "auditEvent" | "$queryRaw">;

const SELECT = {
  seq: true,
  at: true,
  actorId: true,
  actorEmail: true,
  action: true,
  targetType: true,
  targetId: true,
  outcome: true,
  details: true,
  requestIds: true,
  ip: true,
  userAgent: true,
  prevHash: true,
  hash: true,
} as const;

async function issuedSeq(client: Reader): Promise<number> {
  const rows =
    dbProvider === "postgresql"
      ? await client.$queryRaw<{ seq: number | bigint }[]>`SELECT "seq" FROM "AuditEventIssued"`
      : await client.$queryRaw<{ seq: number | bigint }[]>`SELECT seq FROM sqlite_sequence WHERE name = 'AuditEvent'`;
  return rows.length ? Number(rows[0].seq) : 0;
}

/** The newest event as an exportable head. */
export async function chainHead(client: Reader = db): Promise<ChainHead | null> {
  return client.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
}

/**
 * Walks the whole chain in seq order, in batches (keyset on seq, so memory stays flat), recomputing every
 * hash (keyed links with the audit key) and checking every link; stops at the first problem. The highest
 * issued seq is read first, so events appended while the walk runs are not mistaken for deleted ones, while
 * deleted newest events are caught. With `head` (exported earlier), the event at head.seq must still carry
 * exactly that hash: only the key holder could have produced another chain that passes.
 */
export async function verifyChain({
  client = db as Reader,
  batchSize = 5000,
  head,
  key = auditKey(),
}: { client?: Reader; batchSize?: number; head?: ChainHead; key?: Buffer } = {}): Promise<VerifyResult> {
  const started = performance.now();
  const issued = await issuedSeq(client);
  const walker = new ChainWalker(key, head);
  let after = 0;
  for (;;) {
    const batch: ChainRow[] = await client.auditEvent.findMany({
      where: { seq: { gt: after } },
      orderBy: { seq: "asc" },
      take: batchSize,
      select: SELECT,
    });
    let ok = true;
    for (const row of batch) if (!(ok = walker.push(row))) break;
    if (!ok || batch.length < batchSize) break;
    after = batch[batch.length - 1].seq;
  }
  const problem = walker.finish(issued);
  return {
    intact: !problem,
    checked: walker.checked,
    issued,
    problem,
    head: problem ? null : walker.last,
    checkedAgainst: head ?? null,
    durationMs: Math.round(performance.now() - started),
  };
}
