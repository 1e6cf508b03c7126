// npm start's supervision (scripts/supervisor.mjs) with real processes: a worker SIGKILLed is restarted, one that
// dies 5 times within 5 minutes is left down and /api/health (the real route handler, reading the supervisor's
// status file) answers 503 "down"; a web server beside it, never touched by the supervisor, answers throughout.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSupervisor, type Supervisor } from "@/scripts/supervisor.mjs";

const ROOT = path.resolve(import.meta.dirname, "../..");
const proc = (name: string) => path.join(ROOT, "tests/support/processes", name);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

let dir: string;
let web: ChildProcess;
let webUrl: string;
let sup: Supervisor;
const logs: string[] = [];
const webAnswers: number[] = [];
let poller: NodeJS.Timeout;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "supervisor-int-"));
  process.env.PORTAL_SUPERVISOR_STATUS = path.join(dir, "supervisor.json");
  web = spawn(process.execPath, [proc("web.mjs"), "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve) =>
    web.stdout!.on("data", (b: Buffer) => {
      const m = /listening (\d+)/.exec(b.toString());
      if (m) resolve(Number(m[1]));
    }),
  );
  webUrl = `http://127.0.0.1:${port}/`;
  // The web server answers throughout: polled every 25 ms for the whole test; a failed poll is recorded as 0.
  poller = setInterval(
    () =>
      void fetch(webUrl).then(
        (r) => webAnswers.push(r.status),
        () => webAnswers.push(0),
      ),
    25,
  );
  sup = createSupervisor([{ name: "worker", start: () => spawn(process.execPath, [proc("idle.mjs")], { stdio: "ignore" }) }], {
    statusFile: process.env.PORTAL_SUPERVISOR_STATUS,
    log: (l) => logs.push(l),
    baseMs: 50, // 50 ms doubling instead of 1 s, so five deaths fit the test; the policy is unit-tested in lib/ops/supervisor.test.ts
  });
  sup.startOne("worker");
});

afterAll(async () => {
  clearInterval(poller);
  for (const c of sup.stop()) c.kill("SIGKILL");
  web.kill("SIGTERM");
  delete process.env.PORTAL_SUPERVISOR_STATUS;
});

async function health() {
  const { GET } = await import("@/app/api/health/route");
  const res = GET();
  return { status: res.status, body: (await res.json()) as { ok: boolean; worker: string } };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("supervised worker", () => {
  it("is restarted after SIGKILL, and health says running again", async () => {
    const first = sup.child("worker")!.pid!;
    expect(await health()).toEqual({ status: 200, body: expect.objectContaining({ ok: true, worker: "running" }) });
    process.kill(first, "SIGKILL");
    await until("the restart", () => {
      const c = sup.child("worker");
      return c && c.pid !== first && alive(c.pid!);
    });
    expect(alive(first)).toBe(false);
    expect(logs.some((l) => /the worker stopped \(signal SIGKILL\): restarting it in 50 ms/.test(l))).toBe(true);
    expect((await health()).body.worker).toBe("running");
  });

  it("is left down after dying 5 times in 5 minutes; /api/health answers 503 while the web server keeps answering", async () => {
    // One death so far (the test above): four more.
    for (let i = 0; i < 4; i++) {
      const c = await until("a running worker", () => {
        const c = sup.child("worker");
        return c && sup.state("worker").state === "running" ? c : undefined;
      });
      c.kill("SIGKILL");
      await until("the exit to be seen", () => sup.child("worker") !== c);
    }
    await until("the worker to be down", () => sup.state("worker").state === "down");
    await sleep(1_000); // longer than any backoff it would have had (50·2³ = 400 ms): still down
    expect(sup.child("worker")).toBeNull();
    expect(sup.state("worker").state).toBe("down");
    const h = await health();
    expect(h.status).toBe(503);
    expect(h.body).toMatchObject({ ok: false, worker: "down" });
    expect(logs.at(-1)).toMatch(/leaving it down/);
    // The web server was never interrupted.
    expect(alive(web.pid!)).toBe(true);
    expect((await fetch(webUrl)).status).toBe(200);
    expect(webAnswers.length).toBeGreaterThan(20);
    expect(webAnswers.every((s) => s === 200)).toBe(true);
  });
});
