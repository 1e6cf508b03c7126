import type { RunCatalogue, RunLedger } from "@/lib/runs/catalogues";
import { outputOf } from "@/lib/runs/types";
import { ALL_STEPS, stepsFor } from "./steps";
import { ledgerEntryFor, recordCreating, recordInLedger } from "./ledger";

/** The apply catalogue (apply, repair, resume of either): every provisioning step; finishing records the pipeline. */
export const applyCatalogue: RunCatalogue = {
  kind: "apply",
  steps: ALL_STEPS,
  stepsFor,
  async finish(tx, { onboarding, failed, outputs }) {
    const pipelineArn = outputOf(outputs, "tools.pipeline")?.pipelineArn;
    // The topic teams wire chat tools to; cleared once notifications are off and the run removed it.
    const topicArn = outputOf(outputs, "tools.notifications-topic")?.topicArn;
    const notificationTopicArn = typeof topicArn === "string" ? topicArn : onboarding.notifications ? undefined : null;
    await tx.onboarding.update({
      where: { id: onboarding.id },
      data: {
        status: failed ? "failed" : "active",
        ...(typeof pipelineArn === "string" ? { pipelineArn } : {}),
        ...(failed || notificationTopicArn === undefined ? {} : { notificationTopicArn }),
      },
    });
  },
};

/** The ledger as the run engine records into it (lib/provisioning/ledger.ts). */
export const provisioningLedger: RunLedger = {
  recordCreating,
  async recordStep(tx, { onboardingId, region, step, ctx, output }) {
    const entry = ledgerEntryFor(step, ctx, output);
    if (entry) await recordInLedger(tx, onboardingId, region, entry, String(output.origin ?? "created"));
    const retired = typeof output.retiredLedgerIds === "string" && output.retiredLedgerIds ? output.retiredLedgerIds.split(",") : [];
    // This onboarding's rows, or a shared resource's row (key, bus permission) whichever onboarding recorded it first.
    if (retired.length)
      await tx.provisionedResource.deleteMany({ where: { id: { in: retired }, OR: [{ onboardingId }, { shared: true }] } });
  },
};
