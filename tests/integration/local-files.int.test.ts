// The data directory as `npm start` prepares it (scripts/portal-env.mjs): private modes for what exists and for
// what gets created afterwards (the database by the migration), and the demo admin's password printed only when
// the account is created.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rawQuery } from "../support/raw-db";

const root = path.resolve(import.meta.dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "portal-files-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const mode = (p: string) => fs.statSync(p).mode & 0o777;

/** Runs a module snippet in a child with the normal umask, as `npm start` would be run. */
function node(code: string, env: Record<string, string> = {}) {
  return execFileSync(process.execPath, ["--input-type=module", "-e", code], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
}

describe("local files", () => {
  it("prepares .data 0700 with its files 0600, tightening what an older version left readable, and the database it then creates", () => {
    const dataDir = path.join(tmp, "data");
    fs.mkdirSync(path.join(dataDir, "sub"), { recursive: true, mode: 0o755 });
    fs.chmodSync(dataDir, 0o755);
    fs.writeFileSync(path.join(dataDir, "portal.db"), "", { mode: 0o644 });
    fs.writeFileSync(path.join(dataDir, "sub", "state.json"), "{}", { mode: 0o644 });
    fs.chmodSync(path.join(dataDir, "portal.db"), 0o644);
    const fresh = path.join(dataDir, "fresh.db");
    node(
      `process.umask(0o022);
       const { portalEnv } = await import("./scripts/portal-env.mjs");
       const { migrateDatabase } = await import("./scripts/setup.mjs");
       portalEnv({ dataDir: ${JSON.stringify(dataDir)}, port: 3999, sandboxPort: 4999 });
       migrateDatabase({ DATABASE_URL: "file:${fresh}" });`,
      { PORTAL_MODE: "sandbox", DATABASE_URL: "" },
    );
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, "sub"))).toBe(0o700);
    expect(mode(path.join(dataDir, "portal.db"))).toBe(0o600);
    expect(mode(path.join(dataDir, "sub", "state.json"))).toBe(0o600);
    expect(mode(path.join(dataDir, "nextauth-secret"))).toBe(0o600);
    expect(mode(path.join(dataDir, "audit-key"))).toBe(0o600);
    expect(mode(fresh)).toBe(0o600);
  });

  it("prints the demo admin's password when the account is created, and never on a later start; it expires after 24 hours", async () => {
    const dataDir = path.join(tmp, "seed");
    fs.mkdirSync(dataDir, { mode: 0o700 });
    const env = {
      DATABASE_URL: `file:${path.join(dataDir, "portal.db")}`,
      PORTAL_MODE: "aws",
      AWS_ENDPOINT_URL: "",
      DEMO_ADMIN_PASSWORD: "",
      DEMO_EXTRA_USERS: "",
      PORTAL_AUDIT_KEY_FILE: path.join(dataDir, "audit-key"),
    };
    execFileSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: "ignore",
    });
    const seed = () =>
      execFileSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/seed.ts"], {
        cwd: root,
        env: { ...process.env, ...env },
        encoding: "utf8",
      });
    const first = seed();
    const password = fs.readFileSync(path.join(dataDir, "demo-admin.txt"), "utf8").trim().split(" / ")[1];
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(first).toContain(password);
    expect(mode(path.join(dataDir, "demo-admin.txt"))).toBe(0o600);
    const second = seed();
    expect(second).not.toContain(password);
    // The one-time password expires 24 hours after it was printed (lib/auth/one-time-password.ts); so does the
    // one `npm run admin:reset-demo-password` prints.
    const expiry = async () =>
      (
        await rawQuery<{ passwordExpiresAt: number | string }>(
          env.DATABASE_URL,
          `SELECT "passwordExpiresAt" FROM "User" WHERE "email" = 'admin@example.com'`,
        )
      )[0].passwordExpiresAt;
    const inHours = (v: number | string | null) => (v === null ? null : (new Date(v).getTime() - Date.now()) / 3600_000);
    expect(inHours(await expiry())).toBeGreaterThan(23.9);
    expect(inHours(await expiry())).toBeLessThanOrEqual(24);
    expect(first).toContain("valid for 24 hours");
    const reset = execFileSync(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "scripts/seed.ts", "--reset-demo-admin"],
      { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" },
    );
    expect(reset).toContain("valid for 24 hours");
    expect(inHours(await expiry())).toBeGreaterThan(23.9);
  });
});
