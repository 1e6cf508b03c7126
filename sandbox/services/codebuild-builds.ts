/**
 * Simulated CodeBuild builds: a build started by StartBuild or by a pipeline's Build action runs for a configurable
 * time, then (as the project's service role) downloads its input artifacts (s3:GetObject + kms:Decrypt), "runs" the
 * buildspec, and uploads its output artifacts (s3:PutObject + kms:GenerateDataKey with the project's key). A source
 * whose commit message contains `[fail]` or `[build-fail]` fails the BUILD phase. Every build keeps a log, served
 * as text by `GET /_sandbox/codebuild/builds/<id>/log` (the build's `logs.deepLink`).
 */
import { canServiceAssumeRole } from "../access";
import type { Faults } from "../faults";
import type { WireResponse } from "../protocols/types";
import type { World } from "../state";
import { type BuildPhaseRecord, type BuildRecord, type CodeBuildState, CODEBUILD_SERVICE_PRINCIPAL, projectArn } from "./codebuild";
import { serviceRoleSession } from "./codepipeline-store";
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

export interface Runner { kick(): void; baseUrl(): string | undefined }
const runners = new WeakMap<World, Runner>();
export const registerRunner = (world: World, r: Runner) => runners.set(world, r);
export const unregisterRunner = (world: World, r: Runner) => { if (runners.get(world) === r) runners.delete(world); };
/** Wake the engine of this world (something new is due). */
export const kickEngine = (world: World) => runners.get(world)?.kick();
export const baseUrlOf = (world: World) => runners.get(world)?.baseUrl();

// ---------------------------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------------------------

export const buildLogPath = (id: string) => `/_sandbox/codebuild/builds/${encodeURIComponent(id)}/log`;
const secs = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

