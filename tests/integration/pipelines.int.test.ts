// The pipeline dashboard and commands against the sandbox, with the real SDK and pipelines provisioned through
// the portal's runner: every command and every AWS refusal as its plain message, the dashboard's read budget
// (one state read + one execution read per pipeline per refresh, none within the cache window), and the two
// cross-account traps (a key policy without the repo account's grant, a bus without the repo account's
// permission) fixed by re-applying the onboarding.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DeletePipelineCommand, CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { GetKeyPolicyCommand, KMSClient, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { EventBridgeClient, RemovePermissionCommand } from "@aws-sdk/client-eventbridge";
import { IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { db } from "@/lib/db";
import { createOnboarding, startApply } from "@/lib/onboarding/service";
import { claimRun, executeRun } from "@/lib/worker-main/runner";
import { specOf } from "@/lib/runs/spec";
import { deriveResourceNames } from "@/lib/names/derive";
import { provisioningPolicyParts } from "@/lib/resources/provisioning-role";
import { UserFacingError } from "@/lib/core/errors";
import { loadDashboard } from "@/lib/pipelines/dashboard";
import { answerApproval, loadPipelineTarget, retryStage, simulatePush, startPipeline, stopPipeline } from "@/lib/pipelines/commands";
import {
  clearPipelineCaches,
  executionDetail,
  executionHistory,
  invalidatePipeline,
  pipelineSnapshot,
  type PipelineTarget,
} from "@/lib/pipelines/read";
import type { PipelineSnapshot } from "@/lib/pipelines/types";
import {
  calls,
  createRepository,
  ctxFor,
  freshAccountId,
  registerAccount,
  resetCalls,
  rootClient,
  setFaults,
  testUser,
} from "../support/world";

const REPO = "222222222222";
const ACTION_MS = 50;
const fastRetry = { retryableBudgetMs: 60_000, propagationBudgetMs: 60_000, baseDelayMs: 50, maxDelayMs: 2_000 };

let engineer: Awaited<ReturnType<typeof testUser>>;
let repoDbId: string;
let seq = 0;

beforeAll(async () => {
  engineer = await testUser("engineer");
  repoDbId = (await registerAccount(REPO, "repo", "Demo repo")).id;
  await setFaults({ actionMs: ACTION_MS });
});
afterEach(async () => {
  await setFaults({ actionMs: ACTION_MS });
});
afterAll(async () => {
  await setFaults({});
});

const ctx = () => ctxFor(engineer);

/** Runs an apply of the onboarding through the durable runner, to the end. */
async function apply(onboardingId: string) {
  const run = await startApply(onboardingId, ctx());
  expect(await claimRun(run.id, "pipelines-test")).toBe(true);
  const outcome = await executeRun(run.id, { workerId: "pipelines-test", retry: fastRetry, heartbeatMs: 200 });
  const failures = (await db.runStep.findMany({ where: { runId: run.id, status: "failed" } })).map(
    (s) => `${s.stepKey}: ${s.errorMessage}`,
  );
  expect({ outcome, failures }).toEqual({ outcome: "succeeded", failures: [] });
}

/** A repository of its own (so pushes start only this test's pipelines) onboarded and applied. */
async function provision(opts: { tools?: string; type?: "V1" | "V2"; approval?: boolean } = {}) {
  const toolsId = opts.tools ?? freshAccountId(5);
  const tools = await registerAccount(toolsId, "tools");
  const repositoryName = `pipes-${Date.now().toString(36)}-${++seq}`;
  const firstCommit = await createRepository(REPO, repositoryName);
  const pipelineName = `${repositoryName}-main`;
  const o = await createOnboarding(
    {
      toolsAccountId: tools.id,
      repoAccountId: repoDbId,
      region: "us-east-1",
      repositoryName,
      branchName: "main",
      pipelineName,
      pipelineType: opts.type ?? "V1",
      buildMode: "create",
      buildProject: `${pipelineName}-build`,
      approval: opts.approval ?? true,
    },
    ctx(),
  );
  await apply(o.id);
  const t = await loadPipelineTarget(o.id);
  return {
    t,
    toolsId,
    firstCommit,
    names: deriveResourceNames(
      specOf(await db.onboarding.findUniqueOrThrow({ where: { id: o.id }, include: { toolsAccount: true, repoAccount: true } })),
    ),
  };
}

/** Polls the pipeline (bypassing the cache) until `pred` holds. Timeouts are generous: nothing here measures speed. */
async function until(t: PipelineTarget, pred: (s: PipelineSnapshot) => boolean, what: string, ms = 20_000): Promise<PipelineSnapshot> {
  const end = Date.now() + ms;
  for (;;) {
    invalidatePipeline(t.id);
    const s = await pipelineSnapshot(t, engineer.email);
    if (pred(s)) return s;
    if (Date.now() > end)
      throw new Error(
        `timed out waiting for ${what}: ${JSON.stringify({ latest: s.latest, stages: s.stages.map((x) => [x.name, x.status, x.actions.map((a) => [a.name, a.status, a.errorMessage])]), error: s.error })}`,
      );
    await new Promise((r) => setTimeout(r, 25));
  }
}

const stage = (s: PipelineSnapshot, name: string) => s.stages.find((x) => x.name === name)!;
const pendingApproval = (s: PipelineSnapshot) =>
  stage(s, "Approval")?.actions[0]?.status === "InProgress" && !!stage(s, "Approval").actions[0].token;
const tokenOf = (s: PipelineSnapshot) => stage(s, "Approval").actions[0].token!;

/** The plain message of a command's refusal. */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof UserFacingError) return e.message;
    throw e;
  }
  throw new Error("the command was accepted");
}

