// The environment the portal processes run with, from the user's environment plus embedded defaults.
import path from "node:path";
import { ensureAuditKey, ensureAuthSecret, root } from "./setup.mjs";
import { secureDataDir } from "./data-dir.mjs";

export const SANDBOX_PORTAL_KEY = "AKIASANDBOXPORTAL000";
export const SANDBOX_PORTAL_PRINCIPAL = "arn:aws:iam::000000000000:user/portal";

export function portalEnv({
  dataDir = process.env.PORTAL_DATA_DIR || path.join(root, ".data"),
  port = Number(process.env.PORT ?? 3000),
  sandboxPort = Number(process.env.SANDBOX_PORT ?? 4566),
} = {}) {
  secureDataDir(dataDir);
  ensureAuditKey(dataDir);
  const mode = process.env.PORTAL_MODE ?? "sandbox";
  const postgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "");
  if (postgres && (!process.env.NEXTAUTH_SECRET || !process.env.PORTAL_AUDIT_KEY)) {
    // On a shared database, several instances serve one set of users and write one audit chain: a session cookie
    // signed by one must be valid on the others, and every instance must sign audit events with the same key, so
    // neither secret can be a per-host file.
    throw new Error(
      "DATABASE_URL is PostgreSQL: set NEXTAUTH_SECRET (at least 16 characters) and PORTAL_AUDIT_KEY (at least 32 characters), the same on every instance.",
    );
  }
  const env = {
    PORTAL_MODE: mode,
    DATABASE_URL: process.env.DATABASE_URL ?? `file:${path.join(dataDir, "portal.db")}`,
    NEXTAUTH_SECRET: ensureAuthSecret(dataDir),
    PORTAL_AUDIT_KEY_FILE: process.env.PORTAL_AUDIT_KEY_FILE ?? path.join(dataDir, "audit-key"),
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
    // Node 20 is what this project pins; the SDK's notice about future versions is noise in every log.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    PORT: String(port),
  };
  if (mode === "sandbox") {
    Object.assign(env, {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${sandboxPort}`,
      AWS_ACCESS_KEY_ID: SANDBOX_PORTAL_KEY,
      AWS_SECRET_ACCESS_KEY: "sandbox-secret",
      AWS_REGION: "us-east-1",
      PORTAL_PRINCIPAL_ARN: SANDBOX_PORTAL_PRINCIPAL,
      SANDBOX_PORT: String(sandboxPort),
      SANDBOX_STATE_FILE: path.join(dataDir, "sandbox-state.json"),
    });
    // The sandbox speaks for AWS here: drop any profile that would send the SDK elsewhere.
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_SESSION_TOKEN;
  }
  return env;
}

export async function waitForHttp(url, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}
