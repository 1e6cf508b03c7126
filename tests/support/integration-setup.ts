// Integration tier: one sandbox on a random loopback port and one fresh database for the run. The
// `integration` project runs on SQLite, `integration-pg` on a real PostgreSQL (scripts/postgres.mjs: a
// throwaway cluster from the installed binaries, or TEST_POSTGRES_URL); no PostgreSQL fails the run.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startSandbox, type SandboxHandle } from "../../sandbox";
import { startTestPostgres, withDatabase } from "../../scripts/postgres.mjs";

type Provider = "sqlite" | "postgresql";
let sandbox: SandboxHandle | undefined;
const cleanups: (() => Promise<void> | void)[] = [];

/** A fresh empty PostgreSQL database on the test server; dropped at teardown. */
export async function createPgDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return withDatabase(adminUrl, name);
}

export function migrate(databaseUrl: string) {
  execFileSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function database(provider: Provider, dir: string): Promise<{ databaseUrl: string; postgresAdminUrl: string | null }> {
  if (provider === "sqlite") return { databaseUrl: `file:${path.join(dir, "portal.db")}`, postgresAdminUrl: null };
  let server;
  try {
    server = await startTestPostgres();
  } catch (e) {
    const line = "!".repeat(100);
    console.error(
      `\n${line}\n!! integration-pg: NO POSTGRESQL — this pass FAILS (it is never skipped).\n!! ${(e as Error).message.replace(/\n/g, "\n!! ")}\n${line}\n`,
    );
    throw e;
  }
  cleanups.push(() => server.stop());
  const name = `portal_int_${process.pid}`;
  const databaseUrl = await createPgDatabase(server.url, name);
  if (server.external) cleanups.unshift(() => dropPgDatabase(server.url, name));
  return { databaseUrl, postgresAdminUrl: server.url };
}

async function dropPgDatabase(adminUrl: string, name: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => admin.end());
}

export async function setup(project: TestProject) {
  const provider: Provider = project.name === "integration-pg" ? "postgresql" : "sqlite";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-int-"));
  const { databaseUrl, postgresAdminUrl } = await database(provider, dir);
  migrate(databaseUrl);
  sandbox = await startSandbox({ port: 0, seedDemo: true });
  project.provide("integration", { databaseUrl, sandboxUrl: sandbox.url, dataDir: dir, provider, postgresAdminUrl });
}

export async function teardown() {
  await sandbox?.close();
  for (const c of cleanups) await c();
}

declare module "vitest" {
  export interface ProvidedContext {
    integration: { databaseUrl: string; sandboxUrl: string; dataDir: string; provider: Provider; postgresAdminUrl: string | null };
  }
}
