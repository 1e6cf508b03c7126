// Supervision of `npm start`'s background processes (the provisioning worker, the sandbox): a child that exits
// without being asked to is started again after a backoff (1 s doubling to 1 min); one that keeps dying (5 exits
// within 5 minutes) is left down. The web server never depends on them: it keeps serving and reports their state
// on /api/health (503 while one is down) and in the header, from the status file written here
// (PORTAL_SUPERVISOR_STATUS, 0600 in PORTAL_DATA_DIR; read by lib/ops/supervisor-status.ts).
import fs from "node:fs";
import path from "node:path";

export const SUPERVISOR_DEFAULTS = Object.freeze({ baseMs: 1_000, maxMs: 60_000, maxExits: 5, windowMs: 5 * 60_000 });

/**
 * The decision after a child's unexpected exit. `exits`: timestamps (ms) of its unexpected exits so far, this one
 * last. Pure: same input, same answer.
 * @returns {{ action: "restart", afterMs: number } | { action: "give-up", exitsInWindow: number }}
 */
export function nextAction(exits, now, opts = {}) {
  const { baseMs, maxMs, maxExits, windowMs } = { ...SUPERVISOR_DEFAULTS, ...opts };
  const recent = exits.filter((t) => t > now - windowMs && t <= now).length;
  if (recent >= maxExits) return { action: "give-up", exitsInWindow: recent };
  const afterMs = Math.min(maxMs, baseMs * 2 ** Math.max(0, recent - 1));
  return { action: "restart", afterMs };
}

/** How an exit reads in the log: "exit code 1" or "signal SIGKILL". */
export function describeExit(code, signal) {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/** Writes the state of every supervised child to `file` atomically (temp file + rename), mode 0600. */
export function writeStatus(file, children) {
  if (!file) return;
  const body = JSON.stringify({ pid: process.pid, updatedAt: new Date().toISOString(), children }, null, 2);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, body, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/**
 * Supervises several named children. `start()` of each spec returns a fresh ChildProcess. Exits while
 * `stopping()` is true are expected (a clean stop) and never restarted.
 *   specs: [{ name, start: () => ChildProcess, onStarted?: (child) => void }]
 *   opts:  { statusFile, log, now, setTimeout, clearTimeout, ...SUPERVISOR_DEFAULTS }
 */
export function createSupervisor(specs, opts = {}) {
  const log = opts.log ?? ((line) => console.error(line));
  const now = opts.now ?? Date.now;
  const policy = { baseMs: opts.baseMs, maxMs: opts.maxMs, maxExits: opts.maxExits, windowMs: opts.windowMs };
  for (const k of Object.keys(policy)) if (policy[k] === undefined) delete policy[k];
  const state = {}; // name → { state, pid, restarts, exits: [ts], lastExit, restartAt }
  const current = {}; // name → ChildProcess
  const timers = {};
  let stopped = false;

  const publish = () => {
    const out = {};
    for (const [name, s] of Object.entries(state)) {
      out[name] = {
        state: s.state,
        pid: s.pid,
        restarts: s.restarts,
        lastExit: s.lastExit,
        restartAt: s.restartAt,
        ...(s.state === "down" ? { downSince: s.downSince } : {}),
      };
    }
    try {
      writeStatus(opts.statusFile, out);
    } catch (e) {
      log(`[supervisor] could not write ${opts.statusFile}: ${e.message}`);
    }
  };

  function launch(spec) {
    const s = state[spec.name];
    const child = spec.start();
    current[spec.name] = child;
    s.state = "running";
    s.pid = child.pid ?? null;
    s.restartAt = null;
    publish();
    spec.onStarted?.(child);
    child.once("exit", (code, signal) => {
      if (current[spec.name] !== child) return;
      current[spec.name] = null;
      if (stopped) return;
      const at = now();
      s.exits.push(at);
      s.exits = s.exits.filter((t) => t > at - (policy.windowMs ?? SUPERVISOR_DEFAULTS.windowMs));
      s.lastExit = { code, signal, at: new Date(at).toISOString() };
      s.pid = null;
      const d = nextAction(s.exits, at, policy);
      if (d.action === "give-up") {
        s.state = "down";
        s.downSince = new Date(at).toISOString();
        log(
          `[supervisor] the ${spec.name} stopped (${describeExit(code, signal)}), its ${d.exitsInWindow}th exit within ${Math.round((policy.windowMs ?? SUPERVISOR_DEFAULTS.windowMs) / 60_000)} minutes: leaving it down (the web server keeps serving; /api/health answers 503)`,
        );
        publish();
        return;
      }
      s.state = "restarting";
      s.restarts += 1;
      s.restartAt = new Date(at + d.afterMs).toISOString();
      log(
        `[supervisor] the ${spec.name} stopped (${describeExit(code, signal)}): restarting it in ${d.afterMs} ms (restart ${s.restarts})`,
      );
      publish();
      timers[spec.name] = (opts.setTimeout ?? setTimeout)(() => {
        timers[spec.name] = null;
        if (!stopped) launch(spec);
      }, d.afterMs);
    });
    return child;
  }

  for (const spec of specs) state[spec.name] = { state: "starting", pid: null, restarts: 0, exits: [], lastExit: null, restartAt: null };
  publish(); // replaces what an earlier start left in the file
  return {
    start() {
      for (const spec of specs) launch(spec);
    },
    /** Starts one spec (e.g. the worker after the web server is up). */
    startOne(name) {
      const spec = specs.find((x) => x.name === name);
      if (spec) launch(spec);
    },
    /** No more restarts; the children still running (to be stopped by the caller). */
    stop() {
      stopped = true;
      for (const t of Object.values(timers)) if (t) (opts.clearTimeout ?? clearTimeout)(t);
      return Object.values(current).filter(Boolean);
    },
    child: (name) => current[name] ?? null,
    state: (name) => ({ ...state[name] }),
  };
}
