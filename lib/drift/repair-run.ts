import "server-only";
import type { Tx } from "@/lib/db";
import { specOf, type OnboardingRow } from "@/lib/provisioning/spec";
import { stepsFor } from "@/lib/provisioning/steps";
import type { DriftCheckView } from "./types";

/**
 * Queues a repair: the normal apply (every step), its plan recording the drifted step keys (`repairOf`) and the check.
 * Inside the caller's write transaction, after it made sure no run is queued or running.
 */
export async function createRepairRun(tx: Tx, o: OnboardingRow, check: DriftCheckView, startedById: string | null, extra: Record<string, unknown> = {}) {
  const repairOf = check.items.filter((i) => i.status === "drifted" || i.status === "missing").map((i) => i.stepKey);
  const steps = stepsFor(specOf(o));
  const run = await tx.run.create({
    data: {
      onboardingId: o.id,
      kind: "apply",
      status: "queued",
      startedById,
      plan: JSON.stringify({ confirmedAdoptions: [], repairOf, driftCheckId: check.id, ...extra }),
      steps: { create: steps.map((s, i) => ({ stepKey: s.key, sequence: i + 1 })) },
    },
  });
  await tx.onboarding.update({ where: { id: o.id }, data: { status: "provisioning" } });
  return { run, repairOf };
}
