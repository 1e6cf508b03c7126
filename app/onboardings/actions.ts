"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { defineAction } from "@/lib/actions/define-action";
import { createOnboarding, resumeRun, startApply, updateOnboarding } from "@/lib/onboarding/service";
import { applyInput, onboardingEdit, onboardingFields, runRef } from "@/lib/validation/onboarding";
import { startDestroy } from "@/lib/teardown/service";
import { destroyFormSchema } from "@/lib/teardown/options";
import { pipelineNameOf } from "@/lib/onboarding/queries";
import { UserFacingError } from "@/lib/core/errors";
import { driftOnboardingRef } from "@/lib/validation/drift";
import { startRepair, verifyNow } from "@/lib/drift/service";

export const createOnboardingAction = defineAction("onboardings.create", onboardingFields, async (input, ctx) => {
  const o = await createOnboarding(input, ctx);
  revalidatePath("/");
  redirect(`/onboardings/${o.id}/plan`);
});

export const updateOnboardingAction = defineAction("onboardings.update", onboardingEdit, async (input, ctx) => {
  await updateOnboarding(input, ctx);
  revalidatePath("/");
  revalidatePath(`/onboardings/${input.id}`);
  redirect(`/onboardings/${input.id}/plan?updated=1`);
});

export const applyOnboardingAction = defineAction("onboardings.apply", applyInput, async ({ id, adopt }, ctx) => {
  const run = await startApply(id, ctx, adopt);
  revalidatePath("/");
  revalidatePath(`/onboardings/${id}`);
  redirect(`/onboardings/${id}/runs/${run.id}`);
});

export const resumeRunAction = defineAction("onboardings.resume", runRef, async ({ runId }, ctx) => {
  const run = await resumeRun(runId, ctx);
  revalidatePath("/");
  revalidatePath(`/onboardings/${run.onboardingId}`);
  return { ok: true as const, data: { status: run.status, attempt: run.attempt }, message: `Run resumed (attempt ${run.attempt}).` };
});

export const offboardOnboardingAction = defineAction(
  "onboardings.destroy",
  destroyFormSchema,
  async ({ id, confirmName, ...options }, ctx) => {
    const pipelineName = await pipelineNameOf(id);
    if (pipelineName === null) throw new UserFacingError("That onboarding no longer exists.");
    if (confirmName !== pipelineName)
      throw new UserFacingError("Please correct the highlighted fields.", {
        confirmName: [`Type the pipeline name ${pipelineName} exactly to confirm.`],
      });
    const run = await startDestroy(id, ctx, options);
    revalidatePath("/");
    revalidatePath(`/onboardings/${id}`);
    redirect(`/onboardings/${id}/runs/${run.id}`);
  },
);

export const verifyDriftAction = defineAction("onboardings.verify", driftOnboardingRef, async ({ id }, ctx) => {
  const check = await verifyNow(id, ctx);
  revalidatePath("/");
  revalidatePath(`/onboardings/${id}`);
  const out = check.items.filter((i) => i.status !== "in-sync").length;
  return {
    ok: true as const,
    data: { status: check.status },
    message:
      check.status === "in-sync"
        ? "Verified: every resource is in sync."
        : check.status === "drifted"
          ? `Verified: ${out} resource${out === 1 ? " is" : "s are"} out of sync.`
          : "Verified: some resources could not be read.",
  };
});

export const repairDriftAction = defineAction("onboardings.repair", driftOnboardingRef, async ({ id }, ctx) => {
  const run = await startRepair(id, ctx);
  revalidatePath("/");
  revalidatePath(`/onboardings/${id}`);
  redirect(`/onboardings/${id}/runs/${run.id}`);
});
