import "server-only";
import { hostname } from "node:os";
import { requeueStaleRuns, runNextQueued, type RunnerOptions } from "./runner";

const STALE_AFTER_MS = Number(process.env.PORTAL_RUN_STALE_MS ?? 30_000);
const POLL_MS = 500;
const MAX_CONCURRENT_RUNS = 4;

/** A worker id is host:pid. On this host, a pid that no longer exists means that worker died (a restart). */
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

const g = globalThis as unknown as { portalWorker?: { stop(): void } };

/**
 * The background worker inside the server process: requeues runs whose worker died (stale heartbeat),
 * then keeps claiming queued runs, up to a few at a time. Started once from instrumentation.ts.
 */
export function startWorker(): { stop(): void } {
  if (g.portalWorker) return g.portalWorker;
  const opts: RunnerOptions = { workerId: `${hostname()}:${process.pid}` };
  let active = 0;
  let stopped = false;
  let lastRequeue = 0;
  const tick = async () => {
    if (stopped) return;
    try {
      if (Date.now() - lastRequeue > STALE_AFTER_MS / 2) {
        lastRequeue = Date.now();
        const requeued = await requeueStaleRuns(STALE_AFTER_MS, (w) => isDeadLocalWorker(w));
        if (requeued.length) console.log(`[worker] resuming ${requeued.length} interrupted run(s): ${requeued.join(", ")}`);
      }
      while (active < MAX_CONCURRENT_RUNS) {
        active++;
        const outcome = await runNextQueued(opts).catch((e) => {
          console.error("[worker] run failed to execute", e);
          return null;
        }).finally(() => active--);
        if (outcome === null) break;
      }
    } finally {
      if (!stopped) setTimeout(tick, POLL_MS);
    }
  };
  void tick();
  g.portalWorker = { stop: () => void (stopped = true) };
  return g.portalWorker;
}
