/**
 * What each simulated action does when it runs. The Source (CodeCommit) action performs the real cross-account
 * checks with the current policies: CodePipeline assumes the pipeline role, the pipeline role assumes the action
 * role, the action role reads the branch and commit and writes the source artifact with the artifact key. The Build
 * (CodeBuild) action needs codebuild:StartBuild for the pipeline role, then the build (codebuild-builds.ts) reads and
 * writes artifacts as the project's service role. Failures carry AWS's message.
 */
import { authorize, canServiceAssumeRole, checkAssumeRole } from "../access";
import { randomBytes } from "node:crypto";
import type { Faults } from "../faults";
import { uuid } from "../ids";
import { denialMessage } from "../policy/evaluate";
import type { Principal } from "../policy/types";
import type { World } from "../state";
import { startBuild } from "./codebuild";
import { findProject, projectArn } from "./codebuild-store";
import { actionDuration, attachPipelineIo, buildLogPath, completeBuild, findBuild } from "./codebuild-builds";
import type { CodeCommitState } from "./codecommit-store";
import { repoArn } from "./codecommit-store";
import {
  type ActionExecutionRecord,
  type PipelineExecution,
  type PipelineRecord,
  parsePipelineArn,
  pipelineRoleSession,
  serviceRoleSession,
} from "./codepipeline-store";
import { s3PutObjectAs } from "./s3-store";

export const CODEPIPELINE_PRINCIPAL = "codepipeline.amazonaws.com";

const typeKey = (r: ActionExecutionRecord) =>
  `${r.input.actionTypeId.category}/${r.input.actionTypeId.owner}/${r.input.actionTypeId.provider}`;
export const isApproval = (r: ActionExecutionRecord) => typeKey(r) === "Approval/AWS/Manual";
export const isBuild = (r: ActionExecutionRecord) => /^(Build|Test)\/AWS\/CodeBuild$/.test(typeKey(r));
export const isCodeCommitSource = (r: ActionExecutionRecord) => typeKey(r) === "Source/AWS/CodeCommit";

export function failAction(rec: ActionExecutionRecord, message: string, now: number, code = "JobFailed"): void {
  rec.status = "Failed";
  rec.errorDetails = { code, message };
  rec.lastUpdateTime = now;
  rec.dueAt = undefined;
}

function artifactStoreOf(p: PipelineRecord, region: string): { location: string; encryptionKey?: { id: string; type: string } } {
  const d = p.declaration;
  return (d.artifactStore ?? d.artifactStores?.[region]) as { location: string; encryptionKey?: { id: string; type: string } };
}

/** Where CodePipeline writes an artifact: `<first 20 of the pipeline name>/<first 10 of the artifact name>/<random>`. */
export function artifactKey(pipelineName: string, artifactName: string): string {
  const rand = randomBytes(8)
    .toString("base64")
    .replace(/[^A-Za-z0-9]/g, "")
    .slice(0, 7)
    .padEnd(7, "x");
  return `${pipelineName.slice(0, 20)}/${artifactName.slice(0, 10)}/${rand}`;
}

export const commitUrl = (region: string, repo: string, commitId: string) =>
  `https://${region}.console.aws.amazon.com/codesuite/codecommit/repositories/${repo}/commit/${commitId}?region=${region}`;

/** CodePipeline acting with its service role: undefined + a failure message when it cannot. */
function pipelineActor(world: World, p: PipelineRecord, now: number, faults: Readonly<Faults>): { session?: Principal; problem?: string } {
  const { account } = parsePipelineArn(p.arn)!;
  const roleArn = String(p.declaration.roleArn);
  const ok = canServiceAssumeRole(world, CODEPIPELINE_PRINCIPAL, roleArn, {
    now,
    iamPropagationDelayMs: faults.iamPropagationDelayMs,
    sourceAccount: account,
    sourceArn: p.arn,
  });
  if (!ok.ok) return { problem: `CodePipeline is not authorized to perform AssumeRole on role ${roleArn}` };
  return { session: pipelineRoleSession(world, roleArn, p.name) };
}

// ---------------------------------------------------------------------------------------------------------------
// Source: CodeCommit
// ---------------------------------------------------------------------------------------------------------------

