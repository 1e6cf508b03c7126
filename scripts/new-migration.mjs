// Writes prisma/migrations/<timestamp>_<name>/migration.sql from the difference between the schema as
// committed (git HEAD) and prisma/schema.prisma. `prisma migrate dev` does not work with the JS engine.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { prismaEnv } from "./prisma.mjs";

const name = (process.argv[2] || "change").replace(/[^a-z0-9_]/gi, "_");
const root = path.resolve(import.meta.dirname, "..");
const migrations = path.join(root, "prisma", "migrations");
const hasMigrations = fs.existsSync(migrations) && fs.readdirSync(migrations).some((d) => /^\d/.test(d));

let from = ["--from-empty"];
if (hasMigrations) {
  const old = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { cwd: root });
  const oldFile = path.join(os.tmpdir(), `schema-${Date.now()}.prisma`);
  fs.writeFileSync(oldFile, old);
  from = ["--from-schema-datamodel", oldFile];
}
const bin = path.join(root, "node_modules", "prisma", "build", "index.js");
const res = spawnSync(process.execPath, [bin, "migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"], { cwd: root, env: prismaEnv(), encoding: "utf8" });
if (res.status !== 0) {
  console.error(res.stderr);
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(migrations, `${stamp}_${name}`);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "migration.sql"), res.stdout);
if (!fs.existsSync(path.join(migrations, "migration_lock.toml"))) {
  fs.writeFileSync(path.join(migrations, "migration_lock.toml"), 'provider = "sqlite"\n');
}
console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
