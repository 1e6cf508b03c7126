// The history page's query and the export, on the real database: filters, keyset pages in both directions,
// time ranges, and the streamed CSV/JSON content (formula injection neutralised).
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/append";
import { parseAuditQuery, type AuditFilters } from "@/lib/audit/filters";
import { queryAuditPage } from "@/lib/audit/query";
import { auditExportStream, EXPORT_COLUMNS } from "@/lib/audit/export";

const actor = `pager-${Date.now()}@example.com`;
let t0: Date;
let t1: Date;
let t2: Date;

beforeAll(async () => {
  t0 = new Date();
  for (let i = 0; i < 120; i++) {
    await recordAudit({
      actor: { id: "pager", email: actor },
      action: i % 3 === 0 ? "test.alpha" : "test.beta",
      target: { type: "widget", id: `w${i % 4}` },
      outcome: i % 10 === 0 ? "denied" : "success",
      details: { i },
    });
    if (i === 59) {
      await new Promise((r) => setTimeout(r, 15));
      t1 = new Date();
      await new Promise((r) => setTimeout(r, 15));
    }
  }
  await recordAudit({
    actor: { email: actor },
    action: "test.csv",
    target: { type: "widget", id: '=HYPERLINK("http://evil.example","click")' },
    outcome: "success",
    details: { note: "+1,2\n@x" },
    client: { userAgent: "-ua" },
  });
  t2 = new Date();
});

const read = async (stream: ReadableStream<Uint8Array>) => new Response(stream).text();
const mine = (f: AuditFilters = {}) => ({ actor, ...f });

describe("audit query", () => {
  it("pages newest first by keyset, older and newer, without overlap or loss", async () => {
    const p1 = await queryAuditPage(mine());
    expect(p1.events).toHaveLength(50);
    expect(p1.events[0].action).toBe("test.csv");
    expect(p1.newerCursor).toBeUndefined();
    expect(p1.events.map((e) => e.seq)).toEqual([...p1.events.map((e) => e.seq)].sort((a, b) => b - a));
    const p2 = await queryAuditPage(mine(), { before: p1.olderCursor });
    const p3 = await queryAuditPage(mine(), { before: p2.olderCursor });
    expect(p3.events).toHaveLength(21);
    expect(p3.olderCursor).toBeUndefined();
    const seqs = [...p1.events, ...p2.events, ...p3.events].map((e) => e.seq);
    expect(new Set(seqs).size).toBe(121);
    expect(p2.newerCursor).toBe(p2.events[0].seq);
    const back = await queryAuditPage(mine(), { after: p3.newerCursor });
    expect(back.events.map((e) => e.seq)).toEqual(p2.events.map((e) => e.seq));
    const first = await queryAuditPage(mine(), { after: back.newerCursor });
    expect(first.events.map((e) => e.seq)).toEqual(p1.events.map((e) => e.seq));
    expect(first.newerCursor).toBeUndefined();
  });

  it("filters by action, target, outcome and combinations", async () => {
    expect((await queryAuditPage(mine({ outcome: "denied" }))).events).toHaveLength(12);
    expect((await queryAuditPage(mine({ action: "test.alpha" }), {}, { pageSize: 100 })).events).toHaveLength(40);
    const w1 = await queryAuditPage(mine({ targetType: "widget", targetId: "w1" }), {}, { pageSize: 100 });
    expect(w1.events).toHaveLength(30);
    expect(w1.events.every((e) => e.targetId === "w1")).toBe(true);
    expect(
      (await queryAuditPage(mine({ action: "test.alpha", outcome: "denied" }))).events.every(
        (e) => e.action === "test.alpha" && e.outcome === "denied",
      ),
    ).toBe(true);
    expect((await queryAuditPage({ actor: "nobody@example.com" })).events).toEqual([]);
  });

  it("filters by time range through the seq bounds", async () => {
    const before = await queryAuditPage(mine({ from: t0, to: t1 }), {}, { pageSize: 200 });
    expect(before.events).toHaveLength(60);
    const after = await queryAuditPage(mine({ from: t1, to: t2 }), {}, { pageSize: 200 });
    expect(after.events).toHaveLength(61);
    expect((await queryAuditPage(mine({ from: new Date(t2.getTime() + 60_000) }))).events).toEqual([]);
    expect((await queryAuditPage(mine({ to: new Date(t0.getTime() - 60_000) }))).events).toEqual([]);
  });

  it("accepts the page's query string end to end", async () => {
    const parsed = parseAuditQuery(new URLSearchParams({ actor: actor.toUpperCase(), outcome: "denied" }));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect((await queryAuditPage(parsed.filters)).events).toHaveLength(12);
  });
});

describe("audit export", () => {
  it("streams the filtered set as CSV, oldest first, in small batches, with formula injection neutralised", async () => {
    const csv = await read(auditExportStream(mine(), "csv", { batchSize: 7 }));
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(EXPORT_COLUMNS.join(","));
    expect(csv.endsWith("\r\n")).toBe(true);
    // 121 events + header; one details cell holds an escaped newline inside quotes.
    expect(csv.match(/\r\n/g)).toHaveLength(122);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv).toContain(",'-ua,");
    expect(csv).toContain(`"{""note"":""+1,2\\n@x""}"`);
    const seqs = lines
      .slice(1, -1)
      .filter((l) => /^\d+,/.test(l))
      .map((l) => Number(l.split(",")[0]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it("streams JSON that parses to the same events with their hashes", async () => {
    const json = JSON.parse(await read(auditExportStream(mine({ outcome: "denied" }), "json", { batchSize: 5 })));
    expect(json).toHaveLength(12);
    expect(Object.keys(json[0])).toEqual([...EXPORT_COLUMNS]);
    expect(json[0].hash).toMatch(/^k1:[0-9a-f]{64}$/);
    expect(JSON.parse(await read(auditExportStream({ actor: "nobody@example.com" }, "json")))).toEqual([]);
  });

  it("reads lazily: a cancelled export stops reading", async () => {
    const stream = auditExportStream({}, "csv", { batchSize: 2 });
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect(await db.auditEvent.count()).toBeGreaterThan(100);
  });
});