export function runCodeCommitSource(
  world: World,
  p: PipelineRecord,
  e: PipelineExecution,
  rec: ActionExecutionRecord,
  now: number,
  faults: Readonly<Faults>,
): void {
  const { region, account } = parsePipelineArn(p.arn)!;
  const fail = (m: string) => failAction(rec, m, now);
  const actor0 = pipelineActor(world, p, now, faults);
  if (!actor0.session) return fail(actor0.problem!);
  let actor = actor0.session;
  const roleArn = rec.input.roleArn;
  if (roleArn) {
    const sessionName = String(now);
    const r = checkAssumeRole(world, actor, roleArn, {
      now,
      iamPropagationDelayMs: faults.iamPropagationDelayMs,
      roleSessionName: sessionName,
    });
    if (!r.ok) return fail(r.message);
    actor = serviceRoleSession(world, roleArn, sessionName)!;
  }
  const repoName = rec.input.configuration.RepositoryName;
  const branch = rec.input.configuration.BranchName;
  const repoAccount = roleArn ? roleArn.split(":")[4] : account;
  const arn = repoArn(region, repoAccount, repoName);
  const can = (action: string): string | undefined => {
    const d = authorize(world, actor, action, arn, { now, region });
    if (d.decision === "allow") return undefined;
    return `The service role or action role doesn’t have the permissions required to access the AWS CodeCommit repository named ${repoName}. Update the IAM role permissions, and then try again. Error: ${denialMessage(actor.arn, action, arn, d)}`;
  };
  const denied = can("codecommit:GetBranch");
  if (denied) return fail(denied);
  const repo = (world.accounts[repoAccount]?.regions[region]?.codecommit as CodeCommitState | undefined)?.repositories[repoName];
  if (!repo) return fail(`The repository ${repoName} does not exist in account ${repoAccount} (${region})`);
  const override = e.sourceOverrides?.find((o) => o.actionName === rec.actionName);
  let commitId: string | undefined;
  if (override) {
    commitId = override.revisionValue;
    if (!repo.commits[commitId]) return fail(`Could not find commit ${commitId} in repository ${repoName}`);
  } else {
    // SUPERSEDED/QUEUED: the head at the moment of the push that started the execution; PARALLEL (or no push): the head now.
    const pushed =
      e.executionMode === "PARALLEL"
        ? undefined
        : e.pushedCommits?.find(
            (c) => c.account === repoAccount && c.region === region && c.repositoryName === repoName && c.branchName === branch,
          );
    commitId = pushed?.commitId ?? repo.branches[branch];
    if (!commitId) return fail(`No branch named ${branch} was found in repository ${repoName}`);
    if (!repo.commits[commitId]) return fail(`Could not find commit ${commitId} in repository ${repoName}`);
  }
  for (const action of ["codecommit:GetCommit", "codecommit:UploadArchive"]) {
    const d = can(action);
    if (d) return fail(d);
  }
  const commit = repo.commits[commitId];
  const store = artifactStoreOf(p, region);
  const outName = rec.outputArtifacts?.[0]?.name ?? "SourceOutput";
  const key = artifactKey(p.name, outName);
  // The "zip": the commit's snapshot as JSON (any bytes would do; the build reads the commit message from it).
  const body = JSON.stringify({
    repository: repoName,
    branch,
    commitId,
    message: commit.message,
    author: commit.author,
    files: Object.fromEntries(Object.entries(commit.files).map(([path, f]) => [path, repo.blobs[f.blobId]])),
  });
  try {
    s3PutObjectAs(world, {
      principal: actor,
      bucket: store.location,
      key,
      body,
      now,
      region,
      sse: store.encryptionKey ? { algorithm: "aws:kms", kmsKeyId: store.encryptionKey.id } : { algorithm: "aws:kms" },
    });
  } catch (err) {
    return fail((err as Error).message);
  }
  const url = commitUrl(region, repoName, commitId);
  rec.status = "Succeeded";
  rec.lastUpdateTime = now;
  rec.dueAt = undefined;
  rec.summary = commit.message;
  rec.externalExecutionId = commitId;
  rec.externalExecutionUrl = url;
  rec.outputArtifacts = [{ name: outName, s3location: { bucket: store.location, key } }];
  (e.artifacts ??= {})[outName] = { bucket: store.location, key };
  e.sourceRevisions = [
    ...e.sourceRevisions.filter((s) => s.actionName !== rec.actionName),
    { actionName: rec.actionName, revisionId: commitId, revisionSummary: commit.message, revisionUrl: url },
  ];
  e.artifactRevisions = [
    ...(e.artifactRevisions ?? []).filter((a) => a.name !== outName),
    { name: outName, revisionId: commitId, revisionSummary: commit.message, revisionUrl: url, created: now },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Build: CodeBuild
// ---------------------------------------------------------------------------------------------------------------

export function startBuildAction(
  world: World,
  p: PipelineRecord,
  e: PipelineExecution,
  rec: ActionExecutionRecord,
  now: number,
  faults: Readonly<Faults>,
): void {
  const { region, account } = parsePipelineArn(p.arn)!;
  const fail = (m: string) => failAction(rec, m, now);
  const actor = pipelineActor(world, p, now, faults);
  if (!actor.session) return fail(actor.problem!);
  const projectName = rec.input.configuration.ProjectName;
  const arn = projectArn(region, account, projectName);
  const d = authorize(world, actor.session, "codebuild:StartBuild", arn, { now, region });
  if (d.decision !== "allow") return fail(denialMessage(actor.session.arn, "codebuild:StartBuild", arn, d));
  if (!findProject(world, account, region, projectName)) return fail(`Project cannot be found: ${arn}`);
  const inputs: { name: string; bucket: string; key: string }[] = [];
  for (const a of rec.input.inputArtifacts) {
    const loc = e.artifacts?.[a.name];
    if (!loc) return fail(`Input artifact ${a.name} is not available: no earlier action of this execution produced it`);
    a.s3location = loc;
    inputs.push({ name: a.name, ...loc });
  }
  const store = artifactStoreOf(p, region);
  const outputs = (rec.outputArtifacts ?? []).map((o) => ({ name: o.name, bucket: store.location, key: artifactKey(p.name, o.name) }));
  const b = startBuild(world, {
    account,
    region,
    projectName,
    initiator: `codepipeline/${p.name}`,
    now,
    durationMs: actionDuration(faults, "Build"),
  });
  attachPipelineIo(b, { inputs, outputs, pipelineExecutionId: e.pipelineExecutionId });
  rec.buildId = b.id;
  rec.externalExecutionId = b.id;
  rec.externalExecutionUrl = buildLogPath(b.id);
}

/** Settle a Build action from its build: true once the action has a final status. */
export function settleBuildAction(world: World, e: PipelineExecution, rec: ActionExecutionRecord, now: number): boolean {
  const b = rec.buildId ? findBuild(world, rec.buildId) : undefined;
  if (!b) {
    failAction(rec, `Build ${rec.buildId} was not found`, now);
    return true;
  }
  if (b.buildStatus === "IN_PROGRESS") {
    if ((b.dueAt ?? 0) > now) return false;
    completeBuild(world, b, now);
  }
  if (b.buildStatus === "SUCCEEDED") {
    rec.status = "Succeeded";
    rec.lastUpdateTime = now;
    rec.outputArtifacts = (b.outputArtifacts ?? []).map((o) => ({ name: o.name, s3location: { bucket: o.bucket, key: o.key } }));
    for (const o of b.outputArtifacts ?? []) (e.artifacts ??= {})[o.name] = { bucket: o.bucket, key: o.key };
    return true;
  }
  const f = b.failure;
  failAction(
    rec,
    f
      ? `Build terminated with state: ${b.buildStatus}. Phase: ${f.phase}, Code: ${f.code}, Message: ${f.message}`
      : `Build terminated with state: ${b.buildStatus}`,
    now,
  );
  return true;
}

/** A pipeline Build action was abandoned: stop its build. */
export function buildOf(world: World, rec: ActionExecutionRecord) {
  return rec.buildId ? findBuild(world, rec.buildId) : undefined;
}

export const newToken = () => uuid();
