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
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { diffSchemas } from "./migration-diff.mjs";
import { PG_MIGRATIONS, SQLITE_MIGRATIONS, SQLITE_SCHEMA, writePostgresSchema } from "./render-schema.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
function fail(msg) {
  console.error(`db:new-migration: ${msg}`);
  process.exit(1);
}

function git(...args) {
  return execFileSync("git", args, { cwd: root, encoding: "utf8" });
}

function diff(from, to, provider) {
  try {
    return diffSchemas(from, to, provider);
  } catch (e) {
    fail(e.message);
  }
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
    return execFileSync("git", ["show", `${rev}:prisma/schema.prisma`], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
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
  const sqlite = diff(before, after, "sqlite");
  const postgres = diff(before, after, "postgresql");
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
  const expectedSqlite = diff(before, after, "sqlite");
  if (expectedSqlite.trim() !== fs.readFileSync(path.join(root, file), "utf8").trim()) {
    console.warn(
      `db:new-migration: ${file} is not exactly Prisma's diff (hand-written SQL?): port those statements to PostgreSQL by hand.`,
    );
  }
  writeMigration(PG_MIGRATIONS, dirName, diff(before, after, "postgresql"), "postgresql");
  writePostgresSchema();
}

const args = process.argv.slice(2);
if (args[0] === "--port") portMigration(args[1] ?? fail("--port needs a migration folder name"));
else newMigration(args[0]);
