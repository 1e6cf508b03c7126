/** CodePipeline executions: start (tokens, source revision overrides), list and read them, stop and retry stages. */
import { AwsError, validationError } from "../errors";
import { asList } from "../policy/types";
import { type OpContext, op } from "../registry";
import {
  type PipelineExecution,
  type PipelineRecord,
  type SourceRevisionOverride,
  getPipelineOrThrow,
  pipelineArn,
  startPipelineExecution,
} from "./codepipeline-store";
import { type Engine, engineOf, stageBusy, stageDecls } from "./codepipeline-exec";
import {
  actionExecutionDetailJson,
  actionRuns,
  executionSummary,
  pipelineExecutionJson,
  pipelineStateJson,
} from "./codepipeline-exec-views";
import { type PageRules, idPage } from "./shared/pagination";
import { constraint } from "./shared/validation";
import { type In, checkName } from "./codepipeline-declarations";

export const secs = (ms: number) => ms / 1000;

/** The engine of this sandbox (attached when the server starts). */
export function engine(ctx: OpContext): Engine {
  const e = engineOf(ctx.world);
  if (!e) throw new AwsError("InternalFailure", "The execution engine is not running.", 500);
  return e;
}

export function executionOf(p: PipelineRecord, id: unknown): PipelineExecution {
  const e = typeof id === "string" ? p.executions.find((x) => x.pipelineExecutionId === id) : undefined;
  if (!e)
    throw new AwsError("PipelineExecutionNotFoundException", `Pipeline execution ${String(id)} of pipeline ${p.name} was not found.`, 400);
  return e;
}

/** maxResults (1–100, default 100) + nextToken (opaque: the id of the first item of the next page). */
export const PAGES: PageRules = {
  defaultLimit: 100,
  maxLimit: 100,
  badToken: () =>
    new AwsError(
      "InvalidNextTokenException",
      "The next token was specified in an invalid format. Make sure that the next token you provide is the token returned by a previous call.",
      400,
    ),
  badLimit: (limit) => constraint("maxResults", limit, "Member must have value between 1 and 100"),
};
export function paged<T>(all: T[], i: In, idOf: (t: T) => string): { items: T[]; nextToken?: string } {
  const { items, next } = idPage(all, i.nextToken, i.maxResults, idOf, PAGES);
  return { items, nextToken: next };
}

/** StartPipelineExecution sourceRevisions: V2 only, source actions of the first stage, COMMIT_ID for CodeCommit. */
export function checkSourceOverrides(p: PipelineRecord, raw: unknown): SourceRevisionOverride[] | undefined {
  const list = asList(raw as In[]);
  if (!list.length) return undefined;
  if (p.declaration.pipelineType !== "V2")
    throw validationError(
      `Source revision overrides are only supported for V2 pipelines; pipeline ${p.name} is ${p.declaration.pipelineType ?? "V1"}.`,
    );
  if (list.length > 50) throw constraint("sourceRevisions", `[${list.length} items]`, "Member must have length less than or equal to 50");
  const sources = asList(p.declaration.stages?.[0]?.actions as In[]);
  return list.map((o, n) => {
    const action = sources.find((a) => a.name === o?.actionName);
    if (!action)
      throw validationError(`Source revision override ${n + 1}: action ${o?.actionName} is not a source action of pipeline ${p.name}.`);
    if (!["COMMIT_ID", "IMAGE_DIGEST", "S3_OBJECT_VERSION_ID", "S3_OBJECT_KEY"].includes(o.revisionType))
      throw constraint(
        `sourceRevisions.${n + 1}.member.revisionType`,
        o.revisionType,
        "Member must satisfy enum value set: [COMMIT_ID, IMAGE_DIGEST, S3_OBJECT_VERSION_ID, S3_OBJECT_KEY]",
      );
    if (action.actionTypeId?.provider === "CodeCommit" && o.revisionType !== "COMMIT_ID")
      throw validationError(`Revision type ${o.revisionType} is not valid for CodeCommit action ${o.actionName}: use COMMIT_ID.`);
    if (typeof o.revisionValue !== "string" || !o.revisionValue || o.revisionValue.length > 1500)
      throw constraint(`sourceRevisions.${n + 1}.member.revisionValue`, o.revisionValue, "Member must have length between 1 and 1500");
    return { actionName: o.actionName, revisionType: o.revisionType, revisionValue: o.revisionValue };
  });
}

export const pipelineResource = (i: In, ctx: OpContext) =>
  pipelineArn(ctx.region, ctx.account, String(i.pipeline?.name ?? i.name ?? i.pipelineName ?? "*"));

