// The attack from issue 10, item 5, by someone who can write the database (but cannot read the audit key): they
// delete an event, renumber the later ones, and re-chain them with the plain sha256 link — the only link they can
// compute. "Verify chain" must report it. The plain link is computed here from its published definition
// (lib/audit/README.md), as the attacker would. On SQLite this runs on a copy of the run's database, on PostgreSQL
// in a rolled-back transaction (tests/support/tamper.ts).
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { dbProvider } from "@/lib/db";
import { recordAudit } from "@/lib/audit/append";
import { verifyChain } from "@/lib/audit/verify";
import { withTampered, type Tampered } from "../support/tamper";

type Row = {
  seq: number;
  at: Date | string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  details: string;
  requestIds: string | null;
  ip: string | null;
  userAgent: string | null;
  hash: string;
};

/** The plain link: sha256 over the previous hash and every content field, as JSON. */
function plainLink(prev: string, r: Row): string {
  const at = new Date(r.at).toISOString();
  const fields = [
    prev,
    at,
    r.actorId ?? "",
    r.actorEmail ?? "",
    r.action,
    r.targetType ?? "",
    r.targetId ?? "",
    r.outcome,
    r.details,
    r.requestIds ?? "",
    r.ip ?? "",
    r.userAgent ?? "",
  ];
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex");
}

/** Deletes `victim`, renumbers later events and the issued seq, re-links from `from` with the plain hash, then verifies. */
async function forged(name: string, pick: (t: Tampered) => Promise<{ victim: number; from: number }>) {
  return withTampered(name, async (t) => {
    const { victim, from } = await pick(t);
    await t.run(`DELETE FROM "AuditEvent" WHERE "seq" = ?`, victim);
    const later = await t.client().auditEvent.findMany({ where: { seq: { gt: victim } }, orderBy: { seq: "asc" }, select: { seq: true } });
    for (const { seq } of later) await t.run(`UPDATE "AuditEvent" SET "seq" = ? WHERE "seq" = ?`, seq - 1, seq);
    if (dbProvider === "postgresql") await t.run(`UPDATE "AuditEventIssued" SET "seq" = "seq" - 1`);
    else await t.run(`UPDATE "sqlite_sequence" SET "seq" = "seq" - 1 WHERE "name" = 'AuditEvent'`);
    const rows = (await t.client().auditEvent.findMany({ orderBy: { seq: "asc" } })) as Row[];
    let prev = rows.find((r) => r.seq === from - 1)?.hash ?? "0".repeat(64);
    // Free the unique prevHash/hash values before writing the forged ones.
    for (const r of rows.filter((r) => r.seq >= from))
      await t.run(`UPDATE "AuditEvent" SET "prevHash" = ?, "hash" = ? WHERE "seq" = ?`, `tmp-p-${r.seq}`, `tmp-h-${r.seq}`, r.seq);
    for (const r of rows.filter((r) => r.seq >= from)) {
      const hash = plainLink(prev, r);
      await t.run(`UPDATE "AuditEvent" SET "prevHash" = ?, "hash" = ? WHERE "seq" = ?`, prev, hash, r.seq);
      prev = hash;
    }
    return { victim, result: await verifyChain({ client: t.client() }) };
  });
}

const third = async (t: Tampered) =>
  (await t.one<{ seq: number }>(`SELECT "seq" FROM "AuditEvent" WHERE "action" = 'test.rechain' ORDER BY "seq" LIMIT 1 OFFSET 2`)).seq;

beforeAll(async () => {
  for (let i = 0; i < 6; i++)
    await recordAudit({
      actor: { email: "rechain@example.com" },
      action: "test.rechain",
      target: { type: "test", id: String(i) },
      outcome: "success",
      details: { i },
    });
});

describe("audit chain re-written without the key", () => {
  it("reports an event deleted and the later ones renumbered and re-chained with the plain hash", async () => {
    const { victim, result } = await forged("from-victim", async (t) => {
      const v = await third(t);
      return { victim: v, from: v };
    });
    expect(result.intact).toBe(false);
    expect(result.problem).toMatchObject({ seq: victim });
  });

  it("reports the whole chain re-written from the first event with the plain hash", async () => {
    const { result } = await forged("from-genesis", async (t) => ({ victim: await third(t), from: 1 }));
    expect(result).toMatchObject({ intact: false });
  });

  it("the run's own database still verifies intact", async () => {
    expect(await verifyChain()).toMatchObject({ intact: true });
  });
});
