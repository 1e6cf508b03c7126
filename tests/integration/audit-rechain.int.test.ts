// The attack from issue 10, item 5, on a copy of the run's database: someone who can write the database (but
// cannot read the audit key) deletes an event, renumbers the later ones, and re-chains them with the plain
// sha256 link — the only link they can compute. "Verify chain" must report it. The plain link is computed here
// from its published definition (lib/audit/README.md), as the attacker would.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { recordAudit } from "@/lib/audit/append";
import { verifyChain } from "@/lib/audit/verify";

const dbFile = () => process.env.DATABASE_URL!.replace(/^file:/, "");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "audit-rechain-"));
const clients: PrismaClient[] = [];

type Row = Record<string, string | null> & { seq: number };

/** The plain link: sha256 over the previous hash and every content field, as JSON. */
function plainLink(prev: string, r: Row): string {
  const at = new Date(String(r.at)).toISOString();
  const fields = [prev, at, r.actorId ?? "", r.actorEmail ?? "", r.action, r.targetType ?? "", r.targetId ?? "", r.outcome, r.details, r.requestIds ?? "", r.ip ?? "", r.userAgent ?? ""];
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex");
}

/** A copy without the append-only triggers: deletes `victim`, renumbers later events and sqlite_sequence, re-links from `from` with the plain hash. */
async function forgedCopy(name: string, pick: (raw: Database.Database) => { victim: number; from: number }) {
  const file = path.join(tmp, `${name}.db`);
  const src = new Database(dbFile(), { readonly: true });
  await src.backup(file);
  src.close();
  const raw = new Database(file);
  raw.exec(`DROP TRIGGER "AuditEvent_no_update"; DROP TRIGGER "AuditEvent_no_delete";`);
  const { victim, from } = pick(raw);
  raw.prepare(`DELETE FROM AuditEvent WHERE seq = ?`).run(victim);
  for (const { seq } of raw.prepare(`SELECT seq FROM AuditEvent WHERE seq > ? ORDER BY seq`).all(victim) as { seq: number }[]) raw.prepare(`UPDATE AuditEvent SET seq = ? WHERE seq = ?`).run(seq - 1, seq);
  raw.prepare(`UPDATE sqlite_sequence SET seq = seq - 1 WHERE name = 'AuditEvent'`).run();
  const rows = raw.prepare(`SELECT * FROM AuditEvent ORDER BY seq`).all() as Row[];
  let prev = rows.find((r) => r.seq === from - 1)?.hash ?? "0".repeat(64);
  raw.prepare(`UPDATE AuditEvent SET prevHash = 'tmp-p-' || seq, hash = 'tmp-h-' || seq WHERE seq >= ?`).run(from);
  for (const r of rows.filter((r) => r.seq >= from)) {
    const hash = plainLink(prev, r);
    raw.prepare(`UPDATE AuditEvent SET prevHash = ?, hash = ? WHERE seq = ?`).run(prev, hash, r.seq);
    prev = hash;
  }
  raw.close();
  const client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}` }) });
  clients.push(client);
  return { client, victim };
}

const third = (raw: Database.Database) => (raw.prepare(`SELECT seq FROM AuditEvent WHERE action = 'test.rechain' ORDER BY seq LIMIT 1 OFFSET 2`).get() as { seq: number }).seq;

beforeAll(async () => {
  for (let i = 0; i < 6; i++) await recordAudit({ actor: { email: "rechain@example.com" }, action: "test.rechain", target: { type: "test", id: String(i) }, outcome: "success", details: { i } });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("audit chain re-written without the key", () => {
  it("reports an event deleted and the later ones renumbered and re-chained with the plain hash", async () => {
    const { client, victim } = await forgedCopy("from-victim", (raw) => ({ victim: third(raw), from: third(raw) }));
    const r = await verifyChain({ client });
    expect(r.intact).toBe(false);
    expect(r.problem).toMatchObject({ seq: victim });
  });

  it("reports the whole chain re-written from the first event with the plain hash", async () => {
    const { client } = await forgedCopy("from-genesis", (raw) => ({ victim: third(raw), from: 1 }));
    expect(await verifyChain({ client })).toMatchObject({ intact: false });
  });

  it("the run's own database still verifies intact", async () => {
    expect(await verifyChain()).toMatchObject({ intact: true });
  });
});
