/**
 * Simulated CodeBuild builds: a build started by StartBuild or by a pipeline's Build action runs for a configurable
 * time, then (as the project's service role) downloads its input artifacts (s3:GetObject + kms:Decrypt), "runs" the
 * buildspec, and uploads its output artifacts (s3:PutObject + kms:GenerateDataKey with the project's key). A source
 * whose commit message contains `[fail]` or `[build-fail]` fails the BUILD phase; one with `[printenv]` prints the
 * project's PLAINTEXT environment variables in it (`NAME=value`, as `printenv` in a buildspec would). Every build writes its log into
 * CloudWatch Logs as CodeBuild does (group `/aws/codebuild/<project>`, stream `<build uuid>`, or the project's
 * logsConfig), read with GetLogEvents and served as text by `GET /_sandbox/codebuild/builds/<id>/log` (the
 * build's `logs.deepLink`).
 */
import { canServiceAssumeRole } from "../access";
import type { Faults } from "../faults";
import type { WireResponse } from "../protocols/types";
import type { World } from "../state";
import {
  type BuildPhaseRecord,
  type BuildRecord,
  type CodeBuildState,
  CODEBUILD_SERVICE_PRINCIPAL,
  findProject,
  projectArn,
} from "./codebuild-store";
import { serviceRoleSession } from "./codepipeline-store";
import { appendLogEvents, ensureLogStream, findLogStream } from "./logs-store";
import { s3GetObjectAs, s3PutObjectAs } from "./s3-store";

// ---------------------------------------------------------------------------------------------------------------
// Timing and the per-world engine (registered by codepipeline-exec.ts)
// ---------------------------------------------------------------------------------------------------------------

const DEFAULT_MS = { Source: 2000, Build: 4000, Other: 1000 } as const;

/** Simulated duration of an action or build: Faults.actionMs when set, else the default scaled by SANDBOX_SPEED. */
export function actionDuration(faults: Readonly<Faults>, kind: keyof typeof DEFAULT_MS): number {
  if (faults.actionMs && faults.actionMs > 0) return faults.actionMs;
  const speed = Number(process.env.SANDBOX_SPEED ?? 1);
  return Math.round(DEFAULT_MS[kind] * (Number.isFinite(speed) && speed > 0 ? speed : 1));
}

export interface Runner {
  kick(): void;
  baseUrl(): string | undefined;
}
const runners = new WeakMap<World, Runner>();
export const registerRunner = (world: World, r: Runner) => runners.set(world, r);
export const unregisterRunner = (world: World, r: Runner) => {
  if (runners.get(world) === r) runners.delete(world);
};
/** Wake the engine of this world (something new is due). */
export const kickEngine = (world: World) => runners.get(world)?.kick();
export const baseUrlOf = (world: World) => runners.get(world)?.baseUrl();

// ---------------------------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------------------------

export const buildLogPath = (id: string) => `/_sandbox/codebuild/builds/${encodeURIComponent(id)}/log`;
const secs = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/** Where a build logs: the project's logsConfig.cloudWatchLogs, else `/aws/codebuild/<project>` / `<build uuid>`; none when disabled. */
export function buildLogLocation(
  b: Pick<BuildRecord, "id" | "projectName">,
  logsConfig?: Record<string, unknown>,
): { group: string; stream: string } | undefined {
  const cw = (logsConfig?.cloudWatchLogs ?? {}) as { status?: string; groupName?: string; streamName?: string };
  if (cw.status === "DISABLED") return undefined;
  const uuidPart = b.id.slice(b.id.indexOf(":") + 1);
  return { group: cw.groupName || `/aws/codebuild/${b.projectName}`, stream: cw.streamName ? `${cw.streamName}/${uuidPart}` : uuidPart };
}

/** Creates the build's log group and stream (CodeBuild does this as the build starts) and writes its first lines. */
export function openBuildLog(world: World, b: BuildRecord, logsConfig?: Record<string, unknown>): void {
  const at = buildLogLocation(b, logsConfig);
  if (!at) return;
  b.logGroup = at.group;
  b.logStream = at.stream;
  writeLog(
    world,
    b,
    b.startTime,
    container(b.startTime, "Running on CodeBuild On-demand"),
    container(b.startTime, "Waiting for agent ping"),
  );
}

/** Appends lines to the build's stream, all with timestamp `ts`. */
function writeLog(world: World, b: BuildRecord, ts: number, ...lines: string[]): void {
  if (!b.logGroup || !b.logStream) return;
  const [region, account] = b.arn.split(":").slice(3, 5);
  const stream = ensureLogStream(world, { account, region, group: b.logGroup, stream: b.logStream, now: ts });
  appendLogEvents(
    stream,
    lines.map((message) => ({ timestamp: ts, message })),
    ts,
  );
}

