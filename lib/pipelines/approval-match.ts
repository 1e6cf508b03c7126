/**
 * Which execution a pending manual approval belongs to. Pure (no I/O): GetPipelineState gives, per stage, the
 * execution in the stage (`latestExecution.pipelineExecutionId`) and, per action, the newest run with its token
 * and `actionExecutionId`; ListActionExecutions filtered by that execution confirms that this very action run is
 * that execution's. Only when both agree does the token belong to the execution; otherwise (another execution
 * took the stage, the request was answered, the run moved on) the approval is refused before it reaches AWS.
 */

export interface ApprovalStateRead {
  stageName: string;
  /** The execution currently (or last) in the stage: GetPipelineState stageStates[].latestExecution. */
  stageExecutionId?: string;
  actionName: string;
  actionStatus?: string;
  actionExecutionId?: string;
  token?: string;
}

export interface ActionRunRead {
  actionExecutionId: string;
  stageName: string;
  actionName: string;
  status: string;
}

export type ApprovalMatch =
  | { ok: true }
  | {
      ok: false;
      reason: "answered" | "other-execution" | "token-changed" | "not-in-execution";
      message: string;
      currentExecutionId?: string;
    };

const short = (id: string | undefined) => (id ? id.slice(0, 8) : "?");

/**
 * Does `token` (as shown on the card of execution `executionId`) still belong to that execution's pending
 * approval? `runs` are the action runs of `executionId` (ListActionExecutions with its filter).
 */
export function matchApproval(read: ApprovalStateRead, runs: ActionRunRead[], want: { executionId: string; token: string }): ApprovalMatch {
  const where = `${read.stageName} / ${read.actionName}`;
  if (read.stageExecutionId && read.stageExecutionId !== want.executionId)
    return {
      ok: false,
      reason: "other-execution",
      currentExecutionId: read.stageExecutionId,
      message: `Nothing was sent: execution ${short(want.executionId)} is not the one in ${read.stageName}; execution ${short(read.stageExecutionId)} is (it took the stage since the page was read, or the request is its). Review the approval card of ${short(read.stageExecutionId)}.`,
    };
  if (read.actionStatus !== "InProgress" || !read.token)
    return {
      ok: false,
      reason: "answered",
      message: `Nothing was sent: ${where} of execution ${short(want.executionId)} is no longer waiting for an answer (it is ${read.actionStatus ?? "not running"}).`,
    };
  if (read.token !== want.token)
    return {
      ok: false,
      reason: "token-changed",
      message: `Nothing was sent: the approval request of ${where} changed since the page was loaded. Review the current request.`,
    };
  const mine = runs.find(
    (r) => r.actionExecutionId === read.actionExecutionId && r.stageName === read.stageName && r.actionName === read.actionName,
  );
  if (!mine || mine.status !== "InProgress")
    return {
      ok: false,
      reason: "not-in-execution",
      message: `Nothing was sent: the pending request of ${where} does not belong to execution ${short(want.executionId)}. Reload the page and review the current request.`,
    };
  return { ok: true };
}
