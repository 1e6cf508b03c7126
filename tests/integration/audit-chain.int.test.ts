// The hash chain end to end on a real SQLite database: append, verify, concurrent writers, the append-only
// triggers, and tampering (an edited row, a re-hashed row, a deleted row) that verification must report.
//
// Trigger strategy: the migration adds triggers that abort any UPDATE or DELETE of "AuditEvent". To simulate
// an attacker with direct file access, the tamper tests work on a COPY of the run's database (SQLite backup
// API), drop the triggers there through a separate better-sqlite3 connection, tamper, and run the real
// verifyChain against the copy through its own Prisma client. The run's database keeps its triggers and chain.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { recordAudit } from "@/lib/audit/append";
import { keyedHash, plainHash, type HashedContent } from "@/lib/audit/hash";
import { auditKey } from "@/lib/audit/key";
import { verifyChain } from "@/lib/audit/verify";

const dbFile = () => process.env.DATABASE_URL!.replace(/^file:/, "");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "audit-tamper-"));
const clients: PrismaClient[] = [];

/** A copy of the run's database with the append-only triggers dropped, plus a raw connection and a Prisma client on it. */
async function tamperableCopy(name: string) {
  const file = path.join(tmp, `${name}.db`);
  const src = new Database(dbFile(), { readonly: true });
  await src.backup(file);
  src.close();
  const raw = new Database(file);
  raw.exec(`DROP TRIGGER "AuditEvent_no_update"; DROP TRIGGER "AuditEvent_no_delete";`);
  const client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}` }) });
  clients.push(client);
  return { raw, client };
}

beforeAll(async () => {
  for (let i = 0; i < 5; i++) await recordAudit({ actor: { email: "chain@example.com" }, action: "test.chain", target: { type: "test", id: String(i) }, outcome: "success", details: { i } });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("audit chain", () => {
  it("links each appended event to the previous one and verifies intact", async () => {
    const [b, a] = await db.auditEvent.findMany({ orderBy: { seq: "desc" }, take: 2 });
    expect(b.prevHash).toBe(a.hash);
    expect(b.hash).toBe(keyedHash(auditKey(), b.prevHash, b));
    expect(b.hash).toMatch(/^k1:[0-9a-f]{64}$/);
    const r = await verifyChain();
    expect(r).toMatchObject({ intact: true, problem: null });
    expect(r.checked).toBe(await db.auditEvent.count());
    expect(r.issued).toBe(b.seq);
  });

  it("verifies in small batches as in one", async () => {
    expect(await verifyChain({ batchSize: 2 })).toMatchObject({ intact: true, checked: await db.auditEvent.count() });
  });

  it("keeps one chain under 50 concurrent writers: intact, every event stored, no shared previous hash, no seq gap", async () => {
    const before = await db.auditEvent.count();
    await Promise.all(Array.from({ length: 50 }, (_, i) => recordAudit({ actor: { email: `writer${i}@example.com` }, action: "test.concurrent", outcome: "success", details: { i } })));
    expect(await db.auditEvent.count()).toBe(before + 50);
    const r = await verifyChain();
    expect(r).toMatchObject({ intact: true, checked: before + 50 });
    const dupes = await db.$queryRaw<{ n: number }[]>`SELECT COUNT(*) AS n FROM (SELECT prevHash FROM AuditEvent GROUP BY prevHash HAVING COUNT(*) > 1)`;
    expect(Number(dupes[0].n)).toBe(0);
    const gaps = await db.$queryRaw<{ n: number }[]>`SELECT MAX(seq) - MIN(seq) + 1 - COUNT(*) AS n FROM AuditEvent`;
    expect(Number(gaps[0].n)).toBe(0);
  });

  it("keeps one chain when separate processes append at the same time", async () => {
    const before = await db.auditEvent.count();
    const writer = (label: string) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/support/audit-writer.ts", label, "25"], { env: process.env, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer ${label} exited ${code}: ${stderr}`))));
      });
    await Promise.all([writer("proc-a"), writer("proc-b"), writer("proc-c"), Promise.all(Array.from({ length: 25 }, (_, i) => recordAudit({ actor: { email: "proc-main@example.com" }, action: "test.crossProcess", outcome: "success", details: { i } })))]);
    expect(await db.auditEvent.count()).toBe(before + 100);
    expect(await verifyChain()).toMatchObject({ intact: true, checked: before + 100 });
  });

  it("refuses UPDATE and DELETE of audit rows in the database itself (triggers)", async () => {
    const last = await db.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } });
    await expect(db.$executeRawUnsafe(`UPDATE "AuditEvent" SET outcome = 'denied' WHERE seq = ${last.seq}`)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE seq = ${last.seq}`)).rejects.toThrow(/append-only/);
    expect(await db.auditEvent.findUniqueOrThrow({ where: { seq: last.seq } })).toEqual(last);
  });

  it("reports an edited row as content edited at its seq", async () => {
    const { raw, client } = await tamperableCopy("edited");
    const target = raw.prepare(`SELECT seq FROM AuditEvent WHERE action = 'test.chain' ORDER BY seq LIMIT 1 OFFSET 2`).get() as { seq: number };
    raw.prepare(`UPDATE AuditEvent SET actorEmail = 'mallory@example.com' WHERE seq = ?`).run(target.seq);
    raw.close();
    const r = await verifyChain({ client });
    expect(r).toMatchObject({ intact: false, checked: target.seq - 1, problem: { seq: target.seq, kind: "edited" } });
    expect(r.problem!.message).toContain("Content edited");
  });

  it("reports a row edited with a recomputed hash as a broken link at the next seq", async () => {
    const { raw, client } = await tamperableCopy("rehashed");
    const row = raw.prepare(`SELECT * FROM AuditEvent WHERE action = 'test.chain' ORDER BY seq LIMIT 1 OFFSET 1`).get() as Record<string, string | number | null>;
    const edited = { ...row, outcome: "failure", at: new Date(String(row.at)) } as never as HashedContent & { prevHash: string; seq: number };
    raw.prepare(`UPDATE AuditEvent SET outcome = 'failure', hash = ? WHERE seq = ?`).run(keyedHash(auditKey(), edited.prevHash, edited), edited.seq);
    raw.close();
    expect(await verifyChain({ client })).toMatchObject({ intact: false, problem: { seq: edited.seq + 1, kind: "link" } });
  });

  it("reports a deleted row as a row missing, in the middle and at the end", async () => {
    const mid = await tamperableCopy("deleted-middle");
    const target = mid.raw.prepare(`SELECT seq FROM AuditEvent WHERE action = 'test.chain' ORDER BY seq LIMIT 1 OFFSET 3`).get() as { seq: number };
    mid.raw.prepare(`DELETE FROM AuditEvent WHERE seq = ?`).run(target.seq);
    mid.raw.close();
    const r = await verifyChain({ client: mid.client });
    expect(r).toMatchObject({ intact: false, checked: target.seq - 1, problem: { seq: target.seq + 1, kind: "missing" } });
    expect(r.problem!.message).toContain(`seq ${target.seq} is gone`);

    const end = await tamperableCopy("deleted-end");
    const last = end.raw.prepare(`SELECT MAX(seq) AS seq FROM AuditEvent`).get() as { seq: number };
    end.raw.prepare(`DELETE FROM AuditEvent WHERE seq = ?`).run(last.seq);
    end.raw.close();
    expect(await verifyChain({ client: end.client })).toMatchObject({ intact: false, problem: { seq: last.seq, kind: "missing" } });
  });

  it("checks an exported head: a history cut below it (with sqlite_sequence rewritten) is reported", async () => {
    const before = await verifyChain();
    expect(before.head).toEqual(await db.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } }));
    const { raw, client } = await tamperableCopy("truncated");
    raw.prepare(`DELETE FROM AuditEvent WHERE seq >= ?`).run(before.head!.seq - 1);
    raw.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'AuditEvent'`).run(before.head!.seq - 2);
    raw.close();
    // Without the head the cut is invisible (the newest surviving event is genuinely signed) …
    expect(await verifyChain({ client })).toMatchObject({ intact: true });
    // … with it, it is not.
    expect(await verifyChain({ client, head: before.head! })).toMatchObject({ intact: false, problem: { kind: "missing", seq: before.head!.seq } });
    expect(await verifyChain({ head: before.head! })).toMatchObject({ intact: true, checkedAgainst: before.head });
    expect(await verifyChain({ head: { seq: before.head!.seq, hash: "k1:" + "0".repeat(64) } })).toMatchObject({ intact: false, problem: { kind: "head" } });
  });

  it("still verifies history written before the key existed (plain hashes), followed by keyed events", async () => {
    const file = path.join(tmp, "legacy.db");
    const src = new Database(dbFile(), { readonly: true });
    await src.backup(file);
    src.close();
    const raw = new Database(file);
    raw.exec(`DROP TRIGGER "AuditEvent_no_update"; DROP TRIGGER "AuditEvent_no_delete"; DELETE FROM AuditEvent; UPDATE sqlite_sequence SET seq = 0 WHERE name = 'AuditEvent';`);
    raw.close();
    const client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}` }) });
    clients.push(client);
    // Three events in the old (unkeyed) format, as the previous version wrote them …
    let prev = "0".repeat(64);
    for (let i = 1; i <= 3; i++) {
      const c: HashedContent = { at: new Date(Date.UTC(2026, 0, i)), actorId: null, actorEmail: "old@example.com", action: "legacy.event", targetType: null, targetId: null, outcome: "success", details: "{}", requestIds: null, ip: null, userAgent: null };
      const hash = plainHash(prev, c);
      await client.auditEvent.create({ data: { ...c, prevHash: prev, hash } });
      prev = hash;
    }
    // … then one written by this version: keyed, linked to the last plain hash.
    const c: HashedContent = { at: new Date(Date.UTC(2026, 0, 4)), actorId: null, actorEmail: "new@example.com", action: "keyed.event", targetType: null, targetId: null, outcome: "success", details: "{}", requestIds: null, ip: null, userAgent: null };
    await client.auditEvent.create({ data: { ...c, prevHash: prev, hash: keyedHash(auditKey(), prev, c) } });
    expect(await verifyChain({ client })).toMatchObject({ intact: true, checked: 4 });
  });

  it("still reports intact on the run's own database after the tampering of copies", async () => {
    expect(await verifyChain()).toMatchObject({ intact: true });
  });
});
