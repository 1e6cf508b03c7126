/** CodePipeline data model: pipelines, their declarations and execution records. Shared with EventBridge delivery. */
import { AwsError } from "../errors";
import { uuid } from "../ids";
import type { Principal } from "../policy/types";
import { type World, regionSlice } from "../state";
import { findRoleByArn } from "./iam-model";

export type TriggerType =
  "CreatePipeline" | "StartPipelineExecution" | "CloudWatchEvent" | "PollForSourceChanges" | "Webhook" | "PutActionRevision";
export type ExecutionStatus = "Cancelled" | "InProgress" | "Stopped" | "Stopping" | "Succeeded" | "Superseded" | "Failed";

export interface ArtifactLocation {
  name: string;
  s3location?: { bucket: string; key: string };
}

/** One run of one action inside an execution (a retry adds a new record; the old one moves to `history`). */
export interface ActionExecutionRecord {
  actionExecutionId: string;
  stageName: string;
  actionName: string;
  runOrder: number;
  status: "InProgress" | "Abandoned" | "Succeeded" | "Failed";
  startTime: number;
  lastUpdateTime: number;
  /** Who moved it last: the pipeline role, or the approver. */
  updatedBy?: string;
  summary?: string;
  errorDetails?: { code: string; message: string };
  externalExecutionId?: string;
  /** Absolute URL, or a sandbox path ("/_sandbox/…") rendered against the sandbox's URL. */
  externalExecutionUrl?: string;
  /** Manual approval: the token PutApprovalResult must present. */
  token?: string;
  /** Set once an approval was answered. */
  approvedBy?: string;
  /** Timer-driven completion (epoch ms) of simulated work; survives restarts. */
  dueAt?: number;
  /** CodeBuild actions: the build running for this action. */
  buildId?: string;
  input: {
    actionTypeId: { category: string; owner: string; provider: string; version: string };
    configuration: Record<string, string>;
    roleArn?: string;
    region: string;
    inputArtifacts: ArtifactLocation[];
  };
  outputArtifacts?: ArtifactLocation[];
}

export interface StageExecutionRecord {
  stageName: string;
  status: "Cancelled" | "InProgress" | "Failed" | "Stopped" | "Stopping" | "Succeeded" | "Skipped";
  /** Latest run of each action that started in this stage. */
  actions: ActionExecutionRecord[];
}

export interface SourceRevisionOverride {
  actionName: string;
  revisionType: string;
  revisionValue: string;
}

export interface PipelineExecution {
  pipelineExecutionId: string;
  pipelineName: string;
  /** The pipeline version the execution runs. */
  pipelineVersion: number;
  status: ExecutionStatus;
  statusSummary?: string;
  trigger: { triggerType: TriggerType; triggerDetail?: string };
  executionMode: "SUPERSEDED" | "QUEUED" | "PARALLEL";
  executionType: "STANDARD" | "ROLLBACK";
  startTime: number;
  lastUpdateTime: number;
  /** e.g. [{ actionName: "Source", revisionId: <commit>, revisionSummary, revisionUrl }] once the source ran. */
  sourceRevisions: { actionName: string; revisionId?: string; revisionSummary?: string; revisionUrl?: string }[];
  /** GetPipelineExecution artifactRevisions: one per source output artifact. */
  artifactRevisions?: { name: string; revisionId?: string; revisionSummary?: string; revisionUrl?: string; created?: number }[];
  /** Stages entered so far, in order. */
  stages: StageExecutionRecord[];
  /** Client request token of StartPipelineExecution (idempotency). */
  clientRequestToken?: string;
  /** The stage this execution waits to enter (stage boundary; SUPERSEDED/QUEUED). */
  waitingFor?: string;
  /** StopPipelineExecution: "wait" (Stopping) or "abandon". */
  stopMode?: "wait" | "abandon";
  stopTrigger?: { reason?: string };
  /** StartPipelineExecution sourceRevisions (V2). */
  sourceOverrides?: SourceRevisionOverride[];
  /**
   * The branch head pushed by the CodeCommit event that started this execution: in SUPERSEDED and QUEUED mode the
   * Source action builds this commit, not the branch's head when it runs (PARALLEL clones the head at start).
   */
  pushedCommits?: PushedCommit[];
  /** Output artifacts produced so far: artifact name → S3 location. */
  artifacts?: Record<string, { bucket: string; key: string }>;
  /** Earlier runs of actions that were retried. */
  history?: ActionExecutionRecord[];
}

export interface Tag {
  key: string;
  value: string;
}

export interface PipelineRecord {
  name: string;
  arn: string;
  /** The declaration as stored (version included). */
  declaration: Record<string, any>;
  created: number;
  updated: number;
  tags: Tag[];
  /** Oldest first. */
  executions: PipelineExecution[];
}

/** In-process topics the engine publishes (CodeStar Notifications subscribes to them). */
export const EXECUTION_FAILED_TOPIC = "codepipeline:execution-failed";
export const APPROVAL_NEEDED_TOPIC = "codepipeline:approval-needed";
interface PipelineEventBase {
  pipelineArn: string;
  pipelineName: string;
  executionId: string;
  pipelineVersion: number;
  stage: string;
  action: string;
  at: number;
}
export interface ExecutionFailedEvent extends PipelineEventBase {
  message: string;
}
export interface ApprovalNeededEvent extends PipelineEventBase {
  customData?: string;
  externalEntityLink?: string;
}

