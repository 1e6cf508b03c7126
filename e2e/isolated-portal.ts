// A portal of a spec's own (fresh database and sandbox on free ports, the production build), for specs that
// create pipelines and so must not disturb the specs that expect the shared portal empty. Started once per worker
// and shared by the spec's tests, which therefore must not assume what the others created (each sets up its own).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { test as base } from "@playwright/test";
import { PASSWORD } from "./support";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForHealth(url: string, child: ChildProcess, ms: number, log: string) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`the isolated portal exited with ${child.exitCode} (log: ${log})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms / 1000}s (log: ${log})`);
}

export type IsolatedPortal = { url: string; sandboxUrl: string };

/**
 * Starts a fresh portal (scripts/e2e-server.mjs) on `port` with `extraEnv` added and the variables in `unset`
 * removed, runs `use` against it and stops it. For specs that must know the portal's port before it starts (an
 * identity provider registers its redirect URI first).
 */
export async function withIsolatedPortal(
  opts: { name: string; port: number; sandboxPort: number; extraEnv?: Record<string, string>; unset?: string[] },
  use: (portal: IsolatedPortal) => Promise<void>,
) {
  const { name, port, sandboxPort } = opts;
  const log = path.join(os.tmpdir(), `portal-${name}-e2e-${port}.log`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.extraEnv,
    E2E_PORT: String(port),
    E2E_SANDBOX_PORT: String(sandboxPort),
    DEMO_ADMIN_PASSWORD: PASSWORD,
  };
  for (const k of ["DATABASE_URL", "NEXTAUTH_URL", "PORT", "SANDBOX_PORT", "SANDBOX_STATE_FILE", "AWS_ENDPOINT_URL", ...(opts.unset ?? [])])
    delete env[k];
  const out = fs.openSync(log, "w");
  const child = spawn(process.execPath, ["scripts/e2e-server.mjs"], {
    cwd: path.resolve(__dirname, ".."),
    env,
    stdio: ["ignore", out, out],
  });
  try {
    await waitForHealth(`http://localhost:${port}/api/health`, child, 120_000, log);
    await use({ url: `http://localhost:${port}`, sandboxUrl: `http://127.0.0.1:${sandboxPort}` });
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
    fs.closeSync(out);
  }
}

/** A Playwright test whose baseURL is a fresh portal started once per worker with `env` added. */
export function isolatedPortalTest(name: string, extraEnv: Record<string, string> = {}) {
  return base.extend<object, { portal: IsolatedPortal }>({
    portal: [
      async ({}, use) => {
        // While iterating on pages: a portal you started yourself (scripts/e2e-server.mjs, fresh each run).
        if (process.env.E2E_ISOLATED_PORTAL_URL)
          return use({ url: process.env.E2E_ISOLATED_PORTAL_URL, sandboxUrl: process.env.E2E_ISOLATED_SANDBOX_URL ?? "" });
        const [port, sandboxPort] = [await freePort(), await freePort()];
        await withIsolatedPortal({ name, port, sandboxPort, extraEnv }, use);
      },
      { scope: "worker", timeout: 180_000 },
    ],
    baseURL: async ({ portal }, use) => use(portal.url),
  });
}
