import { describe, expect, it } from "vitest";
import { auditHash, GENESIS_HASH, type HashedContent } from "./hash";
import { ChainWalker, checkRow, type ChainRow } from "./chain";

function chain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const c: HashedContent = { at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)), actorId: "u1", actorEmail: "a@example.com", action: "x.y", targetType: "t", targetId: String(seq), outcome: "success", details: "{}", requestIds: null, ip: null, userAgent: null };
    const hash = auditHash(prev, c);
    rows.push({ ...c, seq, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

function walk(rows: ChainRow[], issued = rows.at(-1)?.seq ?? 0) {
  const w = new ChainWalker();
  for (const r of rows) if (!w.push(r)) break;
  return { problem: w.finish(issued), checked: w.checked };
}

describe("chain check", () => {
  it("accepts an intact chain and counts it", () => {
    expect(walk(chain(10))).toEqual({ problem: null, checked: 10 });
    expect(walk([])).toEqual({ problem: null, checked: 0 });
  });

  it("detects an edited field", () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], actorEmail: "mallory@example.com" };
    expect(walk(rows).problem).toMatchObject({ seq: 3, kind: "edited" });
  });

  it("detects an edited row whose hash was recomputed, at the next link", () => {
    const rows = chain(5);
    const edited = { ...rows[2], outcome: "failure" };
    rows[2] = { ...edited, hash: auditHash(edited.prevHash, edited) };
    expect(walk(rows).problem).toMatchObject({ seq: 4, kind: "link" });
  });

  it("detects a deleted row in the middle, at the start and at the end", () => {
    const rows = chain(6);
    expect(walk([...rows.slice(0, 2), ...rows.slice(3)]).problem).toMatchObject({ seq: 4, kind: "missing", message: expect.stringContaining("seq 3 is gone") });
    expect(walk(rows.slice(2)).problem).toMatchObject({ seq: 3, kind: "missing", message: expect.stringContaining("seqs 1–2") });
    expect(walk(rows.slice(0, 4), 6).problem).toMatchObject({ seq: 5, kind: "missing", message: expect.stringContaining("seqs 5–6") });
  });

  it("detects a deleted row even when the next link was forged to hide it", () => {
    const rows = chain(4);
    const forged = { ...rows[3], prevHash: rows[1].hash };
    forged.hash = auditHash(forged.prevHash, forged);
    expect(walk([rows[0], rows[1], forged]).problem).toMatchObject({ seq: 4, kind: "missing" });
  });

  it("detects an edited link and a chain that does not start at genesis", () => {
    const rows = chain(3);
    expect(checkRow(rows[0], { ...rows[1], prevHash: "f".repeat(64) })).toMatchObject({ kind: "link", seq: 2 });
    expect(checkRow(null, { ...rows[0], prevHash: "f".repeat(64) })).toMatchObject({ kind: "link", seq: 1 });
  });

  it("treats an unreadable time as edited content", () => {
    const rows = chain(1);
    expect(checkRow(null, { ...rows[0], at: new Date("garbage") })).toMatchObject({ kind: "edited" });
  });
});
