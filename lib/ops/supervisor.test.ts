// scripts/supervisor.mjs with fake children and a fake clock: the restart/give-up policy of `npm start`.
import { EventEmitter } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createSupervisor, describeExit, nextAction } from "@/scripts/supervisor.mjs";
import { readBackgroundStatus } from "@/lib/ops/supervisor-status";

describe("nextAction (restart policy)", () => {
  it("restarts after 1 s, doubling per exit within the window", () => {
    expect(nextAction([0], 0)).toEqual({ action: "restart", afterMs: 1_000 });
    expect(nextAction([0, 10], 10)).toEqual({ action: "restart", afterMs: 2_000 });
    expect(nextAction([0, 10, 20], 20)).toEqual({ action: "restart", afterMs: 4_000 });
    expect(nextAction([0, 10, 20, 30], 30)).toEqual({ action: "restart", afterMs: 8_000 });
  });

  it("caps the backoff at 1 minute", () => {
    expect(nextAction([0, 1, 2, 3], 3, { baseMs: 30_000 })).toEqual({ action: "restart", afterMs: 60_000 });
  });

  it("gives up at the 5th exit within 5 minutes", () => {
    const t = [0, 60_000, 120_000, 180_000, 240_000];
    expect(nextAction(t, 240_000)).toEqual({ action: "give-up", exitsInWindow: 5 });
  });

  it("forgets exits older than 5 minutes: a worker that crashes now and then keeps being restarted", () => {
    const t = [0, 100_000, 200_000, 300_000, 400_000];
    // 0 and 100 000 are 5 minutes or more before 400 000: three exits count.
    expect(nextAction(t, 400_000)).toEqual({ action: "restart", afterMs: 4_000 });
  });

  it("describes an exit by its signal or its code", () => {
    expect(describeExit(null, "SIGKILL")).toBe("signal SIGKILL");
    expect(describeExit(3, null)).toBe("exit code 3");
  });
});

class FakeChild extends EventEmitter {
  static next = 100;
  pid = FakeChild.next++;
  die(code: number | null, signal: string | null) {
    this.emit("exit", code, signal);
  }
}

function harness() {
  let now = 1_000_000;
  const timers: { at: number; fn: () => void }[] = [];
  const logs: string[] = [];
  const children: FakeChild[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "supervisor-"));
  const statusFile = path.join(dir, "supervisor.json");
  const sup = createSupervisor(
    [
      {
        name: "worker",
        start: () => {
          const c = new FakeChild();
          children.push(c);
          return c as unknown as ChildProcess;
        },
      },
    ],
    {
      statusFile,
      log: (l) => logs.push(l),
      now: () => now,
      setTimeout: ((fn: () => void, ms: number) => {
        const t = { at: now + ms, fn };
        timers.push(t);
        return t;
      }) as unknown as typeof setTimeout,
      clearTimeout: ((t: { at: number; fn: () => void }) => {
        const i = timers.indexOf(t);
        if (i >= 0) timers.splice(i, 1);
      }) as unknown as typeof clearTimeout,
    },
  );
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((x) => x.at <= now)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
  };
  return { sup, logs, children, statusFile, advance, timers, last: () => children[children.length - 1] };
}

describe("createSupervisor", () => {
  it("restarts a SIGKILLed worker after the backoff and logs the signal", () => {
    const h = harness();
    h.sup.startOne("worker");
    expect(readBackgroundStatus(h.statusFile).worker).toBe("running");
    h.last().die(null, "SIGKILL");
    expect(h.logs.at(-1)).toMatch(/the worker stopped \(signal SIGKILL\): restarting it in 1000 ms/);
    expect(readBackgroundStatus(h.statusFile).worker).toBe("restarting");
    h.advance(999);
    expect(h.children).toHaveLength(1);
    h.advance(1);
    expect(h.children).toHaveLength(2);
    expect(readBackgroundStatus(h.statusFile).worker).toBe("running");
    h.last().die(137, null);
    expect(h.logs.at(-1)).toMatch(/exit code 137\): restarting it in 2000 ms/);
  });

  it("leaves a worker that dies 5 times in 5 minutes down, and says so in the status file", () => {
    const h = harness();
    h.sup.startOne("worker");
    for (let i = 0; i < 4; i++) {
      h.last().die(null, "SIGKILL");
      h.advance(60_000);
    }
    expect(h.children).toHaveLength(5);
    h.last().die(1, null);
    h.advance(600_000);
    expect(h.children).toHaveLength(5);
    expect(h.logs.at(-1)).toMatch(/leaving it down/);
    const s = readBackgroundStatus(h.statusFile);
    expect(s.worker).toBe("down");
    expect(s.down).toEqual(["worker"]);
    expect(fs.statSync(h.statusFile).mode & 0o777).toBe(0o600);
  });

  it("restarts nothing after stop(): exits during a clean stop are expected", () => {
    const h = harness();
    h.sup.startOne("worker");
    h.last().die(null, "SIGKILL");
    expect(h.timers).toHaveLength(1);
    h.sup.stop();
    expect(h.timers).toHaveLength(0);
    h.advance(10_000);
    expect(h.children).toHaveLength(1);
  });
});