/** The build's log lines, oldest first. */
export function buildLogLines(world: World, b: BuildRecord): string[] {
  if (!b.logGroup || !b.logStream) return b.logLines ?? [];
  const [region, account] = b.arn.split(":").slice(3, 5);
  return (findLogStream(world, account, region, b.logGroup, b.logStream)?.events ?? []).map((e) => e.message);
}

export function buildJson(b: BuildRecord, baseUrl: string | undefined) {
  const [region, account] = b.arn.split(":").slice(3, 5);
  const legacy = b.logGroup ? undefined : buildLogLocation(b);
  const groupName = b.logGroup ?? legacy!.group;
  const streamName = b.logStream ?? legacy!.stream;
  return {
    id: b.id,
    arn: b.arn,
    buildNumber: b.buildNumber,
    projectName: b.projectName,
    startTime: secs(b.startTime),
    endTime: secs(b.endTime),
    currentPhase: b.currentPhase,
    buildStatus: b.buildStatus,
    buildComplete: b.buildStatus !== "IN_PROGRESS",
    sourceVersion: b.sourceVersion,
    initiator: b.initiator,
    serviceRole: b.serviceRole,
    encryptionKey: b.encryptionKey,
    phases: b.phases.map((p) => ({
      phaseType: p.phaseType,
      phaseStatus: p.phaseStatus,
      startTime: secs(p.startTime),
      endTime: secs(p.endTime),
      durationInSeconds: p.endTime !== undefined && p.startTime !== undefined ? Math.round((p.endTime - p.startTime) / 1000) : undefined,
      contexts: p.contexts,
    })),
    logs: {
      groupName,
      streamName,
      deepLink: `${baseUrl ?? ""}${buildLogPath(b.id)}`,
      cloudWatchLogsArn: `arn:aws:logs:${region}:${account}:log-group:${groupName}:log-stream:${streamName}`,
      cloudWatchLogs: { status: "ENABLED" },
      s3Logs: { status: "DISABLED", encryptionDisabled: false },
    },
    artifacts: b.outputArtifacts?.[0] ? { location: `arn:aws:s3:::${b.outputArtifacts[0].bucket}/${b.outputArtifacts[0].key}` } : undefined,
  };
}

/** Every build of every account and region (read-only walk). */
export function* allBuilds(world: World): Generator<BuildRecord> {
  for (const acct of Object.values(world.accounts)) {
    for (const services of Object.values(acct.regions ?? {})) {
      const st = services?.codebuild as CodeBuildState | undefined;
      if (st?.builds) yield* Object.values(st.builds);
    }
  }
}

export function findBuild(world: World, id: string): BuildRecord | undefined {
  const project = id.split(":")[0];
  for (const b of allBuilds(world)) if (b.id === id && b.projectName === project) return b;
  return undefined;
}

/** GET /_sandbox/codebuild/builds/<id>/log → text/plain. */
export function buildLogControl(req: { method: string; path: string }, world: World): WireResponse | undefined {
  const m = /^\/_sandbox\/codebuild\/builds\/([^/]+)\/log\/?$/.exec(req.path);
  if (!m || req.method !== "GET") return undefined;
  const b = findBuild(world, decodeURIComponent(m[1]));
  if (!b) return { status: 404, headers: { "content-type": "text/plain; charset=utf-8" }, body: `no build ${decodeURIComponent(m[1])}\n` };
  const body = buildLogLines(world, b).join("\n") + (b.buildStatus === "IN_PROGRESS" ? "\n[Container] (build in progress)\n" : "\n");
  return { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body };
}

// ---------------------------------------------------------------------------------------------------------------
// Running a build
// ---------------------------------------------------------------------------------------------------------------

const stamp = (ms: number) => {
  const d = new Date(ms).toISOString(); // 2024-01-01T12:00:00.000Z
  return `${d.slice(0, 10).replace(/-/g, "/")} ${d.slice(11, 23)}000`;
};
/** A line of CodeBuild's agent: `[Container] 2024/01/01 12:00:00.000000 text`. */
const container = (ms: number, text: string) => `[Container] ${stamp(ms)} ${text}`;
const FAIL_MARK = /\[(build-)?fail\]/i;
/** A commit message with `[printenv]`: the BUILD phase prints the project's PLAINTEXT environment variables. */
const PRINTENV_MARK = /\[printenv\]/i;
const FAILED_COMMAND = "npm test";

