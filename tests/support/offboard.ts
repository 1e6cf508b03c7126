// Offboard through the portal's own teardown service and the durable runner, as the tests need it.
import { db } from "@/lib/db";
import { startDestroy } from "@/lib/teardown/service";
import { claimRun, executeRun, type RunnerOptions } from "@/lib/worker-main/runner";
import type { CurrentUser } from "@/lib/auth/session";
import { fastRetry } from "./provision";
import { ctxFor } from "./world";

/** Queues a destroy run with `options` and runs it to the end (or to the crash `extra` simulates) in this process. */
export async function offboardRun(user: CurrentUser, onboardingId: string, options: object = {}, extra: Partial<RunnerOptions> = {}) {
  const run = await startDestroy(onboardingId, ctxFor(user), options);
  return { run, ...(await executeDestroy(run.id, extra)) };
}

export async function executeDestroy(runId: string, extra: Partial<RunnerOptions> = {}) {
  const workerId = extra.workerId ?? "teardown-worker";
  if (!(await claimRun(runId, workerId))) throw new Error(`run ${runId} was claimed by someone else`);
  const outcome = await executeRun(runId, { retry: fastRetry, heartbeatMs: 200, ...extra, workerId });
  const failed = await db.runStep.findMany({ where: { runId, status: "failed" }, orderBy: { sequence: "asc" } });
  return { outcome, failures: failed.map((s) => `${s.stepKey}: ${s.errorCode} ${s.errorMessage ?? ""}`) };
}
