// One data model, two databases, one migration history: fails when the SQLite and PostgreSQL schemas or
// migrations drift apart. Each integration pass checks its own database (the `integration` pass SQLite, the
// `integration-pg` pass PostgreSQL; `npm test` runs both): the migration folder, applied with `migrate deploy`
// as in production, must build exactly the schema Prisma derives from prisma/schema.prisma (`migrate diff
// --from-empty`). Both folders must hold the same migrations by name, and the PostgreSQL schema must be the
// rendering of the SQLite one.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { diffSchemas } from "../../scripts/migration-diff.mjs";
import { PG_MIGRATIONS, PG_SCHEMA, renderPostgresSchema, SQLITE_MIGRATIONS, SQLITE_SCHEMA } from "../../scripts/render-schema.mjs";
import { createPgDatabase } from "../support/integration-setup";
import { postgresShape, sqliteShape } from "../support/schema-shape";

const cfg = inject("integration");
const schema = fs.readFileSync(SQLITE_SCHEMA, "utf8");
const migrations = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((d) => fs.existsSync(path.join(dir, d, "migration.sql")))
    .sort();
let n = 0;

/** The shape of the run's own database, which the integration setup built with `migrate deploy` as in production. */
async function migratedShape(): Promise<string[]> {
  return cfg.provider === "postgresql" ? postgresShape(cfg.databaseUrl) : sqliteShape(cfg.databaseUrl.replace(/^file:/, ""));
}

/** The shape of a fresh database built by running `sql`. */
async function shapeOf(sql: string): Promise<string[]> {
  n++;
  if (cfg.provider === "postgresql") {
    const url = await createPgDatabase(cfg.postgresAdminUrl!, `drift_expected_${process.pid}_${n}`);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(sql).finally(() => c.end());
    return postgresShape(url);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-"));
  try {
    const raw = new Database(path.join(dir, "expected.db"));
    raw.exec(sql);
    raw.close();
    return sqliteShape(path.join(dir, "expected.db"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe(`schema drift (${cfg.provider})`, () => {
  it("the PostgreSQL schema is the rendering of prisma/schema.prisma (one source of truth)", () => {
    expect(fs.readFileSync(PG_SCHEMA, "utf8")).toBe(renderPostgresSchema(schema));
  });

  it("both databases have the same migration history: the same migration folders, by name", () => {
    expect(migrations(PG_MIGRATIONS)).toEqual(migrations(SQLITE_MIGRATIONS));
    expect(fs.readFileSync(path.join(SQLITE_MIGRATIONS, "migration_lock.toml"), "utf8")).toContain('provider = "sqlite"');
    expect(fs.readFileSync(path.join(PG_MIGRATIONS, "migration_lock.toml"), "utf8")).toContain('provider = "postgresql"');
  });

  it(`the ${cfg.provider} migrations build exactly the schema prisma/schema.prisma describes`, async () => {
    const [migrated, expected] = await Promise.all([migratedShape(), shapeOf(diffSchemas(null, schema, cfg.provider))]);
    expect(migrated.length).toBeGreaterThan(50);
    expect(migrated).toEqual(expected);
  });

  it("a schema change without its migration is caught (the comparison is not vacuous)", async () => {
    const changed = schema.replace(/(model User \{\n)/, "$1  driftProbe   String?\n");
    expect(changed).not.toBe(schema);
    const [migrated, expected] = await Promise.all([migratedShape(), shapeOf(diffSchemas(null, changed, cfg.provider))]);
    expect(expected.filter((l) => !migrated.includes(l)).join("\n")).toMatch(/User\.driftProbe/);
  });
});