/** Mark the pipeline-facing parts of a build started for a pipeline Build action. */
export function attachPipelineIo(
  b: BuildRecord,
  io: {
    inputs: { name: string; bucket: string; key: string }[];
    outputs: { name: string; bucket: string; key: string }[];
    pipelineExecutionId: string;
  },
) {
  b.inputArtifacts = io.inputs;
  b.outputArtifacts = io.outputs;
  b.pipelineExecutionId = io.pipelineExecutionId;
  b.sourceVersion = io.inputs[0] ? `arn:aws:s3:::${io.inputs[0].bucket}/${io.inputs[0].key}` : b.sourceVersion;
  b.currentPhase = "BUILD";
}

/** Stop a running build (pipeline stop and abandon). */
export function stopBuild(world: World, b: BuildRecord, now: number): void {
  if (b.buildStatus !== "IN_PROGRESS") return;
  b.buildStatus = "STOPPED";
  b.currentPhase = "COMPLETED";
  b.endTime = now;
  b.dueAt = undefined;
  writeLog(world, b, now, container(now, "Build stopped"));
  closePhases(b, now, "STOPPED");
}

function closePhases(b: BuildRecord, now: number, status: string) {
  for (const p of b.phases)
    if (!p.phaseStatus) {
      p.phaseStatus = status;
      p.endTime = now;
    }
  b.phases.push({ phaseType: "COMPLETED", startTime: now });
}

/**
 * Finish a build whose time is up: every check happens now, against the current policies. Returns the build
 * (status SUCCEEDED or FAILED, with `failure`). Each phase writes the lines CodeBuild's agent writes to the log.
 */
