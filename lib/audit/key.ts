import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { databaseUrl } from "@/lib/config/database-url";
import { liveEnv } from "@/lib/config/env";

let cached: { source: string; key: Buffer } | undefined;

/**
 * Where the generated key lives when PORTAL_AUDIT_KEY is not set: PORTAL_AUDIT_KEY_FILE, else `audit-key` next to
 * the SQLite file, else (PostgreSQL) in PORTAL_DATA_DIR or ./.data. Several instances must share one key: on
 * PostgreSQL the portal's start-up requires PORTAL_AUDIT_KEY.
 */
export function auditKeyFile(): string {
  const { PORTAL_AUDIT_KEY_FILE: file, PORTAL_DATA_DIR: dataDir } = liveEnv();
  if (file) return file;
  const url = databaseUrl();
  const dir = url.startsWith("file:") ? path.dirname(url.slice("file:".length)) : dataDir || path.resolve(".data");
  return path.join(dir, "audit-key");
}

/**
 * The audit chain's HMAC key. It never lives in the database: PORTAL_AUDIT_KEY (at least 32 characters), else
 * a file generated once (32 random bytes, mode 0600; `wx` so two processes starting together keep one key).
 */
export function auditKey(): Buffer {
  const fromEnv = liveEnv().PORTAL_AUDIT_KEY;
  const source = fromEnv ? "env" : auditKeyFile();
  if (cached?.source === source) return cached.key;
  let key: Buffer;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error("Invalid portal configuration:\n  PORTAL_AUDIT_KEY: must be at least 32 characters");
    key = Buffer.from(fromEnv, "utf8");
  } else {
    try {
      fs.mkdirSync(path.dirname(source), { recursive: true, mode: 0o700 });
      fs.writeFileSync(source, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    key = Buffer.from(fs.readFileSync(source, "utf8").trim(), "utf8");
    if (key.length < 32) throw new Error(`The audit key file ${source} is shorter than 32 characters: restore it from a backup.`);
  }
  cached = { source, key };
  return key;
}