export function buildJson(b: BuildRecord, baseUrl: string | undefined) {
  const [region, account] = b.arn.split(":").slice(3, 5);
  const groupName = `/aws/codebuild/${b.projectName}`;
  const streamName = b.id.slice(b.id.indexOf(":") + 1);
  return {
    id: b.id, arn: b.arn, buildNumber: b.buildNumber, projectName: b.projectName, startTime: secs(b.startTime),
    endTime: secs(b.endTime), currentPhase: b.currentPhase, buildStatus: b.buildStatus,
    buildComplete: b.buildStatus !== "IN_PROGRESS", sourceVersion: b.sourceVersion, initiator: b.initiator,
    serviceRole: b.serviceRole, encryptionKey: b.encryptionKey,
    phases: b.phases.map((p) => ({
      phaseType: p.phaseType, phaseStatus: p.phaseStatus, startTime: secs(p.startTime), endTime: secs(p.endTime),
      durationInSeconds: p.endTime !== undefined && p.startTime !== undefined ? Math.round((p.endTime - p.startTime) / 1000) : undefined,
      contexts: p.contexts,
    })),
    logs: {
      groupName, streamName, deepLink: `${baseUrl ?? ""}${buildLogPath(b.id)}`,
      cloudWatchLogsArn: `arn:aws:logs:${region}:${account}:log-group:${groupName}:log-stream:${streamName}`,
      cloudWatchLogs: { status: "ENABLED" }, s3Logs: { status: "DISABLED", encryptionDisabled: false },
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
  const body = (b.logLines ?? []).join("\n") + (b.buildStatus === "IN_PROGRESS" ? "\n[Container] (build in progress)\n" : "\n");
  return { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body };
}

// ---------------------------------------------------------------------------------------------------------------
// Running a build
// ---------------------------------------------------------------------------------------------------------------

const stamp = (ms: number) => {
  const d = new Date(ms).toISOString(); // 2024-01-01T12:00:00.000Z
  return `${d.slice(0, 10).replace(/-/g, "/")} ${d.slice(11, 23)}000`;
};
const FAIL_MARK = /\[(build-)?fail\]/i;
const FAILED_COMMAND = "npm test";

/** Mark the pipeline-facing parts of a build started for a pipeline Build action. */
export function attachPipelineIo(b: BuildRecord, io: { inputs: { name: string; bucket: string; key: string }[]; outputs: { name: string; bucket: string; key: string }[]; pipelineExecutionId: string }) {
  b.inputArtifacts = io.inputs;
  b.outputArtifacts = io.outputs;
  b.pipelineExecutionId = io.pipelineExecutionId;
  b.sourceVersion = io.inputs[0] ? `arn:aws:s3:::${io.inputs[0].bucket}/${io.inputs[0].key}` : b.sourceVersion;
  b.logLines = [`[Container] ${stamp(b.startTime)} Running on CodeBuild On-demand`, `[Container] ${stamp(b.startTime)} Waiting for agent ping`];
  b.currentPhase = "BUILD";
}

/** Stop a running build (pipeline stop and abandon). */
export function stopBuild(b: BuildRecord, now: number): void {
  if (b.buildStatus !== "IN_PROGRESS") return;
  b.buildStatus = "STOPPED";
  b.currentPhase = "COMPLETED";
  b.endTime = now;
  b.dueAt = undefined;
  b.logLines = [...(b.logLines ?? []), `[Container] ${stamp(now)} Build stopped`];
  closePhases(b, now, "STOPPED");
}

function closePhases(b: BuildRecord, now: number, status: string) {
  for (const p of b.phases) if (!p.phaseStatus) { p.phaseStatus = status; p.endTime = now; }
  b.phases.push({ phaseType: "COMPLETED", startTime: now });
}

/**
 * Finish a build whose time is up: every check happens now, against the current policies. Returns the build
 * (status SUCCEEDED or FAILED, with `failure`).
 */
export function completeBuild(world: World, b: BuildRecord, now: number): BuildRecord {
  if (b.buildStatus !== "IN_PROGRESS") return b;
  b.dueAt = undefined;
  const [region, account] = b.arn.split(":").slice(3, 5);
  const log = (b.logLines ??= []);
  const at = (offset: number) => b.startTime + Math.min(offset, Math.max(0, now - b.startTime));
  const phases: BuildPhaseRecord[] = b.phases.filter((p) => p.phaseType === "SUBMITTED");
  const phase = (phaseType: string, status = "SUCCEEDED", contexts?: BuildPhaseRecord["contexts"]) => {
    const start = phases.length ? (phases[phases.length - 1].endTime ?? now) : b.startTime;
    const p: BuildPhaseRecord = { phaseType, phaseStatus: status, startTime: start, endTime: Math.max(start, at(phases.length * 200)), contexts: contexts ?? (status === "SUCCEEDED" ? [{ statusCode: "", message: "" }] : undefined) };
    phases.push(p);
    return p;
  };
  const fail = (phaseType: string, code: string, message: string) => {
    phase(phaseType, "FAILED", [{ statusCode: code, message }]);
    log.push(`[Container] ${stamp(now)} Phase complete: ${phaseType} State: FAILED`);
    log.push(`[Container] ${stamp(now)} Phase context status code: ${code} Message: ${message}`);
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
    ? canServiceAssumeRole(world, CODEBUILD_SERVICE_PRINCIPAL, b.serviceRole, { now, sourceAccount, sourceArn: projectArn(region, account, b.projectName) })
    : { ok: false as const, action: "sts:AssumeRole", reason: "no service role", message: "no service role" };
  if (!assume.ok) {
    fail("PROVISIONING", "CLIENT_ERROR", `CodeBuild is not authorized to perform: sts:AssumeRole on ${b.serviceRole}`);
    return finish();
  }
  const session = serviceRoleSession(world, b.serviceRole!, `AWSCodeBuild-${b.id.slice(b.id.indexOf(":") + 1)}`)!;
  phase("PROVISIONING");
  log.push(`[Container] ${stamp(at(400))} Phase is DOWNLOAD_SOURCE`);
  // DOWNLOAD_SOURCE: the input artifacts, as the project's service role (s3:GetObject + kms:Decrypt).
  let message = "";
  for (const input of b.inputArtifacts ?? []) {
    try {
      const got = s3GetObjectAs(world, { principal: session, bucket: input.bucket, key: input.key, now, region });
      try { message = String((JSON.parse(got.body.toString("utf8")) as { message?: string }).message ?? message); } catch { /* not a sandbox source artifact */ }
    } catch (e) {
      const err = e as Error & { code?: string };
      fail("DOWNLOAD_SOURCE", "CLIENT_ERROR", `${err.code ?? err.name}: ${err.message} for primary source and source version arn:aws:s3:::${input.bucket}/${input.key}`);
      return finish();
    }
  }
  if (!b.inputArtifacts?.length) log.push(`[Container] ${stamp(at(400))} No source (started outside CodePipeline)`);
  phase("DOWNLOAD_SOURCE");
  log.push(`[Container] ${stamp(at(600))} CODEBUILD_SRC_DIR=/codebuild/output/src${b.buildNumber}/src`);
  log.push(`[Container] ${stamp(at(600))} YAML location is /codebuild/output/src${b.buildNumber}/src/buildspec.yml`);
  log.push(`[Container] ${stamp(at(600))} Processing environment variables`);
  phase("INSTALL");
  phase("PRE_BUILD");
  log.push(`[Container] ${stamp(at(1000))} Entering phase BUILD`);
  log.push(`[Container] ${stamp(at(1000))} Running command echo build`);
  log.push("build");
  log.push(`[Container] ${stamp(at(1200))} Running command ${FAILED_COMMAND}`);
  if (FAIL_MARK.test(message)) {
    log.push("", "> demo-service@1.0.0 test", "> node --test", "", "not ok 1 - the commit asked for a failure", "# fail 1");
    log.push(`[Container] ${stamp(now)} Command did not exit successfully ${FAILED_COMMAND} exit status 1`);
    fail("BUILD", "COMMAND_EXECUTION_ERROR", `Error while executing command: ${FAILED_COMMAND}. Reason: exit status 1`);
    phase("POST_BUILD");
    phase("UPLOAD_ARTIFACTS");
    return finish();
  }
  log.push("", "> demo-service@1.0.0 test", "> node --test", "", "ok 1 - hello", "# pass 1");
  log.push(`[Container] ${stamp(now)} Phase complete: BUILD State: SUCCEEDED`);
  phase("BUILD");
  phase("POST_BUILD");
  // UPLOAD_ARTIFACTS: the output artifacts, encrypted with the project's key.
  for (const out of b.outputArtifacts ?? []) {
    try {
      s3PutObjectAs(world, {
        principal: session, bucket: out.bucket, key: out.key, now, region,
        body: JSON.stringify({ builtBy: b.id, fromSource: b.sourceVersion, files: ["dist/index.js"] }),
        sse: { algorithm: "aws:kms", kmsKeyId: b.encryptionKey },
      });
    } catch (e) {
      const err = e as Error & { code?: string };
      fail("UPLOAD_ARTIFACTS", "CLIENT_ERROR", `${err.code ?? err.name}: ${err.message}`);
      return finish();
    }
  }
  phase("UPLOAD_ARTIFACTS");
  log.push(`[Container] ${stamp(now)} Phase complete: UPLOAD_ARTIFACTS State: SUCCEEDED`);
  return finish();
}
