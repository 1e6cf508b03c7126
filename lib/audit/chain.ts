import { auditHash, GENESIS_HASH, type HashedContent } from "./hash";

/** One stored event as the chain check reads it. */
export interface ChainRow extends HashedContent {
  seq: number;
  prevHash: string;
  hash: string;
}

export type ChainProblemKind = "edited" | "link" | "missing";

export interface ChainProblem {
  seq: number;
  kind: ChainProblemKind;
  message: string;
}

/**
 * Checks one event against the one before it (null for the first event), in this order:
 * - missing: seq is not the previous seq + 1 (AUTOINCREMENT issues seqs without gaps, so a gap is a deleted
 *   row — whether or not the next row's prevHash was re-linked to hide it);
 * - link: prevHash is not the previous event's hash (an earlier event was rewritten with a fresh hash, or
 *   this link was edited);
 * - edited: the stored hash does not match the event's own content.
 */
export function checkRow(prev: { seq: number; hash: string } | null, row: ChainRow): ChainProblem | null {
  const expectedSeq = prev ? prev.seq + 1 : 1;
  if (row.seq !== expectedSeq) {
    const range = row.seq - 1 === expectedSeq ? `seq ${expectedSeq} is` : `seqs ${expectedSeq}–${row.seq - 1} are`;
    return { seq: row.seq, kind: "missing", message: `Row missing: ${range} gone; seq ${row.seq} follows ${prev ? `seq ${prev.seq}` : "the start of the chain"}.` };
  }
  const expectedPrev = prev?.hash ?? GENESIS_HASH;
  if (row.prevHash !== expectedPrev) {
    return {
      seq: row.seq,
      kind: "link",
      message: prev
        ? `Link broken at seq ${row.seq}: its previous-hash does not match the hash of seq ${prev.seq} (seq ${prev.seq} was rewritten, or this link was edited).`
        : `Link broken at seq ${row.seq}: the first event does not start from the genesis hash.`,
    };
  }
  const validTime = row.at instanceof Date && !Number.isNaN(row.at.getTime());
  if (!validTime || auditHash(row.prevHash, row) !== row.hash) {
    return { seq: row.seq, kind: "edited", message: `Content edited at seq ${row.seq}: the stored hash does not match the event's content.` };
  }
  return null;
}

/** Walks rows in seq order, remembering the last good link; stops at the first problem. */
export class ChainWalker {
  checked = 0;
  last: { seq: number; hash: string } | null = null;
  problem: ChainProblem | null = null;

  /** Returns false once a problem has been found. */
  push(row: ChainRow): boolean {
    if (this.problem) return false;
    const p = checkRow(this.last, row);
    if (p) {
      this.problem = p;
      return false;
    }
    this.checked++;
    this.last = { seq: row.seq, hash: row.hash };
    return true;
  }

  /** After the last row: the database issued seqs up to `issued`; any beyond the last row were deleted. */
  finish(issued: number): ChainProblem | null {
    if (this.problem) return this.problem;
    const lastSeq = this.last?.seq ?? 0;
    if (issued > lastSeq) {
      const from = lastSeq + 1;
      this.problem = { seq: from, kind: "missing", message: `Row missing at the end: ${from === issued ? `seq ${from} was` : `seqs ${from}–${issued} were`} issued but ${from === issued ? "is" : "are"} gone.` };
    }
    return this.problem;
  }
}
