// Supervision in the real `npm start` (scripts/start.mjs): SIGKILL of the worker no longer stops the portal. The
// supervisor logs the signal and starts a new worker, the web server answers /api/health with 200 throughout, and a
// SIGTERM afterwards still stops every process of the service cleanly. On this pass's database.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildIfNeeded } from "../../scripts/build-if-needed.mjs";
import { createPgDatabase } from "../support/integration-setup";
import { alive, descendants, freePort, sleep, until as untilProbe } from "../support/processes";

const cfg = inject("integration");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-supervised-"));
let child: ChildProcess | undefined;
let log = "";
let databaseUrl = "";
let port = 0;
let sandboxPort = 0;

/** Waits for `probe`; a timeout shows the end of the service's log. */
const until = <T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs?: number) =>
  untilProbe(what, probe, timeoutMs, () => `\n--- service log ---\n${log.slice(-4000)}`);
const status = () =>
  JSON.parse(fs.readFileSync(path.join(dataDir, "supervisor.json"), "utf8")).children as Record<
    string,
    { state: string; pid: number | null; restarts: number }
  >;

beforeAll(async () => {
  buildIfNeeded();
  [port, sandboxPort] = [await freePort(), await freePort()];
  databaseUrl =
    cfg.provider === "postgresql"
      ? await createPgDatabase(cfg.postgresAdminUrl!, `supervised_${process.pid}`)
      : `file:${path.join(dataDir, "portal.db")}`;
}, 15 * 60_000); // a first `next build` takes minutes

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const tree = [child.pid!, ...descendants(child.pid!)];
    child.kill("SIGTERM");
    await until("the service to stop", async () => tree.every((p) => !alive(p)), 30_000).catch(() =>
      tree.forEach((p) => alive(p) && process.kill(p, "SIGKILL")),
    );
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe(`npm start supervises its worker (${cfg.provider})`, () => {
  it("restarts a SIGKILLed worker while the web server keeps answering; SIGTERM still stops everything", async () => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      PORTAL_MODE: "sandbox",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      SANDBOX_PORT: String(sandboxPort),
      PORTAL_DATA_DIR: dataDir,
      NEXTAUTH_SECRET: "supervised-test-secret-0123456789",
      PORTAL_AUDIT_KEY: "supervised-test-audit-key-0123456789abcdef",
      NEXTAUTH_URL: `http://localhost:${port}`,
    };
    delete env.AWS_ENDPOINT_URL; // the service's own sandbox, not the test tier's
    child = spawn(process.execPath, ["scripts/start.mjs"], { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d) => (log += d));
    child.stderr!.on("data", (d) => (log += d));
    const health = `http://127.0.0.1:${port}/api/health`;
    await until("the portal to answer its health check", async () => (await fetch(health)).ok);
    const first = await until("the worker to run", async () => {
      const w = status().worker;
      return w?.state === "running" && w.pid && alive(w.pid) ? w.pid : null;
    });

    const answers: number[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling) {
        answers.push(
          await fetch(health).then(
            (r) => r.status,
            () => 0,
          ),
        );
        await sleep(100);
      }
    })();
    process.kill(first, "SIGKILL");
    const second = await until(
      "a new worker",
      async () => {
        const w = status().worker;
        return w?.state === "running" && w.pid && w.pid !== first && alive(w.pid) ? w.pid : null;
      },
      60_000,
    );
    await sleep(500);
    polling = false;
    await poll;

    expect(alive(first)).toBe(false);
    expect(alive(second)).toBe(true);
    expect(child.exitCode).toBeNull(); // npm start itself did not stop
    expect(log).toMatch(/\[supervisor\] the worker stopped \(signal SIGKILL\): restarting it in 1000 ms/);
    expect(log).not.toMatch(/stopping the portal/);
    expect(answers.length).toBeGreaterThan(3);
    expect(
      answers.every((s) => s === 200),
      `health answers: ${answers.join(",")}`,
    ).toBe(true);
    const body = (await (await fetch(health)).json()) as { ok: boolean; worker: string };
    expect(body).toMatchObject({ ok: true, worker: "running" });

    // A clean stop after a restart: every process of the service ends, start.mjs exits 0, nothing restarts.
    const tree = descendants(child.pid!);
    expect(tree).toContain(second);
    const exit = new Promise<number | null>((r) => child!.once("exit", (code) => r(code)));
    child.kill("SIGTERM");
    expect(await Promise.race([exit, sleep(60_000).then(() => "timeout")])).toBe(0);
    await until("every process of the service to be gone", async () => tree.every((p) => !alive(p)), 15_000);
    expect(status().worker).toMatchObject({ restarts: 1 }); // the stop restarted nothing
  });
});
