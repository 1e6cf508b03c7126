/** Wire shapes of executions (checked against @aws-sdk/client-codepipeline's models; timestamps in epoch seconds). */
import type { ActionExecutionRecord, PipelineExecution, PipelineRecord } from "./codepipeline-store";
import { isCodeCommitSource } from "./codepipeline-exec-actions";
import { stageDecls, stageRecord } from "./codepipeline-exec";

const secs = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
/** Sandbox paths ("/_sandbox/…") become absolute links to this sandbox. */
const link = (u: string | undefined, base: string | undefined) => (u?.startsWith("/_sandbox/") ? `${base ?? ""}${u}` : u);

export const executionSummary = (e: PipelineExecution) => ({
  pipelineExecutionId: e.pipelineExecutionId,
  status: e.status,
  statusSummary: e.statusSummary,
  startTime: secs(e.startTime),
  lastUpdateTime: secs(e.lastUpdateTime),
  sourceRevisions: e.sourceRevisions,
  trigger: e.trigger,
  stopTrigger: e.stopTrigger,
  executionMode: e.executionMode,
  executionType: e.executionType,
});

export const pipelineExecutionJson = (p: PipelineRecord, e: PipelineExecution) => ({
  pipelineName: p.name,
  pipelineVersion: e.pipelineVersion,
  pipelineExecutionId: e.pipelineExecutionId,
  status: e.status,
  statusSummary: e.statusSummary,
  trigger: e.trigger,
  executionMode: e.executionMode,
  executionType: e.executionType,
  artifactRevisions: (e.artifactRevisions ?? []).map((a) => ({ ...a, created: secs(a.created) })),
});

/** The newest run of an action, across executions (what GetPipelineState shows). */
function latestAction(p: PipelineRecord, stage: string, action: string): { e: PipelineExecution; rec: ActionExecutionRecord } | undefined {
  for (let i = p.executions.length - 1; i >= 0; i--) {
    const e = p.executions[i];
    const rec = stageRecord(e, stage)?.actions.find((a) => a.actionName === action);
    if (rec) return { e, rec };
  }
  return undefined;
}

export function pipelineStateJson(p: PipelineRecord, base: string | undefined) {
  const region = p.arn.split(":")[3];
  return {
    pipelineName: p.name,
    pipelineVersion: p.declaration.version,
    created: secs(p.created),
    updated: secs(p.updated),
    stageStates: stageDecls(p).map((s, index) => {
      let latest: PipelineExecution | undefined;
      for (let i = p.executions.length - 1; i >= 0 && !latest; i--) if (stageRecord(p.executions[i], s.name)) latest = p.executions[i];
      const waiting = p.executions
        .filter((e) => e.status === "InProgress" && e.waitingFor === s.name)
        .map((e) => ({ pipelineExecutionId: e.pipelineExecutionId, status: "InProgress", type: e.executionType }));
      return {
        stageName: s.name,
        inboundExecution: waiting.length ? waiting[waiting.length - 1] : undefined,
        inboundExecutions: waiting.length ? waiting : undefined,
        inboundTransitionState: index > 0 ? { enabled: true } : undefined,
        latestExecution: latest
          ? { pipelineExecutionId: latest.pipelineExecutionId, status: stageRecord(latest, s.name)!.status, type: latest.executionType }
          : undefined,
        actionStates: (
          (s.actions ?? []) as { name: string; actionTypeId: { provider: string }; configuration?: Record<string, string> }[]
        ).map((a) => {
          const found = latestAction(p, s.name, a.name);
          const r = found?.rec;
          const entityUrl =
            a.actionTypeId.provider === "CodeCommit" && a.configuration?.RepositoryName
              ? `https://${region}.console.aws.amazon.com/codesuite/codecommit/repositories/${a.configuration.RepositoryName}/browse?region=${region}`
              : a.actionTypeId.provider === "CodeBuild" && a.configuration?.ProjectName
                ? `https://${region}.console.aws.amazon.com/codesuite/codebuild/projects/${a.configuration.ProjectName}/history?region=${region}`
                : undefined;
          const revision = r && isCodeCommitSource(r) && r.status === "Succeeded" ? r.externalExecutionId : undefined;
          return {
            actionName: a.name,
            entityUrl,
            currentRevision: revision ? { revisionId: revision, revisionChangeId: revision, created: secs(r!.lastUpdateTime) } : undefined,
            revisionUrl: revision ? r!.externalExecutionUrl : undefined,
            latestExecution: r
              ? {
                  actionExecutionId: r.actionExecutionId,
                  status: r.status,
                  summary: r.summary,
                  lastStatusChange: secs(r.lastUpdateTime),
                  token: r.status === "InProgress" ? r.token : undefined,
                  lastUpdatedBy: r.updatedBy,
                  externalExecutionId: r.externalExecutionId,
                  externalExecutionUrl: link(r.externalExecutionUrl, base),
                  errorDetails: r.errorDetails,
                }
              : undefined,
          };
        }),
      };
    }),
  };
}

export function actionExecutionDetailJson(p: PipelineRecord, e: PipelineExecution, r: ActionExecutionRecord, base: string | undefined) {
  const finished = r.status !== "InProgress";
  return {
    pipelineExecutionId: e.pipelineExecutionId,
    actionExecutionId: r.actionExecutionId,
    pipelineVersion: e.pipelineVersion,
    stageName: r.stageName,
    actionName: r.actionName,
    startTime: secs(r.startTime),
    lastUpdateTime: secs(r.lastUpdateTime),
    updatedBy: r.updatedBy,
    status: r.status,
    input: {
      actionTypeId: r.input.actionTypeId,
      configuration: r.input.configuration,
      resolvedConfiguration: r.input.configuration,
      roleArn: r.input.roleArn,
      region: r.input.region,
      inputArtifacts: r.input.inputArtifacts,
    },
    output: {
      outputArtifacts: finished && r.status === "Succeeded" ? (r.outputArtifacts ?? []) : [],
      executionResult: {
        externalExecutionId: r.externalExecutionId,
        externalExecutionSummary: r.summary ?? r.errorDetails?.message,
        externalExecutionUrl: link(r.externalExecutionUrl, base),
        errorDetails: r.errorDetails,
      },
      outputVariables: {},
    },
  };
}

/** Every action run of the pipeline (or of one execution), newest first. */
export function actionRuns(p: PipelineRecord, executionId?: string): { e: PipelineExecution; rec: ActionExecutionRecord }[] {
  const out: { e: PipelineExecution; rec: ActionExecutionRecord }[] = [];
  for (const e of p.executions) {
    if (executionId && e.pipelineExecutionId !== executionId) continue;
    for (const rec of e.history ?? []) out.push({ e, rec });
    for (const s of e.stages) for (const rec of s.actions) out.push({ e, rec });
  }
  return out.sort((a, b) => b.rec.startTime - a.rec.startTime);
}
