/**
 * The pipeline execution engine: executions advance stage by stage, action group by action group (runOrder), on
 * timers inside the sandbox process. Every transition is persisted; all timing lives in the records (`dueAt`), so a
 * restarted sandbox resumes in-progress executions (`pump()` on attach).
 *
 * Stage boundaries follow the execution mode: SUPERSEDED (V1, V2 default) lets one execution per stage run; a newer
 * execution waiting at a boundary supersedes an older waiting one, and an older execution that would enter a stage a
 * newer one has already entered is superseded. QUEUED lets the oldest waiter in first. PARALLEL never waits.
 */
import { AwsError } from "../errors";
import type { Faults } from "../faults";
import { uuid } from "../ids";
import type { ServiceHost } from "../registry";
import type { World } from "../state";
import { actionDuration, allBuilds, completeBuild, kickEngine, registerRunner, stopBuild, unregisterRunner } from "./codebuild-builds";
import {
  buildOf,
  failAction,
  isApproval,
  isBuild,
  isCodeCommitSource,
  newToken,
  runCodeCommitSource,
  settleBuildAction,
  startBuildAction,
} from "./codepipeline-exec-actions";
import {
  type ActionExecutionRecord,
  type CodePipelineState,
  type PipelineExecution,
  type PipelineRecord,
  type StageExecutionRecord,
  APPROVAL_NEEDED_TOPIC,
  type ApprovalNeededEvent,
  EXECUTION_FAILED_TOPIC,
  type ExecutionFailedEvent,
  onExecutionStarted,
  parsePipelineArn,
} from "./codepipeline-store";

type Decl = Record<string, any>;
const ACTIVE = new Set(["InProgress", "Stopping"]);

export const stageDecls = (p: PipelineRecord): Decl[] => (p.declaration.stages ?? []) as Decl[];
export const stageRecord = (e: PipelineExecution, stage: string): StageExecutionRecord | undefined => {
  for (let i = e.stages.length - 1; i >= 0; i--) if (e.stages[i].stageName === stage) return e.stages[i];
  return undefined;
};
/** The stage the execution is currently in (InProgress/Stopping), if any. */
export const currentStage = (e: PipelineExecution) => e.stages.find((s) => ACTIVE.has(s.status));
const isLive = (e: PipelineExecution) => e.status === "InProgress" || e.status === "Stopping";

/** An execution other than `except` is running in `stage` (blocks SUPERSEDED/QUEUED entry). */
export function stageBusy(p: PipelineRecord, stage: string, except?: PipelineExecution): PipelineExecution | undefined {
  return p.executions.find(
    (x) => x !== except && isLive(x) && x.executionMode !== "PARALLEL" && ACTIVE.has(stageRecord(x, stage)?.status ?? ""),
  );
}

/** Every pipeline of every account and region. */
function* allPipelines(world: World): Generator<PipelineRecord> {
  for (const acct of Object.values(world.accounts)) {
    for (const services of Object.values(acct.regions ?? {})) {
      const st = services?.codepipeline as CodePipelineState | undefined;
      if (st?.pipelines) yield* Object.values(st.pipelines);
    }
  }
}

export class Engine {
  private timer?: NodeJS.Timeout;
  private timerAt = Infinity;
  private closed = false;
  private pumping = false;

  constructor(private readonly host: ServiceHost) {}