export function completeBuild(world: World, b: BuildRecord, now: number): BuildRecord {
  if (b.buildStatus !== "IN_PROGRESS") return b;
  b.dueAt = undefined;
  const [region, account] = b.arn.split(":").slice(3, 5);
  const at = (offset: number) => b.startTime + Math.min(offset, Math.max(0, now - b.startTime));
  const log = (ts: number, ...lines: string[]) => writeLog(world, b, ts, ...lines);
  const agent = (ts: number, ...texts: string[]) => log(ts, ...texts.map((t) => container(ts, t)));
  const phases: BuildPhaseRecord[] = b.phases.filter((p) => p.phaseType === "SUBMITTED");
  const phase = (phaseType: string, status = "SUCCEEDED", contexts?: BuildPhaseRecord["contexts"]) => {
    const start = phases.length ? (phases[phases.length - 1].endTime ?? now) : b.startTime;
    const p: BuildPhaseRecord = {
      phaseType,
      phaseStatus: status,
      startTime: start,
      endTime: Math.max(start, at(phases.length * 200)),
      contexts: contexts ?? (status === "SUCCEEDED" ? [{ statusCode: "", message: "" }] : undefined),
    };
    phases.push(p);
    return p;
  };
  /** A container phase that succeeded, with the agent's two closing lines. */
  const passed = (phaseType: string, ts: number) => {
    phase(phaseType);
    agent(ts, `Phase complete: ${phaseType} State: SUCCEEDED`, "Phase context status code:  Message: ");
  };
  const fail = (phaseType: string, code: string, message: string) => {
    phase(phaseType, "FAILED", [{ statusCode: code, message }]);
    agent(now, `Phase complete: ${phaseType} State: FAILED`, `Phase context status code: ${code} Message: ${message}`);
    b.failure = { phase: phaseType, code, message };
    b.buildStatus = "FAILED";
  };
  const finish = () => {
    if (b.buildStatus === "IN_PROGRESS") b.buildStatus = "SUCCEEDED";
    phase("FINALIZING");
    phases.push({ phaseType: "COMPLETED", startTime: now });
    b.phases = phases;
    b.currentPhase = "COMPLETED";
    b.endTime = now;
    return b;
  };
  phase("QUEUED");
  const sourceAccount = account;
  const assume = b.serviceRole
    ? canServiceAssumeRole(world, CODEBUILD_SERVICE_PRINCIPAL, b.serviceRole, {
        now,
        sourceAccount,
        sourceArn: projectArn(region, account, b.projectName),
      })
    : { ok: false as const, action: "sts:AssumeRole", reason: "no service role", message: "no service role" };
  if (!assume.ok) {
    // The container never starts: the log holds only the agent's first lines.
    fail("PROVISIONING", "CLIENT_ERROR", `CodeBuild is not authorized to perform: sts:AssumeRole on ${b.serviceRole}`);
    return finish();
  }
  const session = serviceRoleSession(world, b.serviceRole!, `AWSCodeBuild-${b.id.slice(b.id.indexOf(":") + 1)}`)!;
  phase("PROVISIONING");
  const src = `/codebuild/output/src${b.buildNumber}/src`;
  agent(at(400), "Waiting for DOWNLOAD_SOURCE", "Phase is DOWNLOAD_SOURCE");
  // DOWNLOAD_SOURCE: the input artifacts, as the project's service role (s3:GetObject + kms:Decrypt).
  let message = "";
  for (const input of b.inputArtifacts ?? []) {
    try {
      const got = s3GetObjectAs(world, { principal: session, bucket: input.bucket, key: input.key, now, region });
      try {
        message = String((JSON.parse(got.body.toString("utf8")) as { message?: string }).message ?? message);
      } catch {
        /* not a sandbox source artifact */
      }
    } catch (e) {
      const err = e as Error & { code?: string };
      fail(
        "DOWNLOAD_SOURCE",
        "CLIENT_ERROR",
        `${err.code ?? err.name}: ${err.message} for primary source and source version arn:aws:s3:::${input.bucket}/${input.key}`,
      );
      return finish();
    }
  }
  if (!b.inputArtifacts?.length) agent(at(400), "No source (started outside CodePipeline)");
  agent(
    at(600),
    `CODEBUILD_SRC_DIR=${src}`,
    `YAML location is ${src}/buildspec.yml`,
    "Processing environment variables",
    `Moving to directory ${src}`,
    "Phases found in YAML: 1",
    " BUILD: 2 commands",
  );
  passed("DOWNLOAD_SOURCE", at(600));
  agent(at(800), "Entering phase INSTALL");
  passed("INSTALL", at(800));
  agent(at(900), "Entering phase PRE_BUILD");
  passed("PRE_BUILD", at(900));
  agent(at(1000), "Entering phase BUILD", "Running command echo build");
  log(at(1000), "build", "");
  if (PRINTENV_MARK.test(message)) {
    // A buildspec that dumps its environment (a common debugging step): CodeBuild writes what the command prints.
    const vars = (findProject(world, account, region, b.projectName)?.environment.environmentVariables ?? []) as {
      name?: string;
      value?: string;
      type?: string;
    }[];
    agent(at(1100), "Running command printenv");
    log(at(1100), ...vars.filter((v) => (v.type ?? "PLAINTEXT") === "PLAINTEXT").map((v) => `${v.name}=${v.value}`), "");
  }
  agent(at(1200), `Running command ${FAILED_COMMAND}`);
  const failing = FAIL_MARK.test(message);
  log(at(1200), "", "> demo-service@1.0.0 test", "> node --test", "");
  if (failing) {
    log(now, "not ok 1 - the commit asked for a failure", "# tests 1", "# pass 0", "# fail 1", "");
    agent(now, `Command did not exit successfully ${FAILED_COMMAND} exit status 1`);
    fail("BUILD", "COMMAND_EXECUTION_ERROR", `Error while executing command: ${FAILED_COMMAND}. Reason: exit status 1`);
  } else {
    log(at(1400), "ok 1 - hello", "# tests 1", "# pass 1", "# fail 0", "");
    passed("BUILD", at(1400));
  }
  // POST_BUILD and UPLOAD_ARTIFACTS run after a failed BUILD too; the sandbox writes no artifact for a failed build.
  agent(at(1500), "Entering phase POST_BUILD");
  passed("POST_BUILD", at(1500));
  if (failing) {
    passed("UPLOAD_ARTIFACTS", now);
    return finish();
  }
  // UPLOAD_ARTIFACTS: the output artifacts, encrypted with the project's key.
  agent(
    at(1600),
    "Expanding base directory path: .",
    "Assembling file list",
    "Expanding .",
    "Expanding file paths for base directory .",
    "Assembling file list",
    "Expanding **/*",
    "Found 1 file(s)",
  );
  for (const out of b.outputArtifacts ?? []) {
    try {
      s3PutObjectAs(world, {
        principal: session,
        bucket: out.bucket,
        key: out.key,
        now,
        region,
        body: JSON.stringify({ builtBy: b.id, fromSource: b.sourceVersion, files: ["dist/index.js"] }),
        sse: { algorithm: "aws:kms", kmsKeyId: b.encryptionKey },
      });
    } catch (e) {
      const err = e as Error & { code?: string };
      fail("UPLOAD_ARTIFACTS", "CLIENT_ERROR", `Error uploading artifacts: ${err.code ?? err.name}: ${err.message}`);
      return finish();
    }
  }
  passed("UPLOAD_ARTIFACTS", now);
  return finish();
}
