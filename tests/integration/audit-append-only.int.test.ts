// The application has no code path that updates or deletes an audit event: scan every source file the
// portal runs (app, lib, components, scripts; not tests, not generated code) for Prisma update/delete/upsert
// calls on auditEvent and for raw SQL that modifies or drops "AuditEvent".
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DIRS = ["app", "lib", "components", "scripts", "sandbox"];
const SKIP_DIR = new Set(["node_modules", "generated", ".next", "__fixtures__"]);
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;
const TEST = /\.test\.(ts|tsx)$/;

const FORBIDDEN: { name: string; re: RegExp }[] = [
  {
    name: "Prisma write on auditEvent",
    re: /auditEvent\s*(\?\.|\.)\s*(update|updateMany|updateManyAndReturn|delete|deleteMany|upsert)\b/i,
  },
  { name: "Prisma write on auditEvent (bracket access)", re: /auditEvent\s*\[\s*["'`](update|updateMany|delete|deleteMany|upsert)/i },
  { name: "raw SQL UPDATE of AuditEvent", re: /\bUPDATE\s+(OR\s+\w+\s+)?["'`\[]?AuditEvent\b/i },
  { name: "raw SQL DELETE from AuditEvent", re: /\bDELETE\s+FROM\s+["'`\[]?AuditEvent\b/i },
  { name: "raw SQL REPLACE into AuditEvent", re: /\b(REPLACE|INSERT\s+OR\s+REPLACE)\s+INTO\s+["'`\[]?AuditEvent\b/i },
  { name: "raw SQL dropping AuditEvent or its triggers", re: /\bDROP\s+(TABLE|TRIGGER)\s+(IF\s+EXISTS\s+)?["'`\[]?AuditEvent/i },
];

function* sources(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIR.has(entry.name)) yield* sources(p);
    } else if (SOURCE.test(entry.name) && !TEST.test(entry.name)) {
      yield p;
    }
  }
}

function violations(text: string): string[] {
  return FORBIDDEN.filter((f) => f.re.test(text)).map((f) => f.name);
}

describe("audit events are append-only in the source", () => {
  it("the scanner recognises every forbidden form (it is not vacuous)", () => {
    for (const sample of [
      "await db.auditEvent.update({ where: { seq: 1 }, data: {} })",
      "tx.auditEvent.deleteMany()",
      "prisma.auditEvent\n  .upsert({})",
      "db.auditEvent?.delete({})",
      'db.auditEvent["updateMany"]({})',
      'db.$executeRaw`UPDATE "AuditEvent" SET outcome = 1`',
      "db.$executeRawUnsafe('delete from AuditEvent where seq = 3')",
      'db.$executeRawUnsafe("INSERT OR REPLACE INTO AuditEvent VALUES (1)")',
      'DROP TRIGGER "AuditEvent_no_update"',
    ]) {
      expect(violations(sample), sample).not.toEqual([]);
    }
    expect(violations("tx.auditEvent.create({ data })")).toEqual([]);
    expect(violations("db.auditEvent.findMany({})")).toEqual([]);
    expect(violations('UPDATE "sqlite_sequence" SET "seq" = "seq" WHERE 0')).toEqual([]);
  });

  it("no application source updates, deletes, upserts or drops audit events", () => {
    const found: string[] = [];
    let scanned = 0;
    for (const d of DIRS) {
      for (const file of sources(path.join(ROOT, d))) {
        scanned++;
        const hits = violations(fs.readFileSync(file, "utf8"));
        for (const h of hits) found.push(`${path.relative(ROOT, file)}: ${h}`);
      }
    }
    expect(scanned).toBeGreaterThan(50);
    expect(found).toEqual([]);
  });
});
