import "server-only";
import { db } from "@/lib/db";

/** Reads of onboardings and their runs for pages, routes and actions (writes go through the services). */

export async function pipelineNameOf(id: string): Promise<string | null> {
  const o = await db.onboarding.findUnique({ where: { id }, select: { pipelineName: true } });
  return o?.pipelineName ?? null;
}

export function onboardingWithAccounts(id: string) {
  return db.onboarding.findUnique({ where: { id }, include: { toolsAccount: true, repoAccount: true } });
}

/** The onboarding page: accounts, the latest 50 runs and the ledger's resources. */
export function onboardingDetail(id: string) {
  return db.onboarding.findUnique({
    where: { id },
    include: {
      toolsAccount: true,
      repoAccount: true,
      runs: { orderBy: { createdAt: "desc" }, take: 50 },
      resources: { orderBy: [{ accountId: "asc" }, { kind: "asc" }] },
    },
  });
}

/** The onboarding's queued or running run (the latest, should there be more than one). */
export function activeRunOf(onboardingId: string) {
  return db.run.findFirst({ where: { onboardingId, status: { in: ["queued", "running"] } }, orderBy: { createdAt: "desc" } });
}

/** The pipeline name of the onboarding a run belongs to, when the run belongs to that onboarding. */
export async function runPipelineName(onboardingId: string, runId: string): Promise<string | null> {
  const r = await db.run.findFirst({ where: { id: runId, onboardingId }, select: { onboarding: { select: { pipelineName: true } } } });
  return r?.onboarding.pipelineName ?? null;
}

/** The run page's heading. */
export function runHeading(id: string) {
  return db.onboarding.findUniqueOrThrow({
    where: { id },
    select: { id: true, pipelineName: true, repositoryName: true, branchName: true },
  });
}

/** Every onboarding, newest first, with its accounts' names and its latest run. */
export function listOnboardings() {
  return db.onboarding.findMany({
    orderBy: { createdAt: "desc" },
    include: {
      toolsAccount: { select: { name: true, accountId: true } },
      repoAccount: { select: { name: true, accountId: true } },
      runs: { orderBy: { createdAt: "desc" }, take: 1 },
    },
  });
}

export function countOnboardings() {
  return db.onboarding.count();
}
