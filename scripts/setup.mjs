// Brings a fresh clone (or a stale checkout) to a runnable state: dependencies, Prisma client, database
// migrated, NEXTAUTH_SECRET. Every step is skipped when already done, so `npm start` stays fast.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PG_SCHEMA, SQLITE_SCHEMA, writePostgresSchema } from "./render-schema.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const log = (msg) => console.log(`[setup] ${msg}`);

export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts, env: { ...process.env, ...(opts.env ?? {}) } });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${res.status ?? res.signal}`);
}

function fileHash(...files) {
  const h = createHash("sha256");
  for (const f of files) h.update(fs.existsSync(f) ? fs.readFileSync(f) : "");
  return h.digest("hex");
}

function ensureDependencies() {
  const stamp = path.join(root, "node_modules", ".portal-deps");
  const want = fileHash(path.join(root, "package-lock.json"));
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === want) return;
  log("installing dependencies (npm ci)…");
  run("npm", ["ci", "--no-audit", "--no-fund"]);
  fs.writeFileSync(stamp, want);
}

/** Both Prisma clients (SQLite and PostgreSQL), from the one schema; the PostgreSQL schema is rendered first. */
function ensurePrismaClient() {
  writePostgresSchema();
  const stamp = path.join(root, "lib", "generated", ".schema-hash");
  const want = fileHash(
    path.join(root, "prisma", "schema.prisma"),
    path.join(root, "package-lock.json"),
    path.join(root, "scripts", "render-schema.mjs"),
  );
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === want) return;
  log("generating the Prisma clients…");
  for (const schema of [SQLITE_SCHEMA, PG_SCHEMA]) {
    run(process.execPath, [path.join(root, "scripts", "prisma.mjs"), "generate", "--schema", path.relative(root, schema)], {
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  fs.writeFileSync(stamp, want);
}

export function migrateDatabase(env = {}) {
  run(process.execPath, [path.join(root, "scripts", "prisma.mjs"), "migrate", "deploy"], { env, stdio: ["ignore", "ignore", "inherit"] });
}

/** NEXTAUTH_SECRET from the environment, else one generated once and kept in .data/. */
export function ensureAuthSecret(dataDir) {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = path.join(dataDir, "nextauth-secret");
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

/**
 * The audit chain's HMAC key (lib/audit/key.ts reads it), generated once into .data/audit-key with mode 0600
 * unless PORTAL_AUDIT_KEY is set. Losing it makes the existing chain unverifiable: back it up with the database,
 * but keep it where someone who can write the database cannot read it if that matters (see docs/operations.md#configuration).
 */
export function ensureAuditKey(dataDir) {
  if (process.env.PORTAL_AUDIT_KEY) {
    if (process.env.PORTAL_AUDIT_KEY.length < 32)
      throw new Error("Invalid portal configuration:\n  PORTAL_AUDIT_KEY: must be at least 32 characters");
    return;
  }
  const file = process.env.PORTAL_AUDIT_KEY_FILE ?? path.join(dataDir, "audit-key");
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
}

export function setup() {
  ensureDependencies();
  ensurePrismaClient();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) setup();
