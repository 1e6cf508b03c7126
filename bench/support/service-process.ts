// `npm start` (scripts/start.mjs) as a process group the drills start, kill and start again: the real service
// (set-up, sandbox, seed, build-if-needed, web server, supervised worker). Started detached, so the whole tree
// can be SIGKILLed at once (process.kill(-pid)); every group started is killed when the drill exits.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  dataDir: string;
  log: string;
}

const groups = new Set<number>();
function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
process.once("exit", () => groups.forEach((pid) => killGroup(pid, "SIGKILL")));
for (const s of ["SIGINT", "SIGTERM"] as const) process.once(s, () => process.exit(130));

export function startService(opts: {
  root: string;
  dataDir: string;
  port: number;
  env: Record<string, string>;
  name: string;
}): ServiceProcess {
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const log = path.join(path.dirname(opts.dataDir), `${opts.name}.log`);
  const fd = fs.openSync(log, "a");
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: opts.root,
    detached: true,
    stdio: ["ignore", fd, fd],
    env: { ...process.env, ...opts.env, PORTAL_DATA_DIR: opts.dataDir, PORT: String(opts.port) },
  });
  fs.closeSync(fd);
  groups.add(child.pid!);
  child.once("exit", () => groups.delete(child.pid!));
  return { child, url: `http://127.0.0.1:${opts.port}`, dataDir: opts.dataDir, log };
}

/** SIGKILL of the whole process tree `npm start` made (web server, worker, sandbox): a crashed host. */
export async function killServiceTree(s: ServiceProcess): Promise<void> {
  killGroup(s.child.pid!, "SIGKILL");
  if (s.child.exitCode === null && s.child.signalCode === null) await new Promise((r) => s.child.once("exit", r));
  groups.delete(s.child.pid!);
}

/** A clean stop (SIGTERM to start.mjs, as `npm start`'s users do), then SIGKILL of whatever is left. */
export async function stopService(s: ServiceProcess, graceMs = 30_000): Promise<void> {
  if (s.child.exitCode === null && s.child.signalCode === null) {
    s.child.kill("SIGTERM");
    await Promise.race([new Promise((r) => s.child.once("exit", r)), new Promise((r) => setTimeout(r, graceMs))]);
  }
  killGroup(s.child.pid!, "SIGKILL");
  groups.delete(s.child.pid!);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs: number,
  everyMs = 200,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await Promise.resolve()
      .then(probe)
      .catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

export async function healthOk(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const r = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return r.status === 200;
  } catch {
    return false;
  }
}

export interface SupervisedState {
  state: "starting" | "running" | "restarting" | "down";
  pid: number | null;
  restarts: number;
}

/** What the service's supervisor last wrote (scripts/supervisor.mjs): pids and states of the worker and sandbox. */
export function supervised(s: ServiceProcess): Record<string, SupervisedState> {
  try {
    return JSON.parse(fs.readFileSync(path.join(s.dataDir, "supervisor.json"), "utf8")).children;
  } catch {
    return {};
  }
}

export function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
