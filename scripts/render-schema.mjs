// One data model, two databases: prisma/schema.prisma (SQLite) is the source of truth; the PostgreSQL schema
// is rendered from it (provider and client output only) into prisma/postgres/schema.prisma. Every model,
// field, default and index is shared, so the two cannot drift apart by hand.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SQLITE_SCHEMA = path.join(root, "prisma", "schema.prisma");
export const PG_SCHEMA = path.join(root, "prisma", "postgres", "schema.prisma");
export const SQLITE_MIGRATIONS = path.join(root, "prisma", "migrations");
export const PG_MIGRATIONS = path.join(root, "prisma", "postgres", "migrations");

const HEADER = "// GENERATED from prisma/schema.prisma by scripts/render-schema.mjs: edit that file, not this one.\n";

/** The PostgreSQL rendering of a SQLite schema text (pure). */
export function renderPostgresSchema(sqlite) {
  let out = sqlite;
  const swaps = [
    [/(datasource db \{[^}]*provider\s*=\s*)"sqlite"/, '$1"postgresql"'],
    [/(generator client \{[^}]*output\s*=\s*)"\.\.\/lib\/generated\/prisma"/, '$1"../../lib/generated/prisma-pg"'],
  ];
  for (const [re, to] of swaps) {
    if (!re.test(out)) throw new Error(`render-schema: prisma/schema.prisma no longer matches ${re}`);
    out = out.replace(re, to);
  }
  return (
    HEADER +
    out.replace(
      /^\/\/ SQLite through[^\n]*\n/,
      "// PostgreSQL through the pg driver adapter and Prisma's JS engine (see docs/environment).\n",
    )
  );
}

/** Writes prisma/postgres/schema.prisma when it differs; returns true when it changed. */
export function writePostgresSchema() {
  const want = renderPostgresSchema(fs.readFileSync(SQLITE_SCHEMA, "utf8"));
  if (fs.existsSync(PG_SCHEMA) && fs.readFileSync(PG_SCHEMA, "utf8") === want) return false;
  fs.mkdirSync(path.dirname(PG_SCHEMA), { recursive: true });
  fs.writeFileSync(PG_SCHEMA, want);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writePostgresSchema();
