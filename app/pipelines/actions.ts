"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/define-action";
import { answerApproval, retryStage, simulatePush, startPipeline, stopPipeline } from "@/lib/pipelines/commands";
import { approvalInput, pushInput, retryInput, startInput, stopInput } from "@/lib/pipelines/validation";

function revalidate(id: string) {
  revalidatePath("/");
  revalidatePath(`/pipelines/${id}`, "layout");
}

export const startPipelineAction = defineAction("pipelines.start", startInput, async (input, ctx) => {
  const r = await startPipeline(input, ctx);
  revalidate(input.id);
  return { ok: true as const, data: { executionId: r.executionId }, message: r.message };
});

export const stopPipelineAction = defineAction("pipelines.stop", stopInput, async (input, ctx) => {
  const r = await stopPipeline(input, ctx);
  revalidate(input.id);
  return { ok: true as const, data: undefined, message: r.message };
});

export const retryStageAction = defineAction("pipelines.retry", retryInput, async (input, ctx) => {
  const r = await retryStage(input, ctx);
  revalidate(input.id);
  return { ok: true as const, data: undefined, message: r.message };
});

export const answerApprovalAction = defineAction("pipelines.approve", approvalInput, async (input, ctx) => {
  const r = await answerApproval(input, ctx);
  revalidate(input.id);
  return { ok: true as const, data: undefined, message: r.message };
});

export const simulatePushAction = defineAction("pipelines.simulatePush", pushInput, async (input, ctx) => {
  const r = await simulatePush(input, ctx);
  revalidate(input.id);
  return {
    ok: true as const,
    data: { commitId: r.commitId, executionIds: r.executionIds, warning: Boolean(r.warning) },
    message: r.message,
  };
});