const lastAudit = (action: string) => db.auditEvent.findFirst({ where: { action }, orderBy: { seq: "desc" } });

async function approve(t: PipelineTarget, comment = "ship it") {
  const s = await until(t, pendingApproval, "a pending approval");
  return answerApproval(
    {
      id: t.id,
      stageName: "Approval",
      actionName: stage(s, "Approval").actions[0].name,
      executionId: stage(s, "Approval").executionId!,
      token: tokenOf(s),
      decision: "Approved",
      comment,
    },
    ctx(),
  );
}

describe("the dashboard's reads", () => {
  let a: Awaited<ReturnType<typeof provision>>;
  let b: Awaited<ReturnType<typeof provision>>;

  beforeAll(async () => {
    a = await provision({ approval: false });
    b = await provision({ tools: a.toolsId, approval: false });
  });

  it("makes at most one GetPipelineState and one ListPipelineExecutions per pipeline per refresh, none within the cache window, one fetch for concurrent viewers", async () => {
    await until(a.t, (s) => s.latest?.status === "Succeeded" && stage(s, "Build").status === "Succeeded", "the first run of a");
    await until(b.t, (s) => s.latest?.status === "Succeeded" && stage(s, "Build").status === "Succeeded", "the first run of b");
    const viewer = await testUser("viewer");
    // Warm the clients (AssumeRole) and the commit authors, then measure a cold refresh.
    await loadDashboard({ account: a.toolsId }, engineer.email);
    clearPipelineCaches();
    await resetCalls();
    const data = await loadDashboard({ account: a.toolsId }, engineer.email);
    expect(data.rows.map((r) => r.onboarding.pipelineName).sort()).toEqual([a.t.pipelineName, b.t.pipelineName].sort());
    const cold = (await calls()).map((c) => c.action);
    expect(cold.filter((x) => x === "GetPipelineState")).toHaveLength(2);
    expect(cold.filter((x) => x === "ListPipelineExecutions")).toHaveLength(2);
    expect(cold.filter((x) => x !== "GetPipelineState" && x !== "ListPipelineExecutions")).toEqual([]); // no AssumeRole, no GetCommit
    for (const r of data.rows) {
      expect(r.snapshot.latest?.status).toBe("Succeeded");
      expect(r.snapshot.stages.map((s) => [s.name, s.status])).toEqual([
        ["Source", "Succeeded"],
        ["Build", "Succeeded"],
      ]);
      expect(r.snapshot.latest?.sourceRevisions[0]).toMatchObject({
        commitId: expect.stringMatching(/^[0-9a-f]{40}$/),
        message: "initial",
        author: { name: "Test", email: "test@example.com" },
      });
    }

    // Within the cache window: nothing, whoever asks.
    await resetCalls();
    await loadDashboard({ account: a.toolsId }, engineer.email);
    await loadDashboard({ account: a.toolsId }, viewer.email);
    expect(await calls()).toEqual([]);

    // Concurrent viewers of a cold cache share one fetch per pipeline.
    clearPipelineCaches();
    await resetCalls();
    await Promise.all([1, 2, 3, 4, 5].map(() => loadDashboard({ account: a.toolsId }, engineer.email)));
    const shared = (await calls()).map((c) => c.action);
    expect(shared.filter((x) => x === "GetPipelineState")).toHaveLength(2);
    expect(shared.filter((x) => x === "ListPipelineExecutions")).toHaveLength(2);
  });

  it("filters by status and text on the server, and a command invalidates only its pipeline", async () => {
    const byText = await loadDashboard({ account: a.toolsId, q: b.t.repositoryName }, engineer.email);
    expect(byText.rows.map((r) => r.onboarding.id)).toEqual([b.t.id]);
    expect((await loadDashboard({ account: a.toolsId, status: "Failed" }, engineer.email)).rows).toEqual([]);
    expect((await loadDashboard({ account: a.toolsId, status: "Succeeded" }, engineer.email)).rows).toHaveLength(2);

    await loadDashboard({ account: a.toolsId }, engineer.email);
    await startPipeline({ id: a.t.id }, ctx());
    await resetCalls();
    const after = await loadDashboard({ account: a.toolsId }, engineer.email);
    const actions = (await calls()).map((c) => c.action);
    expect(actions.filter((x) => x === "GetPipelineState")).toHaveLength(1); // a only: b is still cached
    expect(after.rows.find((r) => r.onboarding.id === a.t.id)?.snapshot.latest?.triggerType).toBe("StartPipelineExecution");
  });

  it("shows a pipeline that no longer exists as a row with a plain error, and Start says so", async () => {
    const ghostName = `ghost-${Date.now()}`;
    const ghost = await db.onboarding.create({
      data: {
        toolsAccountId: a.t.toolsAccount.id,
        repoAccountId: repoDbId,
        region: "us-east-1",
        repositoryName: a.t.repositoryName,
        branchName: "main",
        pipelineName: ghostName,
        buildMode: "create",
        buildProject: `${ghostName}-build`,
        status: "active",
        pipelineArn: `arn:aws:codepipeline:us-east-1:${a.toolsId}:${ghostName}`,
      },
    });
    const row = (await loadDashboard({ account: a.toolsId, q: ghostName }, engineer.email)).rows[0];
    expect(row.snapshot.error?.message).toBe(
      `The pipeline ${ghostName} no longer exists in tools ${a.toolsId} (${a.toolsId}), us-east-1. Re-apply the onboarding to create it again.`,
    );
    expect((await loadDashboard({ account: a.toolsId, status: "error" }, engineer.email)).rows.map((r) => r.onboarding.id)).toEqual([
      ghost.id,
    ]);
    expect(await refusal(startPipeline({ id: ghost.id }, ctx()))).toMatch(
      new RegExp(
        `^The pipeline ${ghostName} no longer exists in .* Re-apply the onboarding to create it again\\. \\(AWS request id [\\w-]+\\)$`,
      ),
    );
    const ev = await lastAudit("pipelines.start");
    expect(ev).toMatchObject({ outcome: "failure", targetType: "pipeline", targetId: ghost.id, actorEmail: engineer.email });
    expect(ev?.requestIds).toMatch(/^[\w-]+$/);
    await db.onboarding.delete({ where: { id: ghost.id } });
  });
});

