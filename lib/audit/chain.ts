import { GENESIS_HASH, isKeyed, keyedHash, plainHash, type HashedContent } from "./hash";

/** One stored event as the chain check reads it. */
export interface ChainRow extends HashedContent {
  seq: number;
  prevHash: string;
  hash: string;
}

export type ChainProblemKind = "edited" | "link" | "missing" | "unsigned" | "head";

export interface ChainProblem {
  seq: number;
  kind: ChainProblemKind;
  message: string;
}

/** A chain head exported earlier (seq + hash), to prove later that history up to it was not re-written. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * Checks one event against the one before it (null for the first event), in this order:
 * - missing: seq is not the previous seq + 1 (AUTOINCREMENT issues seqs without gaps, so a gap is a deleted
 *   row — whether or not the next row's prevHash was re-linked to hide it);
 * - link: prevHash is not the previous event's hash (an earlier event was rewritten with a fresh hash, or
 *   this link was edited);
 * - unsigned: a plain (unkeyed) hash after a keyed one — plain hashes are only valid for the history written
 *   before the audit key existed, so this is someone re-chaining events without the key;
 * - edited: the stored hash does not match the event's own content (under the audit key for keyed links).
 */
export function checkRow(prev: { seq: number; hash: string } | null, row: ChainRow, key: Buffer): ChainProblem | null {
  const expectedSeq = prev ? prev.seq + 1 : 1;
  if (row.seq !== expectedSeq) {
    const range = row.seq - 1 === expectedSeq ? `seq ${expectedSeq} is` : `seqs ${expectedSeq}–${row.seq - 1} are`;
    return {
      seq: row.seq,
      kind: "missing",
      message: `Row missing: ${range} gone; seq ${row.seq} follows ${prev ? `seq ${prev.seq}` : "the start of the chain"}.`,
    };
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
  const keyed = isKeyed(row.hash);
  if (!keyed && prev && isKeyed(prev.hash)) {
    return {
      seq: row.seq,
      kind: "unsigned",
      message: `Not signed at seq ${row.seq}: it carries a plain hash although seq ${prev.seq} is signed with the audit key — the chain was re-written from here without the key.`,
    };
  }
  const validTime = row.at instanceof Date && !Number.isNaN(row.at.getTime());
  const expected = validTime ? (keyed ? keyedHash(key, row.prevHash, row) : plainHash(row.prevHash, row)) : null;
  if (expected !== row.hash) {
    return {
      seq: row.seq,
      kind: "edited",
      message: `Content edited at seq ${row.seq}: the stored hash does not match the event's content${keyed ? " under the audit key" : ""}.`,
    };
  }
  return null;
}

/** Walks rows in seq order, remembering the last good link; stops at the first problem. */
export class ChainWalker {
  checked = 0;
  last: { seq: number; hash: string } | null = null;
  problem: ChainProblem | null = null;

  constructor(
    private readonly key: Buffer,
    private readonly head?: ChainHead,
  ) {}

  /** Returns false once a problem has been found. */
  push(row: ChainRow): boolean {
    if (this.problem) return false;
    const p = checkRow(this.last, row, this.key);
    if (p) {
      this.problem = p;
      return false;
    }
    if (this.head && row.seq === this.head.seq && row.hash !== this.head.hash) {
      this.problem = {
        seq: row.seq,
        kind: "head",
        message: `Exported head does not match: seq ${row.seq} now has another hash than the one exported, so the history up to it was re-written.`,
      };
      return false;
    }
    this.checked++;
    this.last = { seq: row.seq, hash: row.hash };
    return true;
  }

  /**
   * After the last row: the database issued seqs up to `issued`; any beyond the last row were deleted. The
   * newest event must be keyed (every event written since the key exists is), and an exported head must
   * still be in the chain.
   */
  finish(issued: number): ChainProblem | null {
    if (this.problem) return this.problem;
    const lastSeq = this.last?.seq ?? 0;
    if (issued > lastSeq) {
      const from = lastSeq + 1;
      this.problem = {
        seq: from,
        kind: "missing",
        message: `Row missing at the end: ${from === issued ? `seq ${from} was` : `seqs ${from}–${issued} were`} issued but ${from === issued ? "is" : "are"} gone.`,
      };
    } else if (this.head && this.head.seq > lastSeq) {
      this.problem = {
        seq: this.head.seq,
        kind: "missing",
        message: `Row missing at the end: the exported head is seq ${this.head.seq}, but the chain now ends at seq ${lastSeq}.`,
      };
    } else if (this.last && !isKeyed(this.last.hash)) {
      this.problem = {
        seq: this.last.seq,
        kind: "unsigned",
        message: `Not signed at seq ${this.last.seq}: the newest event carries a plain hash, not the audit key's. Either nothing was recorded since keyed auditing began, or the chain was re-written without the key.`,
      };
    }
    return this.problem;
  }
}
