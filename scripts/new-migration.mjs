// One schema change, both databases. `prisma migrate dev` does not work with the JS engine; this does:
//
//   npm run db:new-migration -- <name>
//     diffs the committed schema (git HEAD) against prisma/schema.prisma and writes the SAME migration twice:
//     prisma/migrations/<ts>_<name>/migration.sql (SQLite) and prisma/postgres/migrations/<ts>_<name>/migration.sql
//     (PostgreSQL, from the rendered schema).
//
//   npm run db:new-migration -- --port <ts>_<name>
//     writes the PostgreSQL twin of an existing SQLite migration (e.g. one made on a branch before PostgreSQL
//     existed): the schema before and after the commit that added it, rendered for PostgreSQL and diffed.
//
// Hand-written SQL (triggers, data fixes) has no Prisma diff: add it to both files by hand, in each database's
// dialect. tests/integration/schema-drift.int.test.ts fails until both folders hold the same migrations and
// each folder builds exactly the schema Prisma expects.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { prismaEnv } from "./prisma.mjs";
import { PG_MIGRATIONS, renderPostgresSchema, SQLITE_MIGRATIONS, SQLITE_SCHEMA, writePostgresSchema } from "./render-schema.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "new-migration-"));
const bin = path.join(root, "node_modules", "prisma", "build", "index.js");
// The CLI loads prisma.config.ts and opens its adapter even for `migrate diff` between two schema files (it
// reads nothing from it): a throwaway SQLite file serves both providers, with no PostgreSQL server needed.
const PLACEHOLDER_URL = `file:${path.join(tmp, "unused.db")}`;

function fail(msg) {
  console.error(`db:new-migration: ${msg}`);
  process.exit(1);
}

function git(...args) {
  return execFileSync("git", args, { cwd: root, encoding: "utf8" });
}

/** The SQL that takes a database from schema text `from` (null = empty) to `to`, for `provider`. */
export function diffSchemas(from, to, provider) {
  const write = (label, text) => {
    const file = path.join(tmp, `${label}.prisma`);
    fs.writeFileSync(file, provider === "postgresql" ? renderPostgresSchema(text) : text);
    return file;
  };
  const fromArgs = from === null ? ["--from-empty"] : ["--from-schema-datamodel", write(`${provider}-from`, from)];
  const args = [bin, "migrate", "diff", ...fromArgs, "--to-schema-datamodel", write(`${provider}-to`, to), "--script"];
  const res = spawnSync(process.execPath, args, { cwd: root, env: prismaEnv({ DATABASE_URL: PLACEHOLDER_URL }), encoding: "utf8" });
  if (res.status !== 0) fail(`prisma migrate diff (${provider}) failed:\n${res.stderr}`);
  return res.stdout;
}

function writeMigration(folder, dirName, sql, provider) {
  const dir = path.join(folder, dirName);
  if (fs.existsSync(path.join(dir, "migration.sql"))) fail(`${path.relative(root, dir)}/migration.sql exists already`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "migration.sql"), sql);
  const lock = path.join(folder, "migration_lock.toml");
  if (!fs.existsSync(lock)) fs.writeFileSync(lock, `provider = "${provider}"\n`);
  console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
}

/** prisma/schema.prisma at a git revision, or null where it did not exist yet. */
function schemaAt(rev) {
  try {
    return execFileSync("git", ["show", `${rev}:prisma/schema.prisma`], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return null;
  }
}

const isEmpty = (sql) => sql.replace(/--[^\n]*\n?/g, "").trim() === "";

function newMigration(rawName) {
  const name = (rawName || "change").replace(/[^a-z0-9_]/gi, "_");
  const hasMigrations = fs.existsSync(SQLITE_MIGRATIONS) && fs.readdirSync(SQLITE_MIGRATIONS).some((d) => /^\d/.test(d));
  const before = hasMigrations ? git("show", "HEAD:prisma/schema.prisma") : null;
  const after = fs.readFileSync(SQLITE_SCHEMA, "utf8");
  const sqlite = diffSchemas(before, after, "sqlite");
  const postgres = diffSchemas(before, after, "postgresql");
  if (isEmpty(sqlite) && isEmpty(postgres)) fail("prisma/schema.prisma does not differ from git HEAD: nothing to migrate");
  const dirName = `${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}_${name}`;
  writeMigration(SQLITE_MIGRATIONS, dirName, sqlite, "sqlite");
  writeMigration(PG_MIGRATIONS, dirName, postgres, "postgresql");
  writePostgresSchema();
}

function portMigration(dirName) {
  const file = `prisma/migrations/${dirName}/migration.sql`;
  if (!fs.existsSync(path.join(root, file))) fail(`${file} does not exist`);
  const commit = git("log", "--diff-filter=A", "--format=%H", "-1", "--", file).trim();
  const before = schemaAt(commit ? `${commit}^` : "HEAD");
  const after = commit ? git("show", `${commit}:prisma/schema.prisma`) : fs.readFileSync(SQLITE_SCHEMA, "utf8");
  const expectedSqlite = diffSchemas(before, after, "sqlite");
  if (expectedSqlite.trim() !== fs.readFileSync(path.join(root, file), "utf8").trim()) {
    console.warn(`db:new-migration: ${file} is not exactly Prisma's diff (hand-written SQL?): port those statements to PostgreSQL by hand.`);
  }
  writeMigration(PG_MIGRATIONS, dirName, diffSchemas(before, after, "postgresql"), "postgresql");
  writePostgresSchema();
}

try {
  const args = process.argv.slice(2);
  if (args[0] === "--port") portMigration(args[1] ?? fail("--port needs a migration folder name"));
  else newMigration(args[0]);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