describe("commands", () => {
  let p: Awaited<ReturnType<typeof provision>>;
  beforeAll(async () => {
    p = await provision({ type: "V1", approval: true });
  });

  it("approves with a comment (audited with the request id); a stale token and a second answer get plain messages; a rejection needs a comment", async () => {
    const s = await until(p.t, pendingApproval, "the first run's approval");
    const actionName = stage(s, "Approval").actions[0].name;
    const token = tokenOf(s);
    const executionId = stage(s, "Approval").executionId!;
    const answer = (over: Partial<Parameters<typeof answerApproval>[0]>) =>
      answerApproval(
        { id: p.t.id, stageName: "Approval", actionName, executionId, token, decision: "Approved", comment: "", ...over },
        ctx(),
      );

    expect(await refusal(answer({ decision: "Rejected" }))).toBe("Please correct the highlighted fields.");
    // A token that is not the pending request's is refused before anything is sent (approvals.int.test.ts has more).
    expect(await refusal(answer({ token: "00000000-0000-4000-8000-000000000000", comment: "x" }))).toBe(
      `Nothing was sent: the approval request of Approval / ${actionName} changed since the page was loaded. Review the current request.`,
    );
    expect((await lastAudit("pipelines.approve"))?.outcome).toBe("failure");

    expect((await answer({ comment: "looks good" })).message).toBe(
      `Approved Approval / ${actionName} of execution ${executionId.slice(0, 8)} (commit ${p.firstCommit.slice(0, 7)}).`,
    );
    const ev = await lastAudit("pipelines.approve");
    expect(ev).toMatchObject({ outcome: "success", targetType: "pipeline", targetId: p.t.id, actorEmail: engineer.email });
    expect(ev?.requestIds).toMatch(/^[\w-]+$/);
    expect(JSON.parse(ev!.details)).toMatchObject({
      decision: "Approved",
      comment: "looks good",
      stageName: "Approval",
      pipelineName: p.t.pipelineName,
    });

    expect(await refusal(answer({ comment: "again" }))).toMatch(
      new RegExp(
        `^Nothing was sent: Approval / ${actionName} of execution ${executionId.slice(0, 8)} is no longer waiting for an answer \\(it is Succeeded\\)\\.$`,
      ),
    );
    const done = await until(
      p.t,
      (x) => x.latest?.status === "Succeeded" && stage(x, "Build").status === "Succeeded",
      "the approved run to succeed",
    );
    expect(stage(done, "Approval").actions[0]).toMatchObject({ status: "Succeeded", summary: "looks good" });
  });

  it("starts (no revision override on V1), refuses a second start while busy, stops and wait, refuses a duplicate stop, abandons, refuses stopping a stopped run", async () => {
    const override = startPipeline({ id: p.t.id, commitId: p.firstCommit }, ctx());
    await expect(override).rejects.toMatchObject({
      fieldErrors: { commitId: [expect.stringContaining(`A source revision override needs a V2 pipeline; ${p.t.pipelineName} is V1.`)] },
    });

    await setFaults({ actionMs: 60_000 }); // the Source action stays busy for the whole test
    const started = await startPipeline({ id: p.t.id }, ctx());
    expect(started.message).toBe(`Started execution ${started.executionId.slice(0, 8)}.`);
    expect(await lastAudit("pipelines.start")).toMatchObject({
      outcome: "success",
      targetId: p.t.id,
      requestIds: expect.stringMatching(/^[\w-]+$/),
    });
    expect(await refusal(startPipeline({ id: p.t.id }, ctx()))).toMatch(
      new RegExp(
        `^${p.t.pipelineName} is busy: .*in progress in stage Source\\. Wait for the running execution to finish \\(or stop it\\), then try again\\. \\(AWS request id [\\w-]+\\)$`,
      ),
    );

    const stop = (mode: "wait" | "abandon", reason?: string) =>
      stopPipeline({ id: p.t.id, executionId: started.executionId, mode, reason }, ctx());
    expect((await stop("wait", "testing stop")).message).toBe(
      `Execution ${started.executionId.slice(0, 8)} is stopping: running actions finish first, then it stops.`,
    );
    expect((await until(p.t, (s) => s.latest?.status === "Stopping", "Stopping")).latest?.stopReason).toBe("testing stop");
    expect(await refusal(stop("wait"))).toMatch(
      /is already stopping \(stop and wait was requested before\)\. To stop it at once, choose “Stop and abandon”\./,
    );
    expect((await stop("abandon", "now")).message).toBe(
      `Execution ${started.executionId.slice(0, 8)} stopped: running actions were abandoned.`,
    );
    await until(p.t, (s) => s.latest?.status === "Stopped", "Stopped");
    expect(await refusal(stop("abandon"))).toMatch(
      new RegExp(
        `^Execution ${started.executionId.slice(0, 8)} cannot be stopped: it is no longer running \\(.*Stopped state\\)\\. \\(AWS request id [\\w-]+\\)$`,
      ),
    );
    const ev = await lastAudit("pipelines.stop");
    expect(ev).toMatchObject({ outcome: "failure", targetId: p.t.id });
    expect(JSON.parse(ev!.details)).toMatchObject({
      error: "PipelineExecutionNotStoppableException",
      executionId: started.executionId,
      abandon: true,
    });
  });

  it("a [fail] push fails the build with a log link; retry refuses a succeeded stage and an out-of-date execution; retries the failed build", async () => {
    const pushed = await simulatePush({ id: p.t.id, message: "Break it [fail]" }, ctx());
    expect(pushed.executionIds).toHaveLength(1);
    expect(pushed.message).toBe(
      `Pushed ${pushed.commitId.slice(0, 7)} to ${p.t.repositoryName}@main: execution ${pushed.executionIds[0].slice(0, 8)} started.`,
    );
    expect(await lastAudit("pipelines.simulatePush")).toMatchObject({ outcome: "success", targetId: p.t.id });
    const first = pushed.executionIds[0];
    await approve(p.t);
    const failed = await until(
      p.t,
      (s) => s.latest?.id === first && s.latest.status === "Failed" && stage(s, "Build").status === "Failed",
      "the build to fail",
    );
    expect(stage(failed, "Build").status).toBe("Failed");
    expect(failed.latest?.sourceRevisions[0]).toMatchObject({
      commitId: pushed.commitId,
      message: "Break it [fail]",
      author: { name: engineer.name, email: engineer.email },
    });

    const detail = await executionDetail(p.t, first, engineer.email);
    expect(detail.execution).toMatchObject({ id: first, status: "Failed", triggerType: "CloudWatchEvent" });
    const build = detail.actions.find((x) => x.actionName === "Build")!;
    expect(build).toMatchObject({
      status: "Failed",
      provider: "CodeBuild",
      errorMessage: expect.stringContaining("Build terminated with state: FAILED"),
    });
    expect(build.logsUrl).toMatch(/\/_sandbox\/codebuild\/builds\/.+\/log$/);
    expect(await (await fetch(build.logsUrl!)).text()).toContain("Phase complete: BUILD State: FAILED");

    expect(await refusal(retryStage({ id: p.t.id, executionId: first, stageName: "Source", mode: "FAILED_ACTIONS" }, ctx()))).toMatch(
      /^Stage Source of execution [0-9a-f]{8} cannot be retried now: only a failed or stopped stage of a finished execution can be retried\./,
    );
    expect((await retryStage({ id: p.t.id, executionId: first, stageName: "Build", mode: "FAILED_ACTIONS" }, ctx())).message).toBe(
      "Retrying the failed actions of stage Build.",
    );
    expect(JSON.parse((await lastAudit("pipelines.retry"))!.details)).toMatchObject({
      stageName: "Build",
      retryMode: "FAILED_ACTIONS",
      executionId: first,
    });
    await until(
      p.t,
      (s) => s.latest?.id === first && s.latest.status === "Failed",
      "the retried build to fail again ([fail] is still in the commit)",
    );

    // A newer execution runs Build: the old one may no longer retry it.
    const fixed = await simulatePush({ id: p.t.id, message: "Fix it" }, ctx());
    await approve(p.t);
    await until(p.t, (s) => s.latest?.id === fixed.executionIds[0] && s.latest.status === "Succeeded", "the fix to succeed");
    expect(await refusal(retryStage({ id: p.t.id, executionId: first, stageName: "Build", mode: "ALL_ACTIONS" }, ctx()))).toMatch(
      /^Stage Build has been run by a newer execution since execution [0-9a-f]{8}: only the latest execution of a stage can be retried\./,
    );

    // History, newest first, paged with AWS's nextToken.
    const page1 = await executionHistory(p.t, undefined, engineer.email, 2);
    expect(page1.executions.map((e) => e.id)).toEqual([fixed.executionIds[0], first]);
    expect(page1.nextToken).toBeTruthy();
    const page2 = await executionHistory(p.t, page1.nextToken, engineer.email, 2);
    expect(page2.executions.length).toBeGreaterThan(0);
    expect(page2.executions.map((e) => e.id)).not.toContain(first);
  });

  it("names the provisioning role and the missing permission when AWS denies a command", async () => {
    const iam = rootClient(IAMClient, p.toolsId);
    const allowed = provisioningPolicyParts({ accountId: p.toolsId, purpose: "tools" }).inline;
    const denied = {
      ...allowed,
      Statement: [
        ...allowed.Statement,
        { Sid: "TestDenyStart", Effect: "Deny", Action: "codepipeline:StartPipelineExecution", Resource: "*" },
      ],
    };
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: "crossline-portal-provisioning",
        PolicyName: "portal-provisioning",
        PolicyDocument: JSON.stringify(denied),
      }),
    );
    try {
      expect(await refusal(startPipeline({ id: p.t.id }, ctx()))).toMatch(
        new RegExp(
          `^AWS denied the provisioning role arn:aws:iam::${p.toolsId}:role/crossline-portal-provisioning of tools ${p.toolsId} \\(${p.toolsId}\\) the permission codepipeline:StartPipelineExecution on arn:aws:codepipeline:us-east-1:${p.toolsId}:${p.t.pipelineName}\\. Add codepipeline:StartPipelineExecution to that role`,
        ),
      );
    } finally {
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: "crossline-portal-provisioning",
          PolicyName: "portal-provisioning",
          PolicyDocument: JSON.stringify(allowed),
        }),
      );
    }
  });
});

