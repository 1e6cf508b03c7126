import "server-only";
import {
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  type ActionExecutionDetail,
} from "@aws-sdk/client-codepipeline";
import { matchApproval, type ApprovalMatch } from "./approval-match";
import { caches, executionDetail, toolsClients, toolsRead, type PipelineTarget } from "./read";
import type { ApprovalCardView, PipelineSnapshot } from "./types";

/**
 * Pending manual approvals, each tied to its execution: the stage's execution (GetPipelineState), confirmed by
 * that execution's action runs (ListActionExecutions) and carrying its revision (GetPipelineExecution), both
 * through executionDetail (cached like a snapshot). `withTokens` only for people who may answer.
 */
export async function approvalCards(
  t: PipelineTarget,
  snapshot: PipelineSnapshot,
  actorEmail: string,
  withTokens: boolean,
): Promise<ApprovalCardView[]> {
  const pending = snapshot.stages.flatMap((s) =>
    s.actions.filter((a) => a.status === "InProgress" && a.token).map((a) => ({ stage: s, action: a })),
  );
  return Promise.all(
    pending.map(async ({ stage, action }): Promise<ApprovalCardView> => {
      const base = {
        stageName: stage.name,
        actionName: action.name,
        executionId: stage.executionId ?? "",
        actionExecutionId: action.actionExecutionId,
        since: action.lastStatusChange,
      };
      if (!stage.executionId) return { ...base, problem: "AWS did not say which execution this request belongs to; reload the page." };
      try {
        let detail = await executionDetail(t, stage.executionId, actorEmail);
        // The snapshot and the execution's detail are cached separately: a detail read before the approval
        // started does not list it yet, so read it again before calling the request foreign.
        if (!detail.actions.some((r) => r.actionExecutionId === action.actionExecutionId && r.status === "InProgress")) {
          caches.pages.invalidate(`${t.id}|exec|${stage.executionId}`);
          detail = await executionDetail(t, stage.executionId, actorEmail);
        }
        const m = matchApproval(
          {
            stageName: stage.name,
            stageExecutionId: stage.executionId,
            actionName: action.name,
            actionStatus: action.status,
            actionExecutionId: action.actionExecutionId,
            token: action.token,
          },
          detail.actions,
          { executionId: stage.executionId, token: action.token! },
        );
        const revision = detail.execution.sourceRevisions[0];
        if (!m.ok) return { ...base, revision, problem: m.message };
        return { ...base, revision, token: withTokens ? action.token : undefined };
      } catch (e) {
        return { ...base, problem: `The execution waiting for this approval could not be read (${(e as Error).name}); reload the page.` };
      }
    }),
  );
}

export interface FreshApproval {
  match: ApprovalMatch;
  /** The approved execution's first source revision (commit id and message), when readable. */
  revision?: { commitId?: string; message?: string };
}

/**
 * Reads, uncached, whether `token` still belongs to execution `executionId`'s pending request of stage/action, and
 * the execution's revision for the audit record. Throws AWS's errors (the caller reports them).
 */
export async function readApprovalNow(
  t: PipelineTarget,
  actorEmail: string,
  want: { stageName: string; actionName: string; executionId: string; token: string },
): Promise<FreshApproval> {
  const cp = toolsClients(t, actorEmail).codepipeline;
  const [state, runs, exec] = await Promise.all([
    toolsRead(t, "GetPipelineState", () => cp.send(new GetPipelineStateCommand({ name: t.pipelineName }))),
    (async () => {
      const all: ActionExecutionDetail[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < 5; page++) {
        const out = await toolsRead(t, "ListActionExecutions", () =>
          cp.send(
            new ListActionExecutionsCommand({
              pipelineName: t.pipelineName,
              filter: { pipelineExecutionId: want.executionId },
              maxResults: 100,
              nextToken,
            }),
          ),
        );
        all.push(...(out.actionExecutionDetails ?? []));
        nextToken = out.nextToken;
        if (!nextToken) break;
      }
      return all;
    })(),
    toolsRead(t, "GetPipelineExecution", () =>
      cp.send(new GetPipelineExecutionCommand({ pipelineName: t.pipelineName, pipelineExecutionId: want.executionId })),
    ),
  ]);
  const stage = state.stageStates?.find((s) => s.stageName === want.stageName);
  const action = stage?.actionStates?.find((a) => a.actionName === want.actionName);
  const match = matchApproval(
    {
      stageName: want.stageName,
      stageExecutionId: stage?.latestExecution?.pipelineExecutionId,
      actionName: want.actionName,
      actionStatus: action?.latestExecution?.status,
      actionExecutionId: action?.latestExecution?.actionExecutionId,
      token: action?.latestExecution?.token,
    },
    runs.map((r) => ({
      actionExecutionId: r.actionExecutionId ?? "",
      stageName: r.stageName ?? "",
      actionName: r.actionName ?? "",
      status: r.status ?? "",
    })),
    want,
  );
  const rev = exec.pipelineExecution?.artifactRevisions?.[0];
  return { match, revision: rev ? { commitId: rev.revisionId, message: rev.revisionSummary } : undefined };
}