export const executionOperations = {
  StartPipelineExecution: op<In, unknown>({
    iamAction: "codepipeline:StartPipelineExecution",
    mutating: true,
    resources: pipelineResource,
    handler: (i, ctx) => {
      const name = checkName(i.name, "name");
      const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, name);
      if (
        i.clientRequestToken !== undefined &&
        (typeof i.clientRequestToken !== "string" || !/^[a-zA-Z0-9-]{1,128}$/.test(i.clientRequestToken))
      )
        throw constraint("clientRequestToken", i.clientRequestToken, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9-]+$");
      const same = i.clientRequestToken ? p.executions.find((e) => e.clientRequestToken === i.clientRequestToken) : undefined;
      if (same) return { pipelineExecutionId: same.pipelineExecutionId };
      const overrides = checkSourceOverrides(p, i.sourceRevisions);
      const first = String(p.declaration.stages?.[0]?.name ?? "");
      if ((p.declaration.executionMode ?? "SUPERSEDED") === "SUPERSEDED" && stageBusy(p, first))
        throw new AwsError(
          "ConflictException",
          `Pipeline ${p.name} cannot start a new execution: execution ${stageBusy(p, first)!.pipelineExecutionId} is in progress in stage ${first}.`,
          409,
        );
      const e = startPipelineExecution(ctx.world, {
        account: ctx.account,
        region: ctx.region,
        name,
        trigger: "StartPipelineExecution",
        triggerDetail: ctx.caller.arn,
        clientRequestToken: i.clientRequestToken,
        sourceOverrides: overrides,
        now: ctx.now,
      });
      return { pipelineExecutionId: e.pipelineExecutionId };
    },
  }),
  ListPipelineExecutions: op<In, unknown>({
    iamAction: "codepipeline:ListPipelineExecutions",
    mutating: false,
    resources: pipelineResource,
    handler: (i, ctx) => {
      const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, i.pipelineName);
      const all = [...p.executions].reverse();
      const page = paged(all, i, (e) => e.pipelineExecutionId);
      return { pipelineExecutionSummaries: page.items.map(executionSummary), nextToken: page.nextToken };
    },
  }),
  GetPipelineExecution: op<In, unknown>({
    iamAction: "codepipeline:GetPipelineExecution",
    mutating: false,
    resources: pipelineResource,
    handler: (i, ctx) => {
      const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, i.pipelineName);
      return { pipelineExecution: pipelineExecutionJson(p, executionOf(p, i.pipelineExecutionId)) };
    },
  }),
  GetPipelineState: op<In, unknown>({
    iamAction: "codepipeline:GetPipelineState",
    mutating: false,
    resources: pipelineResource,
    handler: (i, ctx) => pipelineStateJson(getPipelineOrThrow(ctx.world, ctx.account, ctx.region, i.name), engineOf(ctx.world)?.baseUrl()),
  }),
  ListActionExecutions: op<In, unknown>({
    iamAction: "codepipeline:ListActionExecutions",
    mutating: false,
    resources: pipelineResource,
    handler: (i, ctx) => {
      const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, i.pipelineName);
      const id = i.filter?.pipelineExecutionId as string | undefined;
      if (id !== undefined) executionOf(p, id);
      const runs = actionRuns(p, id);
      const page = paged(runs, i, (r) => r.rec.actionExecutionId);
      const base = engineOf(ctx.world)?.baseUrl();
      return { actionExecutionDetails: page.items.map((r) => actionExecutionDetailJson(p, r.e, r.rec, base)), nextToken: page.nextToken };
    },
  }),
  StopPipelineExecution: op<In, unknown>({
    iamAction: "codepipeline:StopPipelineExecution",
    mutating: true,
    resources: pipelineResource,
    handler: (i, ctx) => {
      const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, i.pipelineName);
      const e = executionOf(p, i.pipelineExecutionId);
      if (i.reason !== undefined && (typeof i.reason !== "string" || i.reason.length > 200))
        throw constraint("reason", i.reason, "Member must have length less than or equal to 200");
      engine(ctx).stop(p, e, i.abandon === true, i.reason, ctx.now);
      return { pipelineExecutionId: e.pipelineExecutionId };
    },
  }),
  RetryStageExecution: op<In, unknown>({
    // The reference's resource type is the stage: arn:aws:codepipeline:R:A:PIPELINE/STAGE.
    iamAction: "codepipeline:RetryStageExecution",
    mutating: true,
    resources: (i, ctx) => `${pipelineResource(i, ctx)}/${i.stageName ?? "*"}`,
    handler: (i, ctx) => {
      const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, i.pipelineName);
      if (i.retryMode !== "FAILED_ACTIONS" && i.retryMode !== "ALL_ACTIONS")
        throw constraint("retryMode", i.retryMode, "Member must satisfy enum value set: [FAILED_ACTIONS, ALL_ACTIONS]");
      if (!stageDecls(p).some((s) => s.name === i.stageName))
        throw new AwsError("StageNotFoundException", `Stage ${i.stageName} was not found in pipeline ${p.name}.`, 400);
      const e = executionOf(p, i.pipelineExecutionId);
      engine(ctx).retry(p, e, i.stageName, i.retryMode, ctx.now);
      return { pipelineExecutionId: e.pipelineExecutionId };
    },
  }),
};
