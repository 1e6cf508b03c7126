import "server-only";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { liveEnv } from "@/lib/config/env";
import { processSingleton } from "@/lib/core/singleton";
import { tickJobs } from "./jobs";
import { claimNextQueued, executeRun, releaseRuns, requeueStaleRuns, type RunnerOptions } from "./runner";

const STALE_AFTER_MS = liveEnv().PORTAL_RUN_STALE_MS;
const POLL_MS = 500;
const MAX_CONCURRENT_RUNS = 4;

/** A worker id is host:pid[:nonce]. On this host, a pid that no longer exists means that worker died (a restart). */
export function isDeadLocalWorker(claimedBy: string, host = hostname()): boolean {
  const [h, pidText] = claimedBy.split(":");
  const pid = Number(pidText);
  if (h !== host || !Number.isInteger(pid) || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

export interface Worker {
  readonly workerId: string;
  /**
   * A clean stop: claim nothing more, let the steps in flight finish and be recorded, and give every run this
   * worker holds back to the queue, so a live worker (this instance's successor or another instance) resumes
   * it at once. After `graceMs` the runs are released anyway (what is still in flight is then redone by the
   * next worker: every step is idempotent).
   */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The background worker: requeues runs whose worker died (stale heartbeat, or a dead pid on this host), then
 * keeps claiming queued runs, up to a few at a time. Several workers (processes, instances) may share one
 * database: claims are conditional updates, so each run is executed by exactly one of them.
 */
export function startWorker(): Worker {
  return processSingleton("portalWorker", createWorker);
}

function createWorker(): Worker {
  // host:pid:nonce: unique per process lifetime even where pids repeat (containers all run as pid 1).
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const abort = new AbortController();
  // Heart-beat well within the staleness window, so a live worker's runs are never taken from it.
  const opts: RunnerOptions = {
    workerId,
    signal: abort.signal,
    heartbeatMs: Math.max(100, Math.min(5_000, Math.floor(STALE_AFTER_MS / 3))),
  };
  const running = new Set<Promise<unknown>>();
  let lastRequeue = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    if (abort.signal.aborted) return;
    try {
      if (Date.now() - lastRequeue > STALE_AFTER_MS / 2) {
        lastRequeue = Date.now();
        const requeued = await requeueStaleRuns(STALE_AFTER_MS, (w) => isDeadLocalWorker(w));
        if (requeued.length) console.log(`[worker] resuming ${requeued.length} interrupted run(s): ${requeued.join(", ")}`);
      }
      while (running.size < MAX_CONCURRENT_RUNS && !abort.signal.aborted) {
        const runId = await claimNextQueued(workerId);
        if (!runId) break;
        const p: Promise<unknown> = executeRun(runId, opts)
          .catch((e) => console.error(`[worker] run ${runId} failed to execute`, e))
          .finally(() => running.delete(p));
        running.add(p);
      }
      // Registered background jobs (the drift schedule, paced per AWS account) run on their own; never block claiming runs.
      tickJobs(workerId, abort.signal);
    } catch (e) {
      console.error("[worker] poll failed", e);
    } finally {
      if (!abort.signal.aborted) timer = setTimeout(tick, POLL_MS);
    }
  };
  void tick();
  const worker: Worker = {
    workerId,
    async stop(graceMs = 10_000) {
      if (abort.signal.aborted) return;
      abort.abort();
      clearTimeout(timer);
      let graceTimer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((r) => (graceTimer = setTimeout(r, graceMs)));
      await Promise.race([Promise.allSettled([...running]), grace]);
      clearTimeout(graceTimer);
      const released = await releaseRuns(workerId);
      if (released.length) console.log(`[worker] released ${released.length} run(s) for another worker: ${released.join(", ")}`);
    },
  };
  return worker;
}
