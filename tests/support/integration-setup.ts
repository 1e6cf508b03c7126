// Integration tier: one sandbox on a random loopback port and one fresh SQLite database for the run.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";
import { startSandbox, type SandboxHandle } from "../../sandbox";

let sandbox: SandboxHandle | undefined;

export async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-int-"));
  const databaseUrl = `file:${path.join(dir, "portal.db")}`;
  execFileSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ["ignore", "ignore", "inherit"] });
  sandbox = await startSandbox({ port: 0, seedDemo: true });
  project.provide("integration", { databaseUrl, sandboxUrl: sandbox.url, dataDir: dir });
}

export async function teardown() {
  await sandbox?.close();
}

declare module "vitest" {
  export interface ProvidedContext {
    integration: { databaseUrl: string; sandboxUrl: string; dataDir: string };
  }
}