describe("a V2 pipeline", () => {
  it("starts at a given commit (source revision override)", async () => {
    const v2 = await provision({ type: "V2", approval: false });
    await until(v2.t, (s) => s.latest?.status === "Succeeded", "the first run");
    const pushed = await simulatePush({ id: v2.t.id, message: "second commit" }, ctx());
    await until(v2.t, (s) => s.latest?.id === pushed.executionIds[0] && s.latest.status === "Succeeded", "the pushed run");
    const started = await startPipeline({ id: v2.t.id, commitId: v2.firstCommit }, ctx());
    expect(started.message).toBe(`Started execution ${started.executionId.slice(0, 8)} at commit ${v2.firstCommit.slice(0, 7)}.`);
    const s = await until(v2.t, (x) => x.latest?.id === started.executionId && x.latest.status === "Succeeded", "the override run");
    expect(s.latest?.sourceRevisions[0]).toMatchObject({ commitId: v2.firstCommit, message: "initial" });
  });
});

describe("cross-account traps, fixed by re-applying the onboarding", () => {
  it("a key policy without the repo account's grant fails the Source action with KMS's denial on the execution detail; after a re-apply, Retry succeeds", async () => {
    const x = await provision({ approval: false });
    await until(x.t, (s) => s.latest?.status === "Succeeded", "the first run");
    const kms = rootClient(KMSClient, x.toolsId);
    const keyId = x.names.artifactStore.kmsAlias;
    const policy = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: "default" }))).Policy!) as {
      Statement: { Sid?: string }[];
    };
    expect(policy.Statement.some((st) => st.Sid === x.names.sids.keyRepoAccountsUse)).toBe(true);
    await kms.send(
      new PutKeyPolicyCommand({
        KeyId: keyId,
        PolicyName: "default",
        Policy: JSON.stringify({ ...policy, Statement: policy.Statement.filter((st) => st.Sid !== x.names.sids.keyRepoAccountsUse) }),
      }),
    );

    const pushed = await simulatePush({ id: x.t.id, message: "needs the key" }, ctx());
    const execId = pushed.executionIds[0];
    const failed = await until(
      x.t,
      (s) => s.latest?.id === execId && s.latest.status === "Failed" && stage(s, "Source").status === "Failed",
      "Source to fail",
    );
    expect(stage(failed, "Source").actions[0].errorMessage).toMatch(/kms:GenerateDataKey/);
    const detail = await executionDetail(x.t, execId, engineer.email);
    const source = detail.actions.find((a) => a.actionName === "Source")!;
    expect(source.status).toBe("Failed");
    expect(source.errorMessage).toMatch(
      new RegExp(
        `User: arn:aws:sts::${REPO}:assumed-role/.*xacct-source/.* is not authorized to perform: kms:GenerateDataKey on resource: arn:aws:kms:us-east-1:${x.toolsId}:key/`,
      ),
    );

    await apply(x.t.id);
    expect((await retryStage({ id: x.t.id, executionId: execId, stageName: "Source", mode: "FAILED_ACTIONS" }, ctx())).message).toBe(
      "Retrying the failed actions of stage Source.",
    );
    const ok = await until(
      x.t,
      (s) => s.latest?.id === execId && s.latest.status === "Succeeded" && stage(s, "Source").status === "Succeeded",
      "the retried run to succeed",
    );
    expect(stage(ok, "Source").status).toBe("Succeeded");
  });

  it("without the event bus permission a push starts nothing (and says so); after a re-apply a push starts a run", async () => {
    const x = await provision({ approval: false });
    await until(x.t, (s) => s.latest?.status === "Succeeded", "the first run");
    await rootClient(EventBridgeClient, x.toolsId).send(
      new RemovePermissionCommand({ EventBusName: "default", StatementId: x.names.events.statementId }),
    );
    const before = (await executionHistory(x.t, undefined, engineer.email)).executions.length;

    const lost = await simulatePush({ id: x.t.id, message: "nobody hears this" }, ctx());
    expect(lost.executionIds).toEqual([]);
    expect(lost.message).toMatch(
      new RegExp(
        `^Pushed [0-9a-f]{7} to ${x.t.repositoryName}@main, but no execution of ${x.t.pipelineName} started: .+ Re-apply the onboarding to repair the EventBridge chain\\.$`,
      ),
    );
    invalidatePipeline(x.t.id);
    expect((await executionHistory(x.t, undefined, engineer.email)).executions).toHaveLength(before);

    await apply(x.t.id);
    const heard = await simulatePush({ id: x.t.id, message: "now it starts" }, ctx());
    expect(heard.executionIds).toHaveLength(1);
    const s = await until(x.t, (y) => y.latest?.id === heard.executionIds[0] && y.latest.status === "Succeeded", "the pushed run");
    expect(s.latest?.sourceRevisions[0]).toMatchObject({ commitId: heard.commitId, message: "now it starts" });
  });
});