export interface CodePipelineState {
  pipelines: Record<string, PipelineRecord>;
}

export const pipelineArn = (region: string, account: string, name: string) => `arn:aws:codepipeline:${region}:${account}:${name}`;

/** arn:aws:codepipeline:R:A:NAME → parts. */
export function parsePipelineArn(arn: string): { region: string; account: string; name: string } | undefined {
  const m = /^arn:aws:codepipeline:([a-z0-9-]+):(\d{12}):([A-Za-z0-9.@\-_]{1,100})$/.exec(arn);
  return m ? { region: m[1], account: m[2], name: m[3] } : undefined;
}

export const cpState = (world: World, account: string, region: string) =>
  regionSlice<CodePipelineState>(world, account, region, "codepipeline", () => ({ pipelines: {} }));

export function findPipeline(world: World, account: string, region: string, name: string): PipelineRecord | undefined {
  if (!world.accounts[account]) return undefined;
  return cpState(world, account, region).pipelines[name];
}

export function getPipelineOrThrow(world: World, account: string, region: string, name: unknown): PipelineRecord {
  const p = typeof name === "string" ? findPipeline(world, account, region, name) : undefined;
  if (!p) throw new AwsError("PipelineNotFoundException", `Account '${account}' does not have a pipeline with name '${name}'`, 400);
  return p;
}

export interface PushedCommit {
  account: string;
  region: string;
  repositoryName: string;
  branchName: string;
  commitId: string;
}

export interface StartExecutionRequest {
  account: string;
  region: string;
  name: string;
  trigger: TriggerType;
  /** Rule ARN for CloudWatchEvent, caller ARN for StartPipelineExecution… */
  triggerDetail?: string;
  clientRequestToken?: string;
  sourceOverrides?: SourceRevisionOverride[];
  pushedCommits?: PushedCommit[];
  now?: number;
}

export type ExecutionListener = (world: World, execution: PipelineExecution, pipeline: PipelineRecord) => void;
const listeners: ExecutionListener[] = [];
/** The execution engine (codepipeline-exec.ts) registers here to run executions as they are requested. */
export function onExecutionStarted(fn: ExecutionListener): () => void {
  listeners.push(fn);
  return () => {
    const i = listeners.indexOf(fn);
    if (i >= 0) listeners.splice(i, 1);
  };
}

/**
 * Record a requested execution (status InProgress). Used by CreatePipeline, StartPipelineExecution and EventBridge
 * delivery. Throws PipelineNotFoundException when the pipeline does not exist.
 */
export function startPipelineExecution(world: World, req: StartExecutionRequest): PipelineExecution {
  const p = getPipelineOrThrow(world, req.account, req.region, req.name);
  if (req.clientRequestToken) {
    const same = p.executions.find((e) => e.clientRequestToken === req.clientRequestToken);
    if (same) return same;
  }
  const now = req.now ?? Date.now();
  const d = p.declaration;
  const exec: PipelineExecution = {
    pipelineExecutionId: uuid(),
    pipelineName: p.name,
    pipelineVersion: Number(d.version ?? 1),
    status: "InProgress",
    trigger: { triggerType: req.trigger, triggerDetail: req.triggerDetail },
    executionMode: d.pipelineType === "V2" ? (d.executionMode ?? "SUPERSEDED") : "SUPERSEDED",
    executionType: "STANDARD",
    startTime: now,
    lastUpdateTime: now,
    sourceRevisions: [],
    stages: [],
    clientRequestToken: req.clientRequestToken,
    sourceOverrides: req.sourceOverrides?.length ? req.sourceOverrides : undefined,
    pushedCommits: req.pushedCommits?.length ? req.pushedCommits : undefined,
    artifacts: {},
  };
  p.executions.push(exec);
  if (p.executions.length > 100) p.executions.splice(0, p.executions.length - 100);
  for (const fn of listeners) fn(world, exec, p);
  return exec;
}

/** A session of `roleArn` as an AWS service uses it (CodePipeline, CodeBuild); undefined when the role is missing. */
export function serviceRoleSession(world: World, roleArn: string, sessionName: string): Principal | undefined {
  const role = findRoleByArn(world, roleArn);
  if (!role) return undefined;
  const account = roleArn.split(":")[4];
  const session = sessionName.slice(0, 64);
  return {
    type: "assumed-role",
    arn: `arn:aws:sts::${account}:assumed-role/${role.roleName}/${session}`,
    account,
    roleArn,
    sessionName: session,
    userId: `${role.roleId}:${session}`,
  };
}

/** A session of the pipeline's service role, as CodePipeline uses it to assume action roles and call services. */
export const pipelineRoleSession = (world: World, roleArn: string, pipelineName: string) =>
  serviceRoleSession(world, roleArn, `codepipeline-${pipelineName}`);
