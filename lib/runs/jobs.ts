import { processSingleton } from "@/lib/core/singleton";

/**
 * Background work the worker drives besides runs (the drift schedule; later event consumers). A job's `tick` is
 * called on every poll of the worker: it decides itself whether it is due, must return at once (start its work in
 * the background) and must never throw.
 */
export interface BackgroundJob {
  name: string;
  tick(workerId: string, signal: AbortSignal): void;
}

const jobs = () => processSingleton("portalBackgroundJobs", () => new Map<string, BackgroundJob>());

/** Registers (or replaces, by name) a job; registering happens in a composition root (lib/worker-main). */
export function registerJob(job: BackgroundJob): void {
  jobs().set(job.name, job);
}

export function registeredJobs(): BackgroundJob[] {
  return [...jobs().values()];
}

/** Ticks every registered job; one that throws is logged and does not stop the others. */
export function tickJobs(workerId: string, signal: AbortSignal): void {
  for (const job of registeredJobs()) {
    try {
      job.tick(workerId, signal);
    } catch (e) {
      console.error(`[worker] job ${job.name} failed to tick`, e);
    }
  }
}
