// `prisma migrate diff` between two schema texts, for either database (used by new-migration.mjs and the
// schema drift test). The schemas are written to a temp dir; PostgreSQL texts are rendered from SQLite ones.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { prismaEnv } from "./prisma.mjs";
import { renderPostgresSchema } from "./render-schema.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "node_modules", "prisma", "build", "index.js");

/**
 * The SQL that takes a database from SQLite schema text `from` (null = an empty database) to `to`, written for
 * `provider` ("sqlite" | "postgresql"). The CLI loads prisma.config.ts and opens its adapter even for a diff
 * between two schema files (it reads nothing from it): a throwaway SQLite file serves both providers, so no
 * PostgreSQL server is needed.
 */
export function diffSchemas(from, to, provider) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "migration-diff-"));
  try {
    const write = (label, text) => {
      const file = path.join(tmp, `${label}.prisma`);
      fs.writeFileSync(file, provider === "postgresql" ? renderPostgresSchema(text) : text);
      return file;
    };
    const fromArgs = from === null ? ["--from-empty"] : ["--from-schema-datamodel", write("from", from)];
    const args = [bin, "migrate", "diff", ...fromArgs, "--to-schema-datamodel", write("to", to), "--script"];
    const res = spawnSync(process.execPath, args, {
      cwd: root,
      env: prismaEnv({ DATABASE_URL: `file:${path.join(tmp, "unused.db")}` }),
      encoding: "utf8",
    });
    if (res.status !== 0) throw new Error(`prisma migrate diff (${provider}) failed:\n${res.stderr}`);
    return res.stdout;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
