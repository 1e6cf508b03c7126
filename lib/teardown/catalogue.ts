import type { RunCatalogue } from "@/lib/runs/catalogues";
import { DESTROY_STEPS } from "./steps";

/** The destroy catalogue (offboarding): every teardown step for every onboarding; finishing marks it offboarded. */
export const destroyCatalogue: RunCatalogue = {
  kind: "destroy",
  steps: DESTROY_STEPS,
  stepsFor: () => DESTROY_STEPS,
  async finish(tx, { runId, onboarding, failed }) {
    // Offboarded: the row and its history stay; offboardRunId takes it out of the live pipeline-name index.
    await tx.onboarding.update({
      where: { id: onboarding.id },
      data: failed ? { status: "failed" } : { status: "offboarded", offboardRunId: runId, pipelineArn: null, notificationTopicArn: null },
    });
  },
};
