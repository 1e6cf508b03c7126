import { describe, expect, it } from "vitest";
import { GENESIS_HASH, keyedHash, plainHash, type HashedContent } from "./hash";
import { ChainWalker, checkRow, type ChainHead, type ChainRow } from "./chain";

const KEY = Buffer.from("k".repeat(32));

const content = (seq: number): HashedContent => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
  actorId: "u1",
  actorEmail: "a@example.com",
  action: "x.y",
  targetType: "t",
  targetId: String(seq),
  outcome: "success",
  details: "{}",
  requestIds: null,
  ip: null,
  userAgent: null,
});

/** n events; the first `plain` of them in the plain (pre-key) format, the rest keyed. */
function chain(n: number, plain = 0, key = KEY): ChainRow[] {
  return rechain(
    Array.from({ length: n }, (_, i) => ({ ...content(i + 1), seq: i + 1, prevHash: "", hash: "" })),
    plain,
    key,
  );
}

/** What someone who can write the database does: recompute every link from the start (plain for the first `plain`). */
function rechain(rows: ChainRow[], plain: number, key = KEY): ChainRow[] {
  let prev = GENESIS_HASH;
  return rows.map((r, i) => {
    const hash = i < plain ? plainHash(prev, r) : keyedHash(key, prev, r);
    const row = { ...r, prevHash: prev, hash };
    prev = hash;
    return row;
  });
}

function walk(rows: ChainRow[], issued = rows.at(-1)?.seq ?? 0, head?: ChainHead) {
  const w = new ChainWalker(KEY, head);
  for (const r of rows) if (!w.push(r)) break;
  return { problem: w.finish(issued), checked: w.checked };
}

describe("chain check", () => {
  it("accepts an intact keyed chain, and plain history written before the key followed by keyed events", () => {
    expect(walk(chain(10))).toEqual({ problem: null, checked: 10 });
    expect(walk(chain(10, 4))).toEqual({ problem: null, checked: 10 });
    expect(walk([])).toEqual({ problem: null, checked: 0 });
  });

  it("detects an edited field", () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], actorEmail: "mallory@example.com" };
    expect(walk(rows).problem).toMatchObject({ seq: 3, kind: "edited" });
  });

  it("detects a keyed link recomputed with another key", () => {
    const rows = chain(5);
    const forged = rechain(rows, 0, Buffer.from("x".repeat(32)));
    expect(walk(forged).problem).toMatchObject({ seq: 1, kind: "edited" });
  });

  it("detects an edited row whose hash was recomputed, at the next link", () => {
    const rows = chain(5, 5);
    const edited = { ...rows[2], outcome: "failure" };
    rows[2] = { ...edited, hash: plainHash(edited.prevHash, edited) };
    expect(walk(rows.slice(0, 4), 4).problem).toMatchObject({ seq: 4, kind: "link" });
  });

  it("detects an event deleted and the rest re-chained and renumbered with the plain hash", () => {
    const rows = chain(6, 2);
    const kept = [...rows.slice(0, 3), ...rows.slice(4)].map((r, i) => ({ ...r, seq: i + 1 }));
    // From the deleted event on, re-linked with plain hashes (the attacker has no key).
    let prev = kept[2].hash;
    const forged = kept.map((r, i) => {
      if (i < 3) return r;
      const row = { ...r, prevHash: prev, hash: plainHash(prev, r) };
      prev = row.hash;
      return row;
    });
    expect(walk(forged).problem).toMatchObject({ seq: 4, kind: "unsigned" });
    // The whole chain re-written with plain hashes: the newest event is not signed.
    expect(walk(rechain(kept, kept.length)).problem).toMatchObject({ seq: 5, kind: "unsigned" });
  });

  it("detects a deleted row in the middle, at the start and at the end", () => {
    const rows = chain(6);
    expect(walk([...rows.slice(0, 2), ...rows.slice(3)]).problem).toMatchObject({
      seq: 4,
      kind: "missing",
      message: expect.stringContaining("seq 3 is gone"),
    });
    expect(walk(rows.slice(2)).problem).toMatchObject({ seq: 3, kind: "missing", message: expect.stringContaining("seqs 1–2") });
    expect(walk(rows.slice(0, 4), 6).problem).toMatchObject({ seq: 5, kind: "missing", message: expect.stringContaining("seqs 5–6") });
  });

  it("detects a deleted row even when the next link was forged to hide it", () => {
    const rows = chain(4, 4);
    const forged = { ...rows[3], prevHash: rows[1].hash };
    forged.hash = plainHash(forged.prevHash, forged);
    expect(walk([rows[0], rows[1], forged]).problem).toMatchObject({ seq: 4, kind: "missing" });
  });

  it("checks an exported head: intact when it is still there, reported when the tail was cut below it or the chain differs", () => {
    const rows = chain(6);
    const head = { seq: 4, hash: rows[3].hash };
    expect(walk(rows, 6, head)).toEqual({ problem: null, checked: 6 });
    // Tail cut to seq 3 and sqlite_sequence rewritten to match: only the exported head shows it.
    expect(walk(rows.slice(0, 3), 3, head).problem).toMatchObject({ kind: "missing", seq: 4 });
    expect(walk(rows, 6, { seq: 4, hash: rows[2].hash }).problem).toMatchObject({ kind: "head", seq: 4 });
  });

  it("detects an edited link and a chain that does not start at genesis", () => {
    const rows = chain(3);
    expect(checkRow(rows[0], { ...rows[1], prevHash: "f".repeat(64) }, KEY)).toMatchObject({ kind: "link", seq: 2 });
    expect(checkRow(null, { ...rows[0], prevHash: "f".repeat(64) }, KEY)).toMatchObject({ kind: "link", seq: 1 });
  });

  it("treats an unreadable time as edited content", () => {
    const rows = chain(1);
    expect(checkRow(null, { ...rows[0], at: new Date("garbage") }, KEY)).toMatchObject({ kind: "edited" });
  });
});
