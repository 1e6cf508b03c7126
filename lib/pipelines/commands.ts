import "server-only";
import { randomUUID } from "node:crypto";
import {
  GetPipelineCommand,
  PutApprovalResultCommand,
  RetryStageExecutionCommand,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import type { z } from "zod";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/append";
import type { CurrentUser } from "@/lib/auth/session";
import type { ActorContext } from "@/lib/core/actor";
import { UserFacingError } from "@/lib/core/errors";
import { awsErrorInfo } from "@/lib/core/aws-errors";
import { isSandbox, liveEnv } from "@/lib/config/env";
import { plainAwsError } from "./errors";
import { shortCommit } from "./format";
import { readApprovalNow } from "./approvals";
import { invalidatePipeline, onboardingInclude, pipelineDeclaration, pipelineSnapshot, toolsClients, type PipelineTarget } from "./read";
import type { approvalInput, pushInput, retryInput, stopInput } from "./validation";

/**
 * The pipeline commands (engineer, admin): start, stop, retry a stage, answer a manual approval, and the
 * sandbox's simulated push. Each runs as the signed-in user (SourceIdentity) through the tools account's
 * provisioning role, invalidates the pipeline's cached reads, and writes an "attempted" audit event before the
 * AWS call and its outcome after (target "pipeline" = the onboarding id) with the AWS request id, whether AWS
 * accepted or refused. AWS's refusals
 * become UserFacingErrors with a plain message (errors.ts); anything else reaches defineAction's generic
 * handler (logged with an id).
 */

export type CommandContext = ActorContext<CurrentUser>;

export async function loadPipelineTarget(id: string): Promise<PipelineTarget> {
  const t = (await db.onboarding.findUnique({ where: { id }, include: onboardingInclude })) as PipelineTarget | null;
  if (!t) throw new UserFacingError("That pipeline is not known to the portal (its onboarding no longer exists).");
  if (!t.pipelineArn) throw new UserFacingError(`${t.pipelineName} has not been provisioned yet: apply the onboarding first.`);
  return t;
}

interface Spec {
  action: string;
  iamAction: string;
  details: Record<string, unknown>;
  stageName?: string;
  executionId?: string;
}

/**
 * One AWS mutation, on the record twice: an "attempted" event BEFORE the call (if it cannot be written, the
 * call is not made), then its outcome with the AWS request id. A crash or a failed write after the call still
 * leaves the attempt, with who, what and when.
 */
async function run<T extends { $metadata?: { requestId?: string } }>(
  t: PipelineTarget,
  ctx: CommandContext,
  spec: Spec,
  call: () => Promise<T>,
): Promise<T> {
  const attemptId = randomUUID();
  const audit = (outcome: "attempted" | "success" | "failure", requestId: string | undefined, extra: Record<string, unknown>) =>
    recordAudit({
      actor: ctx.user,
      action: spec.action,
      target: { type: "pipeline", id: t.id },
      outcome,
      details: { pipelineName: t.pipelineName, pipelineArn: t.pipelineArn, region: t.region, ...spec.details, attemptId, ...extra },
      requestIds: requestId ? [requestId] : undefined,
      client: ctx.client,
    });
  await audit("attempted", undefined, { iamAction: spec.iamAction });
  let out: T;
  try {
    out = await call();
  } catch (caught) {
    invalidatePipeline(t.id);
    const e = await explainDenial(t, ctx, caught);
    const info = awsErrorInfo(e);
    const plain = plainAwsError(e, {
      iamAction: spec.iamAction,
      pipelineName: t.pipelineName,
      region: t.region,
      stageName: spec.stageName,
      executionId: spec.executionId,
      account: t.toolsAccount,
    });
    await audit("failure", info.requestId, { error: info.name, message: plain?.message ?? info.message });
    if (plain) throw new UserFacingError(plain.requestId ? `${plain.message} (AWS request id ${plain.requestId})` : plain.message);
    throw e;
  }
  invalidatePipeline(t.id);
  await audit("success", out.$metadata?.requestId, {});
  return out;
}

/**
 * The provisioning role may act only on pipelines tagged portal:managed-by, and a pipeline that no longer exists
 * carries no tag: AWS then answers AccessDenied, not PipelineNotFoundException. A read (unconditioned) tells which.
 */
async function explainDenial(t: PipelineTarget, ctx: CommandContext, e: unknown): Promise<unknown> {
  if (!/^AccessDenied/.test(awsErrorInfo(e).name ?? "")) return e;
  try {
    await toolsClients(t, ctx.user.email).codepipeline.send(new GetPipelineCommand({ name: t.pipelineName }));
    return e;
  } catch (read) {
    return awsErrorInfo(read).name === "PipelineNotFoundException" ? read : e;
  }
}

/** StartPipelineExecution, with a source revision override (a commit id) where the pipeline type allows it (V2). */
export async function startPipeline(input: { id: string; commitId?: string }, ctx: CommandContext) {
  const t = await loadPipelineTarget(input.id);
  let sourceRevisions: { actionName: string; revisionType: "COMMIT_ID"; revisionValue: string }[] | undefined;
  if (input.commitId) {
    // The pipeline type as AWS has it (the onboarding's setting may not be applied yet).
    const snapshot = await pipelineSnapshot(t, ctx.user.email);
    const declaration = await pipelineDeclaration(t, snapshot.pipelineVersion, ctx.user.email).catch(() => null);
    const pipelineType = declaration?.pipelineType ?? t.pipelineType;
    if (pipelineType !== "V2")
      throw new UserFacingError("Please correct the highlighted fields.", {
        commitId: [
          `A source revision override needs a V2 pipeline; ${t.pipelineName} is ${pipelineType}. Leave it empty to build the branch's latest commit, or switch the onboarding to V2.`,
        ],
      });
    const source = declaration?.stages[0]?.actions.find((a) => a.category === "Source") ?? { name: "Source" };
    sourceRevisions = [{ actionName: source.name, revisionType: "COMMIT_ID", revisionValue: input.commitId }];
  }
  const cp = toolsClients(t, ctx.user.email).codepipeline;
  const out = await run(
    t,
    ctx,
    { action: "pipelines.start", iamAction: "codepipeline:StartPipelineExecution", details: { commitId: input.commitId ?? null } },
    () => cp.send(new StartPipelineExecutionCommand({ name: t.pipelineName, clientRequestToken: randomUUID(), sourceRevisions })),
  );
  return {
    executionId: out.pipelineExecutionId!,
    message: `Started execution ${out.pipelineExecutionId!.slice(0, 8)}${input.commitId ? ` at commit ${shortCommit(input.commitId)}` : ""}.`,
  };
}

export async function stopPipeline(input: z.infer<typeof stopInput>, ctx: CommandContext) {
  const t = await loadPipelineTarget(input.id);
  const cp = toolsClients(t, ctx.user.email).codepipeline;
  const abandon = input.mode === "abandon";
  await run(
    t,
    ctx,
    {
      action: "pipelines.stop",
      iamAction: "codepipeline:StopPipelineExecution",
      executionId: input.executionId,
      details: { executionId: input.executionId, abandon, reason: input.reason ?? null },
    },
    () =>
      cp.send(
        new StopPipelineExecutionCommand({
          pipelineName: t.pipelineName,
          pipelineExecutionId: input.executionId,
          abandon,
          reason: input.reason,
        }),
      ),
  );
  return {
    message: abandon
      ? `Execution ${input.executionId.slice(0, 8)} stopped: running actions were abandoned.`
      : `Execution ${input.executionId.slice(0, 8)} is stopping: running actions finish first, then it stops.`,
  };
}

export async function retryStage(input: z.infer<typeof retryInput>, ctx: CommandContext) {
  const t = await loadPipelineTarget(input.id);
  const cp = toolsClients(t, ctx.user.email).codepipeline;
  await run(
    t,
    ctx,
    {
      action: "pipelines.retry",
      iamAction: "codepipeline:RetryStageExecution",
      stageName: input.stageName,
      executionId: input.executionId,
      details: { executionId: input.executionId, stageName: input.stageName, retryMode: input.mode },
    },
    () =>
      cp.send(
        new RetryStageExecutionCommand({
          pipelineName: t.pipelineName,
          pipelineExecutionId: input.executionId,
          stageName: input.stageName,
          retryMode: input.mode,
        }),
      ),
  );
  return { message: `Retrying ${input.mode === "FAILED_ACTIONS" ? "the failed actions" : "all actions"} of stage ${input.stageName}.` };
}

export async function answerApproval(input: z.infer<typeof approvalInput>, ctx: CommandContext) {
  if (input.decision === "Rejected" && !input.comment)
    throw new UserFacingError("Please correct the highlighted fields.", {
      comment: ["Say why you reject it: the comment is recorded with the execution."],
    });
  const t = await loadPipelineTarget(input.id);
  const cp = toolsClients(t, ctx.user.email).codepipeline;
  const summary = input.comment || `${input.decision} by ${ctx.user.email}`;
  const what = {
    executionId: input.executionId,
    stageName: input.stageName,
    actionName: input.actionName,
    decision: input.decision,
    comment: input.comment,
  };
  // The token must still be this execution's: another execution may have taken the stage since the page was read.
  let fresh: Awaited<ReturnType<typeof readApprovalNow>>;
  try {
    fresh = await readApprovalNow(t, ctx.user.email, {
      stageName: input.stageName,
      actionName: input.actionName,
      executionId: input.executionId,
      token: input.token,
    });
  } catch (e) {
    const plain = plainAwsError(e, {
      iamAction: "codepipeline:GetPipelineState",
      pipelineName: t.pipelineName,
      region: t.region,
      executionId: input.executionId,
      account: t.toolsAccount,
    });
    if (plain) throw new UserFacingError(plain.message);
    throw e;
  }
  const revision = fresh.revision?.commitId ?? null;
  if (!fresh.match.ok) {
    invalidatePipeline(t.id);
    await recordAudit({
      actor: ctx.user,
      action: "pipelines.approve",
      target: { type: "pipeline", id: t.id },
      outcome: "failure",
      details: {
        pipelineName: t.pipelineName,
        pipelineArn: t.pipelineArn,
        region: t.region,
        ...what,
        revision,
        refused: fresh.match.reason,
        currentExecutionId: fresh.match.currentExecutionId ?? null,
      },
      client: ctx.client,
    });
    throw new UserFacingError(fresh.match.message);
  }
  await run(
    t,
    ctx,
    {
      action: "pipelines.approve",
      iamAction: "codepipeline:PutApprovalResult",
      stageName: input.stageName,
      executionId: input.executionId,
      details: { ...what, revision, revisionMessage: fresh.revision?.message ?? null },
    },
    () =>
      cp.send(
        new PutApprovalResultCommand({
          pipelineName: t.pipelineName,
          stageName: input.stageName,
          actionName: input.actionName,
          token: input.token,
          result: { status: input.decision, summary },
        }),
      ),
  );
  const of = `execution ${input.executionId.slice(0, 8)}${revision ? ` (commit ${shortCommit(revision)})` : ""}`;
  return { message: `${input.decision === "Approved" ? "Approved" : "Rejected"} ${input.stageName} / ${input.actionName} of ${of}.` };
}

interface PushAnswer {
  commitId?: string;
  pipelineExecutionIds?: string[];
  deliveries?: { outcome: string; reason: string; targetArn?: string; pipelineExecutionId?: string }[];
  error?: string;
}

/**
 * Sandbox only: a commit on the onboarding's branch through the sandbox's POST /_sandbox/push, which emits the
 * CodeCommit event through the provisioned EventBridge chain (so it starts the pipeline only when the chain
 * is right).
 */
export async function simulatePush(input: z.infer<typeof pushInput>, ctx: CommandContext) {
  const endpoint = liveEnv().AWS_ENDPOINT_URL;
  if (!isSandbox() || !endpoint)
    throw new UserFacingError("Simulated pushes exist only in sandbox mode: push to the repository with git instead.");
  const t = await loadPipelineTarget(input.id);
  const details = { repository: t.repositoryName, branch: t.branchName, repoAccount: t.repoAccount.accountId, message: input.message };
  let answer: PushAnswer;
  let status: number;
  await recordAudit({
    actor: ctx.user,
    action: "pipelines.simulatePush",
    target: { type: "pipeline", id: t.id },
    outcome: "attempted",
    details,
    client: ctx.client,
  });
  try {
    const res = await fetch(new URL("/_sandbox/push", endpoint), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        account: t.repoAccount.accountId,
        region: t.region,
        repositoryName: t.repositoryName,
        branchName: t.branchName,
        message: input.message,
        author: ctx.user.name || ctx.user.email,
        email: ctx.user.email,
      }),
      signal: AbortSignal.timeout(15_000),
    });
    status = res.status;
    answer = (await res.json().catch(() => ({}))) as PushAnswer;
  } catch (e) {
    await recordAudit({
      actor: ctx.user,
      action: "pipelines.simulatePush",
      target: { type: "pipeline", id: t.id },
      outcome: "failure",
      details: { ...details, error: (e as Error).name },
      client: ctx.client,
    });
    throw new UserFacingError("The sandbox could not be reached to simulate the push. Is it running?");
  }
  invalidatePipeline(t.id);
  if (status !== 200 || !answer.commitId) {
    await recordAudit({
      actor: ctx.user,
      action: "pipelines.simulatePush",
      target: { type: "pipeline", id: t.id },
      outcome: "failure",
      details: { ...details, status, error: answer.error ?? null },
      client: ctx.client,
    });
    throw new UserFacingError(`The sandbox refused the push: ${answer.error ?? `HTTP ${status}`}.`);
  }
  const mine = (answer.deliveries ?? []).filter((d) => d.targetArn === t.pipelineArn);
  const started = mine.map((d) => d.pipelineExecutionId).filter(Boolean) as string[];
  await recordAudit({
    actor: ctx.user,
    action: "pipelines.simulatePush",
    target: { type: "pipeline", id: t.id },
    outcome: "success",
    details: {
      ...details,
      commitId: answer.commitId,
      startedExecutions: started,
      deliveries: (answer.deliveries ?? []).map((d) => `${d.outcome}: ${d.reason}`).slice(0, 10),
    },
    client: ctx.client,
  });
  if (started.length)
    return {
      commitId: answer.commitId,
      executionIds: started,
      message: `Pushed ${shortCommit(answer.commitId)} to ${t.repositoryName}@${t.branchName}: execution ${started[0].slice(0, 8)} started.`,
    };
  const reasons = [
    ...new Set((mine.length ? mine : (answer.deliveries ?? []).filter((d) => d.outcome !== "delivered")).map((d) => d.reason)),
  ];
  return {
    commitId: answer.commitId,
    executionIds: [],
    message: `Pushed ${shortCommit(answer.commitId)} to ${t.repositoryName}@${t.branchName}, but no execution of ${t.pipelineName} started${reasons.length ? `: ${reasons.join(" ")}` : ""}. Re-apply the onboarding to repair the EventBridge chain.`,
    warning: true,
  };
}
