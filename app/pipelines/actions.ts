"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/define-action";
import { answerApproval, retryStage, simulatePush, startPipeline, stopPipeline } from "@/lib/pipelines/commands";
import { approvalInput, pushInput, retryInput, startInput, stopInput } from "@/lib/pipelines/validation";

function revalidate(id: string) {
  revalidatePath("/");
  revalidatePath(`/pipelines/${id}`, "layout");
}

const startAction = defineAction("pipelines.start", startInput, async (input, ctx) => {
  const r = await startPipeline(input, ctx);
  revalidate(input.id);
  return { ok: true as const, data: { executionId: r.executionId }, message: r.message };
});

const stopAction = defineAction("pipelines.stop", stopInput, async (input, ctx) => {
  const r = await stopPipeline(input, ctx);
  revalidate(input.id);
  return { ok: true as const, data: undefined, message: r.message };
});

const retryAction = defineAction("pipelines.retry", retryInput, async (input, ctx) => {
  const r = await retryStage(input, ctx);
  revalidate(input.id);
  return { ok: true as const, data: undefined, message: r.message };
});

const approveAction = defineAction("pipelines.approve", approvalInput, async (input, ctx) => {
  const r = await answerApproval(input, ctx);
  revalidate(input.id);
  return { ok: true as const, data: undefined, message: r.message };
});

const pushAction = defineAction("pipelines.simulatePush", pushInput, async (input, ctx) => {
  const r = await simulatePush(input, ctx);
  revalidate(input.id);
  return { ok: true as const, data: { commitId: r.commitId, executionIds: r.executionIds, warning: Boolean(r.warning) }, message: r.message };
});

// "use server" files may export only async functions.
export async function startPipelineAction(prev: unknown, form: FormData) {
  return startAction(prev, form);
}
export async function stopPipelineAction(prev: unknown, form: FormData) {
  return stopAction(prev, form);
}
export async function retryStageAction(prev: unknown, form: FormData) {
  return retryAction(prev, form);
}
export async function answerApprovalAction(prev: unknown, form: FormData) {
  return approveAction(prev, form);
}
export async function simulatePushAction(prev: unknown, form: FormData) {
  return pushAction(prev, form);
}
