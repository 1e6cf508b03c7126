import "server-only";
import type { Tx } from "@/lib/db";
import { specOf, type OnboardingRow } from "@/lib/runs/spec";
import { enqueueRun } from "@/lib/runs/enqueue";
import { stepsFor } from "@/lib/provisioning/steps";
import type { DriftCheckView } from "./types";

/**
 * Queues a repair: the normal apply (every step), its plan recording the drifted step keys (`repairOf`) and the check.
 * Inside the caller's write transaction; refused there when a run is queued or running or the onboarding is offboarded.
 */
export async function createRepairRun(
  tx: Tx,
  o: OnboardingRow,
  check: DriftCheckView,
  startedById: string | null,
  extra: { automatic?: string } = {},
) {
  const repairOf = check.items.filter((i) => i.status === "drifted" || i.status === "missing").map((i) => i.stepKey);
  const steps = stepsFor(specOf(o));
  const run = await enqueueRun(tx, {
    onboardingId: o.id,
    plan: { kind: "apply", confirmedAdoptions: [], repairOf, driftCheckId: check.id, ...extra },
    stepKeys: steps.map((s) => s.key),
    startedById,
  });
  return { run, repairOf };
}
