/** View models of the pipeline pages: plain JSON (ISO dates), safe to pass to client components. */

export const EXECUTION_STATUSES = ["InProgress", "Stopping", "Stopped", "Succeeded", "Superseded", "Failed", "Cancelled"] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** A problem reading or changing a pipeline, as a sentence a person can act on. */
export interface PlainError {
  message: string;
  code?: string;
  requestId?: string;
}

export interface SourceRevisionView {
  actionName: string;
  commitId?: string;
  message?: string;
  url?: string;
  /** From CodeCommit GetCommit (cached by commit id); null when it could not be read. */
  author?: { name?: string; email?: string; date?: string } | null;
}

export interface ExecutionView {
  id: string;
  status: string;
  statusSummary?: string;
  startTime?: string;
  lastUpdateTime?: string;
  triggerType?: string;
  triggerDetail?: string;
  stopReason?: string;
  executionMode?: string;
  sourceRevisions: SourceRevisionView[];
}

export interface ActionStateView {
  name: string;
  /** From the declaration (GetPipeline), when known. */
  category?: string;
  provider?: string;
  runOrder?: number;
  status?: string;
  summary?: string;
  lastStatusChange?: string;
  /** Manual approval waiting: the token PutApprovalResult needs. Never sent to a viewer's browser. */
  token?: string;
  actionExecutionId?: string;
  externalExecutionId?: string;
  externalExecutionUrl?: string;
  entityUrl?: string;
  revisionId?: string;
  revisionUrl?: string;
  errorCode?: string;
  errorMessage?: string;
}

export interface StageStateView {
  name: string;
  status?: string;
  executionId?: string;
  /** An execution waiting to enter the stage. */
  inboundExecutionId?: string;
  transitionEnabled: boolean;
  transitionReason?: string;
  actions: ActionStateView[];
}

/** What one refresh reads about a pipeline: GetPipelineState + ListPipelineExecutions(maxResults 1). */
export interface PipelineSnapshot {
  fetchedAt: number;
  pipelineVersion?: number;
  stages: StageStateView[];
  latest?: ExecutionView;
  error?: PlainError;
}

export interface OnboardingRef {
  id: string;
  pipelineName: string;
  pipelineArn: string | null;
  pipelineType: string;
  region: string;
  repositoryName: string;
  branchName: string;
  status: string;
  toolsAccount: { id: string; name: string; accountId: string };
  repoAccount: { id: string; name: string; accountId: string };
}

export interface DashboardRow {
  onboarding: OnboardingRef;
  snapshot: PipelineSnapshot;
}

export interface ActionExecutionView {
  actionExecutionId: string;
  stageName: string;
  actionName: string;
  status: string;
  category?: string;
  provider?: string;
  startTime?: string;
  lastUpdateTime?: string;
  summary?: string;
  externalExecutionId?: string;
  externalExecutionUrl?: string;
  errorCode?: string;
  errorMessage?: string;
  updatedBy?: string;
  /** CodeBuild builds: BatchGetBuilds logs.deepLink. */
  logsUrl?: string;
  buildStatus?: string;
}

export interface ExecutionDetail {
  /** When it was read from AWS (ms since epoch; cached like a snapshot). */
  fetchedAt: number;
  execution: ExecutionView;
  pipelineVersion?: number;
  actions: ActionExecutionView[];
}

/** One pending manual approval, tied to the execution waiting in its stage. */
export interface ApprovalCardView {
  stageName: string;
  actionName: string;
  executionId: string;
  actionExecutionId?: string;
  /** The revision the execution carries (GetPipelineExecution artifactRevisions). */
  revision?: SourceRevisionView;
  /** Since when it waits. */
  since?: string;
  /** The token PutApprovalResult needs. Only for engineers and admins: never sent to a viewer's browser. */
  token?: string;
  /** Set when the request could not be tied to the execution (then no answer is offered). */
  problem?: string;
}
