import "server-only";
import { db } from "@/lib/db";
import { latestDrift } from "./store";
import type { DriftCheckView } from "./types";

/**
 * What the onboarding page shows under "Drift" (app/onboardings/[id]/page.tsx):
 * - "offboarded": no verdict at all, only when it was offboarded. The resources are gone, so the last check
 *   ("In sync, all 14 resources match") no longer describes anything, and nothing is verified, repaired or planned
 *   again (the schedule skips it, lib/drift/scheduler.ts; verify and repair refuse it, lib/drift/service.ts);
 * - "check": the latest check (null: none yet); `provisioned` says whether verify and repair are offered.
 */
export type OnboardingDriftView =
  { kind: "offboarded"; offboardedAt: string | null } | { kind: "check"; check: DriftCheckView | null; provisioned: boolean };

export async function onboardingDriftView(o: { id: string; status: string; offboardRunId: string }): Promise<OnboardingDriftView> {
  if (o.status === "offboarded") {
    const run = o.offboardRunId ? await db.run.findUnique({ where: { id: o.offboardRunId }, select: { finishedAt: true } }) : null;
    return { kind: "offboarded", offboardedAt: run?.finishedAt?.toISOString() ?? null };
  }
  return { kind: "check", check: await latestDrift(o.id), provisioned: o.status === "active" || o.status === "failed" };
}
