// Onboard and apply through the portal's own service and durable runner, as the tests and benches need it.
import { db } from "@/lib/db";
import { createOnboarding, startApply } from "@/lib/onboarding/service";
import { claimRun, executeRun } from "@/lib/worker-main/runner";
import { specOf } from "@/lib/runs/spec";
import { deriveResourceNames } from "@/lib/names/derive";
import type { CurrentUser } from "@/lib/auth/session";
import { ctxFor } from "./world";

export const fastRetry = { retryableBudgetMs: 60_000, propagationBudgetMs: 60_000, baseDelayMs: 50, maxDelayMs: 2_000 };

export interface OnboardInput {
  toolsDbId: string;
  repoDbId: string;
  region?: string;
  repositoryName: string;
  branchName?: string;
  pipelineName: string;
  buildMode?: "create" | "existing";
  buildProject?: string;
  approval?: boolean;
}

export async function onboard(user: CurrentUser, input: OnboardInput) {
  return createOnboarding(
    {
      toolsAccountId: input.toolsDbId,
      repoAccountId: input.repoDbId,
      region: input.region ?? "us-east-1",
      repositoryName: input.repositoryName,
      branchName: input.branchName ?? "main",
      pipelineName: input.pipelineName,
      pipelineType: "V1",
      buildMode: input.buildMode ?? "create",
      buildProject: input.buildProject ?? `${input.pipelineName}-build`,
      approval: input.approval ?? false,
    },
    ctxFor(user),
  );
}

/** Queues an apply (with the adoptions the person confirmed) and runs it to the end in this process. */
export async function applyRun(user: CurrentUser, onboardingId: string, opts: { confirmedAdoptions?: string[]; workerId?: string } = {}) {
  const run = await startApply(onboardingId, ctxFor(user), opts.confirmedAdoptions ?? []);
  const workerId = opts.workerId ?? "test-worker";
  if (!(await claimRun(run.id, workerId))) throw new Error(`run ${run.id} was claimed by someone else`);
  const outcome = await executeRun(run.id, { workerId, retry: fastRetry, heartbeatMs: 200 });
  const failed = await db.runStep.findMany({ where: { runId: run.id, status: "failed" }, orderBy: { sequence: "asc" } });
  return { run, outcome, failures: failed.map((s) => ({ stepKey: s.stepKey, code: s.errorCode, message: s.errorMessage ?? "" })) };
}

/** The names the portal derives for an onboarding, as its steps use them. */
export async function namesOf(onboardingId: string) {
  const o = await db.onboarding.findUniqueOrThrow({ where: { id: onboardingId }, include: { toolsAccount: true, repoAccount: true } });
  return deriveResourceNames(specOf(o));
}