describe("the pipeline pages' reads", () => {
  it("reads as the signed-in user through cached clients: AssumeRole once (tools account; repo account for a new commit's author), then never", async () => {
    const x = await provision({ approval: false });
    await until(x.t, (s) => s.latest?.status === "Succeeded", "the first run");
    const someone = await testUser("viewer");
    clearPipelineCaches(true);
    await resetCalls();
    await pipelineSnapshot(x.t, someone.email);
    const first = await calls();
    expect(
      first.filter((c) => c.action === "AssumeRole"),
      JSON.stringify(first),
    ).toHaveLength(2);
    expect(first.filter((c) => c.action === "GetCommit")).toHaveLength(1);
    invalidatePipeline(x.t.id);
    await resetCalls();
    await pipelineSnapshot(x.t, someone.email);
    expect((await calls()).map((c) => c.action).sort()).toEqual(["GetPipelineState", "ListPipelineExecutions"]);
  });

  it("deleting a pipeline in AWS makes its page data a plain error, not a crash", async () => {
    const x = await provision({ approval: false });
    await rootClient(CodePipelineClient, x.toolsId).send(new DeletePipelineCommand({ name: x.t.pipelineName }));
    invalidatePipeline(x.t.id);
    const s = await pipelineSnapshot(x.t, engineer.email);
    expect(s.error?.code).toBe("PipelineNotFoundException");
    await expect(executionHistory(x.t, undefined, engineer.email)).rejects.toMatchObject({ name: "PipelineNotFoundException" });
  });
});
