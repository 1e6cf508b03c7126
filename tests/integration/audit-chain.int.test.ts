// The hash chain end to end on the real database (SQLite, and PostgreSQL in the integration-pg pass): append,
// verify, concurrent writers in one and in several processes, the append-only triggers, and tampering (an
// edited row, a re-hashed row, a deleted row) that verification must report. Tampering needs an attacker with
// direct database access who gets past the triggers: see tests/support/tamper.ts.
import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { db, dbProvider } from "@/lib/db";
import { recordAudit } from "@/lib/audit/append";
import { keyedHash, plainHash, type HashedContent } from "@/lib/audit/hash";
import { auditKey } from "@/lib/audit/key";
import { verifyChain } from "@/lib/audit/verify";
import { withTampered, type Tampered } from "../support/tamper";

/** Rewrites the highest seq the database says it issued (SQLite: sqlite_sequence; PostgreSQL: "AuditEventIssued"). */
const setIssued = (t: Tampered, seq: number) =>
  dbProvider === "postgresql"
    ? t.run(`UPDATE "AuditEventIssued" SET "seq" = ?`, seq)
    : t.run(`UPDATE "sqlite_sequence" SET "seq" = ? WHERE "name" = 'AuditEvent'`, seq);

beforeAll(async () => {
  for (let i = 0; i < 5; i++)
    await recordAudit({
      actor: { email: "chain@example.com" },
      action: "test.chain",
      target: { type: "test", id: String(i) },
      outcome: "success",
      details: { i },
    });
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
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        recordAudit({ actor: { email: `writer${i}@example.com` }, action: "test.concurrent", outcome: "success", details: { i } }),
      ),
    );
    expect(await db.auditEvent.count()).toBe(before + 50);
    const r = await verifyChain();
    expect(r).toMatchObject({ intact: true, checked: before + 50 });
    const dupes = await db.$queryRaw<
      { n: number }[]
    >`SELECT COUNT(*) AS n FROM (SELECT "prevHash" FROM "AuditEvent" GROUP BY "prevHash" HAVING COUNT(*) > 1) AS d`;
    expect(Number(dupes[0].n)).toBe(0);
    const gaps = await db.$queryRaw<{ n: number }[]>`SELECT MAX("seq") - MIN("seq") + 1 - COUNT(*) AS n FROM "AuditEvent"`;
    expect(Number(gaps[0].n)).toBe(0);
  });

  it("keeps one chain when separate processes append at the same time", async () => {
    const before = await db.auditEvent.count();
    const writer = (label: string) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ["--conditions=react-server", "--import", "tsx", "tests/support/audit-writer.ts", label, "25"],
          { env: process.env, stdio: ["ignore", "ignore", "pipe"] },
        );
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer ${label} exited ${code}: ${stderr}`))));
      });
    await Promise.all([
      writer("proc-a"),
      writer("proc-b"),
      writer("proc-c"),
      Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          recordAudit({ actor: { email: "proc-main@example.com" }, action: "test.crossProcess", outcome: "success", details: { i } }),
        ),
      ),
    ]);
    expect(await db.auditEvent.count()).toBe(before + 100);
    expect(await verifyChain()).toMatchObject({ intact: true, checked: before + 100 });
  });

  it("refuses UPDATE and DELETE of audit rows in the database itself (triggers)", async () => {
    const last = await db.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } });
    await expect(db.$executeRawUnsafe(`UPDATE "AuditEvent" SET "outcome" = 'denied' WHERE "seq" = ${last.seq}`)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "seq" = ${last.seq}`)).rejects.toThrow(/append-only/);
    expect(await db.auditEvent.findUniqueOrThrow({ where: { seq: last.seq } })).toEqual(last);
  });

  it("reports an edited row as content edited at its seq", async () => {
    const r = await withTampered("edited", async (t) => {
      const target = await t.one<{ seq: number }>(
        `SELECT "seq" FROM "AuditEvent" WHERE "action" = 'test.chain' ORDER BY "seq" LIMIT 1 OFFSET 2`,
      );
      await t.run(`UPDATE "AuditEvent" SET "actorEmail" = 'mallory@example.com' WHERE "seq" = ?`, target.seq);
      return { target, result: await verifyChain({ client: t.client() }) };
    });
    expect(r.result).toMatchObject({ intact: false, checked: r.target.seq - 1, problem: { seq: r.target.seq, kind: "edited" } });
    expect(r.result.problem!.message).toContain("Content edited");
  });

  it("reports a row edited with a recomputed hash as a broken link at the next seq", async () => {
    const r = await withTampered("rehashed", async (t) => {
      const row = await t.client().auditEvent.findFirstOrThrow({ where: { action: "test.chain" }, orderBy: { seq: "asc" }, skip: 1 });
      const edited = { ...row, outcome: "failure" };
      await t.run(
        `UPDATE "AuditEvent" SET "outcome" = 'failure', "hash" = ? WHERE "seq" = ?`,
        keyedHash(auditKey(), edited.prevHash, edited),
        edited.seq,
      );
      return { seq: row.seq, result: await verifyChain({ client: t.client() }) };
    });
    expect(r.result).toMatchObject({ intact: false, problem: { seq: r.seq + 1, kind: "link" } });
  });

  it("reports a deleted row as a row missing, in the middle and at the end", async () => {
    const mid = await withTampered("deleted-middle", async (t) => {
      const target = await t.one<{ seq: number }>(
        `SELECT "seq" FROM "AuditEvent" WHERE "action" = 'test.chain' ORDER BY "seq" LIMIT 1 OFFSET 3`,
      );
      await t.run(`DELETE FROM "AuditEvent" WHERE "seq" = ?`, target.seq);
      return { target, result: await verifyChain({ client: t.client() }) };
    });
    expect(mid.result).toMatchObject({ intact: false, checked: mid.target.seq - 1, problem: { seq: mid.target.seq + 1, kind: "missing" } });
    expect(mid.result.problem!.message).toContain(`seq ${mid.target.seq} is gone`);

    const end = await withTampered("deleted-end", async (t) => {
      const last = await t.one<{ seq: number }>(`SELECT MAX("seq") AS "seq" FROM "AuditEvent"`);
      await t.run(`DELETE FROM "AuditEvent" WHERE "seq" = ?`, last.seq);
      return { last, result: await verifyChain({ client: t.client() }) };
    });
    expect(end.result).toMatchObject({ intact: false, problem: { seq: end.last.seq, kind: "missing" } });
  });

  it("checks an exported head: a history cut below it (with the issued seq rewritten) is reported", async () => {
    const before = await verifyChain();
    expect(before.head).toEqual(await db.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } }));
    const head = before.head!;
    const r = await withTampered("truncated", async (t) => {
      await t.run(`DELETE FROM "AuditEvent" WHERE "seq" >= ?`, head.seq - 1);
      await setIssued(t, head.seq - 2);
      // Without the head the cut is invisible (the newest surviving event is genuinely signed) …
      const without = await verifyChain({ client: t.client() });
      // … with it, it is not.
      const withHead = await verifyChain({ client: t.client(), head });
      return { without, withHead };
    });
    expect(r.without).toMatchObject({ intact: true });
    expect(r.withHead).toMatchObject({ intact: false, problem: { kind: "missing", seq: head.seq } });
    expect(await verifyChain({ head })).toMatchObject({ intact: true, checkedAgainst: head });
    expect(await verifyChain({ head: { seq: head.seq, hash: "k1:" + "0".repeat(64) } })).toMatchObject({
      intact: false,
      problem: { kind: "head" },
    });
  });

  it("still verifies history written before the key existed (plain hashes), followed by keyed events", async () => {
    const r = await withTampered("legacy", async (t) => {
      await t.run(`DELETE FROM "AuditEvent"`);
      const insert = (seq: number, c: HashedContent, prevHash: string, hash: string) =>
        t.client().auditEvent.create({ data: { seq, ...c, prevHash, hash } });
      // Three events in the old (unkeyed) format, as the previous version wrote them …
      let prev = "0".repeat(64);
      for (let i = 1; i <= 3; i++) {
        const c: HashedContent = {
          at: new Date(Date.UTC(2026, 0, i)),
          actorId: null,
          actorEmail: "old@example.com",
          action: "legacy.event",
          targetType: null,
          targetId: null,
          outcome: "success",
          details: "{}",
          requestIds: null,
          ip: null,
          userAgent: null,
        };
        const hash = plainHash(prev, c);
        await insert(i, c, prev, hash);
        prev = hash;
      }
      // … then one written by this version: keyed, linked to the last plain hash.
      const c: HashedContent = {
        at: new Date(Date.UTC(2026, 0, 4)),
        actorId: null,
        actorEmail: "new@example.com",
        action: "keyed.event",
        targetType: null,
        targetId: null,
        outcome: "success",
        details: "{}",
        requestIds: null,
        ip: null,
        userAgent: null,
      };
      await insert(4, c, prev, keyedHash(auditKey(), prev, c));
      await setIssued(t, 4);
      return verifyChain({ client: t.client() });
    });
    expect(r).toMatchObject({ intact: true, checked: 4 });
  });

  it("still reports intact on the run's own database after the tampering of copies", async () => {
    expect(await verifyChain()).toMatchObject({ intact: true });
  });
});