  get world(): World {
    return this.host.world();
  }
  get faults(): Readonly<Faults> {
    return this.host.faults();
  }
  baseUrl(): string | undefined {
    return this.host.baseUrl();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A new execution was recorded: it waits to enter the first stage, then runs. */
  started(e: PipelineExecution, p: PipelineRecord): void {
    const first = stageDecls(p)[0]?.name;
    e.waitingFor = first;
    this.pump();
  }

  /** Advance everything that can advance now, persist, and set the timer for the next due moment. */
  pump(): void {
    if (this.closed || this.pumping) return;
    this.pumping = true;
    let changed = false;
    try {
      for (let i = 0; i < 100; i++) {
        const now = Date.now();
        let progress = false;
        for (const b of allBuilds(this.world)) {
          if (b.buildStatus === "IN_PROGRESS" && b.dueAt !== undefined && b.dueAt <= now) {
            completeBuild(this.world, b, now);
            progress = true;
          }
        }
        for (const p of allPipelines(this.world)) {
          for (const e of p.executions) if (isLive(e) && this.advance(p, e, now)) progress = true;
          if (this.admit(p, now)) progress = true;
        }
        if (!progress) break;
        changed = true;
      }
    } finally {
      this.pumping = false;
    }
    if (changed) this.host.persist();
    this.schedule();
  }

  private schedule(): void {
    if (this.closed) return;
    let next = Infinity;
    for (const b of allBuilds(this.world)) if (b.buildStatus === "IN_PROGRESS" && b.dueAt !== undefined) next = Math.min(next, b.dueAt);
    for (const p of allPipelines(this.world)) {
      for (const e of p.executions) {
        if (!isLive(e)) continue;
        for (const s of e.stages)
          for (const a of s.actions) if (a.status === "InProgress" && a.dueAt !== undefined) next = Math.min(next, a.dueAt);
      }
    }
    if (next === Infinity) return;
    if (this.timer && this.timerAt <= next) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.pump();
      },
      Math.max(5, next - Date.now()),
    );
    this.timer.unref?.();
  }

  /** Settle due actions of the execution's current stage and move on. True when anything changed. */
  private advance(p: PipelineRecord, e: PipelineExecution, now: number): boolean {
    const stage = currentStage(e);
    if (!stage) return false;
    let progress = false;
    for (const rec of stage.actions) {
      if (rec.status !== "InProgress") continue;
      if (isBuild(rec)) {
        if (settleBuildAction(this.world, e, rec, now)) progress = true;
      } else if (rec.dueAt !== undefined && rec.dueAt <= now) {
        if (isCodeCommitSource(rec)) runCodeCommitSource(this.world, p, e, rec, now, this.faults);
        else
          failAction(
            rec,
            `The sandbox does not simulate ${rec.input.actionTypeId.category} actions of provider ${rec.input.actionTypeId.provider}`,
            now,
          );
        progress = true;
      }
    }
    if (stage.actions.some((a) => a.status === "InProgress")) {
      if (progress) e.lastUpdateTime = now;
      return progress;
    }
    this.settleStage(p, e, stage, now);
    return true;
  }

  /** No action of the stage is running: stop, fail, start the next runOrder group, or leave the stage. */
  private settleStage(p: PipelineRecord, e: PipelineExecution, stage: StageExecutionRecord, now: number): void {
    e.lastUpdateTime = now;
    if (e.stopMode) {
      stage.status = "Stopped";
      this.finish(e, "Stopped", now);
      return;
    }
    const failed = stage.actions.find((a) => a.status === "Failed");
    if (failed) {
      stage.status = "Failed";
      this.finish(e, "Failed", now, failed.errorDetails?.message);
      this.host.publish(EXECUTION_FAILED_TOPIC, {
        pipelineArn: p.arn,
        pipelineName: p.name,
        executionId: e.pipelineExecutionId,
        pipelineVersion: e.pipelineVersion,
        stage: stage.stageName,
        action: failed.actionName,
        message: failed.errorDetails?.message ?? "",
        at: now,
      } satisfies ExecutionFailedEvent);
      return;
    }
    const decl = stageDecls(p).find((s) => s.name === stage.stageName);
    const pending = ((decl?.actions ?? []) as Decl[]).filter((a) => !stage.actions.some((r) => r.actionName === a.name));
    if (pending.length) {
      const order = Math.min(...pending.map((a) => a.runOrder ?? 1));
      for (const a of pending.filter((x) => (x.runOrder ?? 1) === order)) this.startAction(p, e, stage, a, now);
      return;
    }
    const names = stageDecls(p).map((s) => s.name as string);
    if (!names.includes(stage.stageName)) {
      // UpdatePipeline removed the stage under the execution: AWS cancels it.
      stage.status = "Cancelled";
      this.finish(e, "Cancelled", now, `Stage ${stage.stageName} was removed by a pipeline update.`);
      return;
    }
    stage.status = "Succeeded";
    const next = names[names.indexOf(stage.stageName) + 1];
    if (next === undefined) this.finish(e, "Succeeded", now);
    else e.waitingFor = next;
  }

  private finish(e: PipelineExecution, status: PipelineExecution["status"], now: number, summary?: string): void {
    e.status = status;
    e.waitingFor = undefined;
    e.lastUpdateTime = now;
    if (summary !== undefined) e.statusSummary = summary;
  }

  /** Let waiting executions into free stages, per execution mode. */
  private admit(p: PipelineRecord, now: number): boolean {
    let progress = false;
    const names = new Set(stageDecls(p).map((s) => s.name as string));
    for (const e of p.executions) {
      if (e.status === "InProgress" && e.waitingFor !== undefined && !names.has(e.waitingFor)) {
        this.finish(e, "Cancelled", now, `Stage ${e.waitingFor} was removed by a pipeline update.`);
        progress = true;
      }
    }
    for (const s of stageDecls(p)) {
      const stage = s.name as string;
      const waiters = p.executions.filter((x) => x.status === "InProgress" && !x.stopMode && x.waitingFor === stage);
      if (!waiters.length) continue;
      for (const w of waiters.filter((x) => x.executionMode === "PARALLEL")) {
        this.enterStage(p, w, stage, now);
        progress = true;
      }
      const superseded = waiters.filter((x) => x.executionMode === "SUPERSEDED");
      if (superseded.length) {
        const newest = superseded[superseded.length - 1];
        for (const old of superseded.slice(0, -1)) {
          this.finish(old, "Superseded", now);
          progress = true;
        }
        const idx = p.executions.indexOf(newest);
        const overtaken = p.executions.slice(idx + 1).some((x) => stageRecord(x, stage));
        if (overtaken) {
          this.finish(newest, "Superseded", now);
          progress = true;
        } else if (!stageBusy(p, stage, newest)) {
          this.enterStage(p, newest, stage, now);
          progress = true;
        }
      }
      const queued = waiters.filter((x) => x.executionMode === "QUEUED");
      if (queued.length && !stageBusy(p, stage, queued[0])) {
        this.enterStage(p, queued[0], stage, now);
        progress = true;
      }
    }
    return progress;
  }

  private enterStage(p: PipelineRecord, e: PipelineExecution, stage: string, now: number): void {
    e.waitingFor = undefined;
    e.lastUpdateTime = now;
    const rec: StageExecutionRecord = { stageName: stage, status: "InProgress", actions: [] };
    e.stages.push(rec);
    this.settleStage(p, e, rec, now); // starts the first runOrder group
  }

  /** Start one action: timers for simulated work, a token for approvals, a build for CodeBuild. */
  startAction(p: PipelineRecord, e: PipelineExecution, stage: StageExecutionRecord, a: Decl, now: number): ActionExecutionRecord {
    const { region } = parsePipelineArn(p.arn)!;
    const rec: ActionExecutionRecord = {
      actionExecutionId: uuid(),
      stageName: stage.stageName,
      actionName: a.name,
      runOrder: a.runOrder ?? 1,
      status: "InProgress",
      startTime: now,
      lastUpdateTime: now,
      updatedBy: String(p.declaration.roleArn),
      input: {
        actionTypeId: { ...a.actionTypeId, version: String(a.actionTypeId?.version ?? "1") },
        configuration: Object.fromEntries(
          Object.entries((a.configuration ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
        ),
        roleArn: a.roleArn,
        region: a.region ?? region,
        inputArtifacts: ((a.inputArtifacts ?? []) as { name: string }[]).map((x) => ({ name: x.name })),
      },
      outputArtifacts: ((a.outputArtifacts ?? []) as { name: string }[]).map((x) => ({ name: x.name })),
    };
    stage.actions = [...stage.actions.filter((r) => r.actionName !== a.name), rec];
    if (isApproval(rec)) {
      rec.token = newToken();
      this.host.publish(APPROVAL_NEEDED_TOPIC, {
        pipelineArn: p.arn,
        pipelineName: p.name,
        executionId: e.pipelineExecutionId,
        pipelineVersion: e.pipelineVersion,
        stage: stage.stageName,
        action: a.name,
        customData: a.configuration?.CustomData,
        externalEntityLink: a.configuration?.ExternalEntityLink,
        at: now,
      } satisfies ApprovalNeededEvent);
    } else if (isBuild(rec)) startBuildAction(this.world, p, e, rec, now, this.faults);
    else rec.dueAt = now + actionDuration(this.faults, isCodeCommitSource(rec) ? "Source" : "Other");
    return rec;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Commands (called by the CodePipeline operations; they throw AWS's errors)
  // -------------------------------------------------------------------------------------------------------------

  stop(p: PipelineRecord, e: PipelineExecution, abandon: boolean, reason: string | undefined, now: number): void {
    if (e.status === "Stopping" && !abandon)
      throw new AwsError(
        "DuplicatedStopRequestException",
        `Pipeline execution ${e.pipelineExecutionId} is already in a Stopping state. If you already chose to stop and wait, you cannot make the same request again. You can choose to stop and abandon now.`,
        400,
      );
    if (!isLive(e))
      throw new AwsError(
        "PipelineExecutionNotStoppableException",
        `Unable to stop pipeline execution ${e.pipelineExecutionId} since it is in ${e.status} state.`,
        400,
      );
    e.stopTrigger = { reason: reason ?? e.stopTrigger?.reason };
    e.lastUpdateTime = now;
    const stage = currentStage(e);
    if (!stage) {
      // Waiting at a stage boundary: nothing runs, it stops at once.
      e.stopMode = abandon ? "abandon" : "wait";
      this.finish(e, "Stopped", now);
    } else if (abandon) {
      e.stopMode = "abandon";
      for (const a of stage.actions) {
        if (a.status !== "InProgress") continue;
        a.status = "Abandoned";
        a.lastUpdateTime = now;
        a.dueAt = undefined;
        const b = buildOf(this.world, a);
        if (b) stopBuild(this.world, b, now);
      }
      stage.status = "Stopped";
      this.finish(e, "Stopped", now);
    } else {
      e.stopMode = "wait";
      e.status = "Stopping";
      stage.status = "Stopping";
    }
    this.pump();
  }

  approve(
    p: PipelineRecord,
    stageName: string,
    actionName: string,
    token: unknown,
    result: { status: string; summary?: string },
    caller: string,
    now: number,
  ): void {
    let answered: ActionExecutionRecord | undefined;
    for (const e of [...p.executions].reverse()) {
      for (const s of e.stages) {
        if (s.stageName !== stageName) continue;
        for (const a of [...s.actions, ...(e.history ?? [])]) {
          if (a.actionName !== actionName || a.stageName !== stageName || !isApproval(a)) continue;
          if (a.token === undefined || a.token !== token) continue;
          if (a.status === "InProgress" && isLive(e)) {
            a.approvedBy = caller;
            a.updatedBy = caller;
            a.lastUpdateTime = now;
            a.summary = result.summary;
            if (result.status === "Approved") a.status = "Succeeded";
            else failAction(a, `Rejected by ${caller}: ${result.summary ?? ""}`, now, "JobFailed");
            e.lastUpdateTime = now;
            this.pump();
            return;
          }
          if (a.approvedBy) answered = a;
        }
      }
    }
    if (answered)
      throw new AwsError(
        "ApprovalAlreadyCompletedException",
        `The approval action ${actionName} in stage ${stageName} has already been completed.`,
        400,
      );
    throw new AwsError(
      "InvalidApprovalTokenException",
      `The token for the approval action ${actionName} in stage ${stageName} is invalid (it does not match the approval request that is currently in progress).`,
      400,
    );
  }

  retry(p: PipelineRecord, e: PipelineExecution, stageName: string, mode: "FAILED_ACTIONS" | "ALL_ACTIONS", now: number): void {
    const latest = [...p.executions].reverse().find((x) => stageRecord(x, stageName));
    if (latest && latest !== e)
      throw new AwsError(
        "NotLatestPipelineExecutionException",
        `The stage ${stageName} has been run by a later pipeline execution (${latest.pipelineExecutionId}); pipeline execution ${e.pipelineExecutionId} is out of date.`,
        400,
      );
    const stage = stageRecord(e, stageName);
    if (
      !stage ||
      (stage.status !== "Failed" && stage.status !== "Stopped") ||
      !["Failed", "Stopped"].includes(e.status) ||
      (mode === "FAILED_ACTIONS" && !stage.actions.some((a) => a.status === "Failed" || a.status === "Abandoned"))
    )
      throw new AwsError(
        "StageNotRetryableException",
        `Unable to retry stage ${stageName} of pipeline execution ${e.pipelineExecutionId}: the stage is ${stage?.status ?? "not run"} and has no failed actions.`,
        400,
      );
    if (stageBusy(p, stageName, e))
      throw new AwsError("ConflictException", `Stage ${stageName} of pipeline ${p.name} is busy with another execution.`, 409);
    const decl = stageDecls(p).find((s) => s.name === stageName);
    if (!decl) throw new AwsError("StageNotRetryableException", `Stage ${stageName} no longer exists in pipeline ${p.name}.`, 400);
    const again = mode === "ALL_ACTIONS" ? stage.actions : stage.actions.filter((a) => a.status === "Failed" || a.status === "Abandoned");
    (e.history ??= []).push(...again);
    stage.actions = stage.actions.filter((a) => !again.includes(a));
    stage.status = "InProgress";
    e.status = "InProgress";
    e.stopMode = undefined;
    e.statusSummary = undefined;
    e.lastUpdateTime = now;
    // Re-run the lowest runOrder group that has actions to run, then continue as usual.
    const todo = (decl.actions as Decl[]).filter((a) => again.some((r) => r.actionName === a.name));
    const order = Math.min(...todo.map((a) => a.runOrder ?? 1));
    for (const a of todo.filter((x) => (x.runOrder ?? 1) === order)) this.startAction(p, e, stage, a, now);
    this.pump();
  }
}

const engines = new WeakMap<World, Engine>();
export const engineOf = (world: World): Engine | undefined => engines.get(world);

/** Wire the engine to a server: start executions as they are recorded, resume in-progress ones, stop on close. */
export function attachEngine(host: ServiceHost): void {
  const engine = new Engine(host);
  const world = host.world();
  engines.set(world, engine);
  const runner = { kick: () => engine.pump(), baseUrl: () => engine.baseUrl() };
  registerRunner(world, runner);
  const off = onExecutionStarted((w, e, p) => {
    if (w === host.world()) engine.started(e, p);
  });
  host.onClose(() => {
    off();
    engine.close();
    unregisterRunner(world, runner);
    if (engines.get(world) === engine) engines.delete(world);
  });
  // Resume: executions that were running when the state was saved continue (timers are absolute in the records).
  setImmediate(() => engine.pump());
}

export { kickEngine };
