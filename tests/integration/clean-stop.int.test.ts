// Clean stop, as a container runtime or systemd does it: SIGTERM to the process `npm start` runs
// (scripts/start.mjs) while a run is in flight. Every process of the service (web server, worker, sandbox)
// must be gone, its ports closed, and the run back in the queue at once (not left "running" until its heartbeat
// goes stale) with its finished steps kept; a new start then resumes and finishes it. On this pass's database.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildIfNeeded } from "../../scripts/build-if-needed.mjs";
import { createPgDatabase } from "../support/integration-setup";
import { alive, descendants, freePort, sleep, until } from "../support/processes";
import { rawQuery } from "../support/raw-db";

const cfg = inject("integration");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-stop-"));
const started: ChildProcess[] = [];
let databaseUrl = "";
let port = 0;
let sandboxPort = 0;

const listening = (p: number) =>
  new Promise<boolean>((resolve) => {
    const sock = net.connect(p, "127.0.0.1");
    sock.once("connect", () => (sock.destroy(), resolve(true)));
    sock.once("error", () => resolve(false));
  });

function serviceEnv(extra: Record<string, string> = {}) {
  const e: Record<string, string | undefined> = {
    ...process.env,
    PORTAL_MODE: "sandbox",
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    SANDBOX_PORT: String(sandboxPort),
    PORTAL_DATA_DIR: dataDir,
    NEXTAUTH_SECRET: "clean-stop-test-secret-0123456789",
    PORTAL_AUDIT_KEY: "clean-stop-test-audit-key-0123456789abcdef",
    NEXTAUTH_URL: `http://localhost:${port}`,
  };
  delete e.AWS_ENDPOINT_URL; // the service's own sandbox, not the test tier's
  return { ...e, ...extra } as NodeJS.ProcessEnv;
}

async function startService(extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["scripts/start.mjs"], { env: serviceEnv(extra), stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  started.push(child);
  await until("the portal to answer its health check", async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).ok).catch((e) => {
    throw new Error(`${e.message}\n--- service log ---\n${log.slice(-4000)}`);
  });
  return { child, log: () => log };
}

async function stop(child: ChildProcess) {
  const before = descendants(child.pid!);
  const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  child.kill("SIGTERM");
  const code = await Promise.race([exit, sleep(60_000).then(() => "timeout" as const)]);
  return { code, before };
}

const runOf = async (id: string) =>
  (
    await rawQuery<{ status: string; claimedBy: string | null }>(databaseUrl, `SELECT "status", "claimedBy" FROM "Run" WHERE "id" = ?`, id)
  )[0];
const stepsOf = (id: string) =>
  rawQuery<{ stepKey: string; status: string; output: string | null }>(
    databaseUrl,
    `SELECT "stepKey", "status", "output" FROM "RunStep" WHERE "runId" = ?`,
    id,
  );

beforeAll(async () => {
  buildIfNeeded();
  [port, sandboxPort] = [await freePort(), await freePort()];
  databaseUrl =
    cfg.provider === "postgresql"
      ? await createPgDatabase(cfg.postgresAdminUrl!, `clean_stop_${process.pid}`)
      : `file:${path.join(dataDir, "portal.db")}`;
}, 15 * 60_000); // a first `next build` takes minutes

afterAll(async () => {
  // After a failure: stop what is left the clean way, then make sure (a failing test must not leak processes).
  const left = started.filter((c) => c.exitCode === null && c.signalCode === null);
  const tree = left.flatMap((c) => [c.pid!, ...descendants(c.pid!)]);
  for (const c of left) c.kill("SIGTERM");
  await until("the service to stop", async () => tree.every((p) => !alive(p)), 30_000).catch(() =>
    tree.forEach((p) => alive(p) && process.kill(p, "SIGKILL")),
  );
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe(`SIGTERM to scripts/start.mjs (${cfg.provider})`, () => {
  it(
    "stops the web server, the worker and the sandbox, releases the run in flight, and a new start resumes it",
    async () => {
      // 150 ms per AWS call: the run is still going when the signal comes.
      const first = await startService({ SANDBOX_LATENCY_MS: "150" });
      const runId = execFileSync(
        process.execPath,
        ["--conditions=react-server", "--import", "tsx", "tests/support/demo-apply.ts", "stop-test"],
        {
          env: serviceEnv({ AWS_ENDPOINT_URL: `http://127.0.0.1:${sandboxPort}` }),
          encoding: "utf8",
        },
      )
        .trim()
        .split("\n")
        .at(-1)!;
      await until("the run to be in the middle of its steps", async () => {
        const [run, steps] = await Promise.all([runOf(runId), stepsOf(runId)]);
        return run.status === "running" && steps.some((s) => s.status === "succeeded") && steps.some((s) => s.status !== "succeeded");
      });

      const { code, before } = await stop(first.child);
      expect(code, first.log()).toBe(0);
      expect(before.length).toBeGreaterThanOrEqual(3); // web server, worker, sandbox (at least)
      await until("every process of the service to be gone", async () => before.every((p) => !alive(p)), 10_000);
      expect(before.filter(alive)).toEqual([]);
      expect(await listening(port)).toBe(false);
      expect(await listening(sandboxPort)).toBe(false);
      expect(first.log()).toMatch(/released (run|1 run)/);

      // Released at once: queued, no claim, no step left "running", finished steps kept with their outputs.
      expect(await runOf(runId)).toEqual({ status: "queued", claimedBy: null });
      const steps = await stepsOf(runId);
      expect(steps.filter((s) => s.status === "running")).toEqual([]);
      const done = steps.filter((s) => s.status === "succeeded");
      expect(done.length).toBeGreaterThan(0);
      expect(done.every((s) => s.output !== null)).toBe(true);

      // Resumable: the next start picks it up straight away and finishes it.
      const second = await startService();
      await until("the resumed run to succeed", async () => (await runOf(runId)).status === "succeeded", 120_000);
      const again = await stop(second.child);
      expect(again.code, second.log()).toBe(0);
      await until("every process of the second start to be gone", async () => again.before.every((p) => !alive(p)), 10_000);
    },
    6 * 60_000,
  );
});
