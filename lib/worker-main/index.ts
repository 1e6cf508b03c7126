import "server-only";
import { applyCatalogue, provisioningLedger } from "@/lib/provisioning/catalogue";
import { destroyCatalogue } from "@/lib/teardown/catalogue";
import { driftScheduleJob } from "@/lib/drift/scheduler";
import { registerCatalogue, registerLedger } from "@/lib/runs/catalogues";
import { registerJob } from "@/lib/runs/jobs";
import { startWorker, type Worker } from "@/lib/runs/worker";

/**
 * The composition root of the run engine: lib/runs imports no feature, so the catalogues that fill it, the ledger
 * it records into and the background jobs its worker drives are registered here. Everything that executes runs
 * (the worker process, the web server's instrumentation, tests driving the runner) calls this first.
 */
export function registerRunEngine(): void {
  registerCatalogue(applyCatalogue);
  registerCatalogue(destroyCatalogue);
  registerLedger(provisioningLedger);
  registerJob(driftScheduleJob);
}

/** Registers the engine and starts this process's worker (one per process). */
export function startPortalWorker(): Worker {
  registerRunEngine();
  return startWorker();
}
