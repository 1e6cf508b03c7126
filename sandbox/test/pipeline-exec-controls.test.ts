/**
 * Driving executions: stop (abandon and wait) and its refusals, ConflictException while the Source stage is busy,
 * idempotent starts, V1 superseding, V2 source revision overrides, QUEUED and PARALLEL modes, paging, and resuming an
 * in-progress execution after a sandbox restart (state file).
 */
import { GetCommitCommand, GetBranchCommand } from "@aws-sdk/client-codecommit";
import {
  CreatePipelineCommand,
  GetPipelineCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  PutApprovalResultCommand,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import { afterEach, describe, expect, it } from "vitest";
import { startSandbox } from "../index";
import { failure, root } from "./clients";
import {
  ACTION_MS,
  type Provisioned,
  actionState,
  approvalToken,
  clientsFor,
  execution,
  provision,
  push,
  setFaults,
  spec,
  state,
  waitFor,
  waitStatus,
  REPO,
  TOOLS,
} from "./pipeline-exec-world";

let w: Provisioned | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const P = spec.pipelineName;
const start = (w: Provisioned, name = P, extra: object = {}) =>
  w.tools.cp.send(new StartPipelineExecutionCommand({ name, ...extra })).then((r) => r.pipelineExecutionId!);
const stop = (w: Provisioned, id: string, abandon: boolean, reason?: string, name = P) =>
  w.tools.cp.send(new StopPipelineExecutionCommand({ pipelineName: name, pipelineExecutionId: id, abandon, reason }));
const approve = (w: Provisioned, token: string, name = P) =>
  w.tools.cp.send(
    new PutApprovalResultCommand({
      pipelineName: name,
      stageName: "Approval",
      actionName: "Approve",
      token,
      result: { status: "Approved", summary: "ok" },
    }),
  );

/** A copy of the portal's pipeline under another name, type and mode (same roles, bucket, key, project). */
async function variant(w: Provisioned, name: string, pipelineType: "V1" | "V2", executionMode?: "SUPERSEDED" | "QUEUED" | "PARALLEL") {
  const { pipeline } = await w.tools.cp.send(new GetPipelineCommand({ name: P }));
  await w.tools.cp.send(new CreatePipelineCommand({ pipeline: { ...pipeline!, name, version: undefined, pipelineType, executionMode } }));
  const [first] = (await w.tools.cp.send(new ListPipelineExecutionsCommand({ pipelineName: name }))).pipelineExecutionSummaries!;
  return first.pipelineExecutionId!;
}

describe("driving executions", () => {
  it("stop and abandon: Stopped at once, the approval Abandoned; refusals: not stoppable, unknown id; the old token is invalid", async () => {
    w = await provision();
    const id = (await push(w.h, "Stop me")).body.pipelineExecutionIds[0];
    const token = await approvalToken(w.tools.cp, id);
    expect((await stop(w, id, true, "wrong branch")).pipelineExecutionId).toBe(id);
    expect(await execution(w.tools.cp, id)).toMatchObject({ status: "Stopped", stopTrigger: { reason: "wrong branch" } });
    const st = await state(w.tools.cp);
    expect(st.stageStates!.find((s) => s.stageName === "Approval")!.latestExecution).toMatchObject({
      pipelineExecutionId: id,
      status: "Stopped",
    });
    expect((await actionState(w.tools.cp, "Approval", "Approve")).latestExecution).toMatchObject({ status: "Abandoned" });
    expect((await actionState(w.tools.cp, "Approval", "Approve")).latestExecution?.token).toBeUndefined();
    expect((await failure(stop(w, id, true))).name).toBe("PipelineExecutionNotStoppableException");
    expect((await failure(stop(w, "00000000-0000-0000-0000-000000000000", true))).name).toBe("PipelineExecutionNotFoundException");
    expect((await failure(approve(w, token))).name).toBe("InvalidApprovalTokenException");
  });

  it("stop and wait: Stopping until the build finishes, then Stopped; a second stop-and-wait is a DuplicatedStopRequestException", async () => {
    w = await provision();
    const id = (await push(w.h, "Build slowly")).body.pipelineExecutionIds[0];
    const token = await approvalToken(w.tools.cp, id);
    await setFaults(w.h, { actionMs: 1000 });
    await approve(w, token);
    await waitFor(
      () => actionState(w!.tools.cp, "Build", "Build"),
      (a) => a.latestExecution?.status === "InProgress",
    );
    await stop(w, id, false, "let it finish");
    expect((await execution(w.tools.cp, id)).status).toBe("Stopping");
    expect((await state(w.tools.cp)).stageStates!.find((s) => s.stageName === "Build")!.latestExecution?.status).toBe("Stopping");
    expect((await failure(stop(w, id, false))).name).toBe("DuplicatedStopRequestException");
    const done = await waitStatus(w.tools.cp, id, "Stopped");
    expect(done.stopTrigger).toEqual({ reason: "let it finish" });
    expect((await actionState(w.tools.cp, "Build", "Build")).latestExecution?.status).toBe("Succeeded");
    expect((await state(w.tools.cp)).stageStates!.find((s) => s.stageName === "Build")!.latestExecution?.status).toBe("Stopped");
  });

  it("StartPipelineExecution: ConflictException while the Source stage is busy; a repeated clientRequestToken returns the same execution", async () => {
    w = await provision({ faults: { actionMs: 800 } });
    const a = await start(w, P, { clientRequestToken: "token-1" });
    const conflict = await failure(start(w));
    expect(conflict.name).toBe("ConflictException");
    expect(await start(w, P, { clientRequestToken: "token-1" })).toBe(a);
    await approvalToken(w.tools.cp, a);
    const b = await start(w); // Source is free again.
    expect(b).not.toBe(a);
  });

  it("V1 superseding: a newer execution waiting at a stage boundary supersedes an older one", async () => {
    w = await provision();
    const a = (await push(w.h, "A")).body.pipelineExecutionIds[0];
    const tokenA = await approvalToken(w.tools.cp, a);
    const b = await start(w);
    const waitingB = await waitFor(
      () => state(w!.tools.cp),
      (s) => s.stageStates![1].inboundExecution?.pipelineExecutionId === b,
    );
    expect(waitingB.stageStates![1].inboundExecution).toMatchObject({ status: "InProgress" });
    const c = await start(w);
    await waitStatus(w.tools.cp, b, "Superseded");
    await waitFor(
      () => state(w!.tools.cp),
      (s) => s.stageStates![1].inboundExecution?.pipelineExecutionId === c,
    );
    await approve(w, tokenA);
    const tokenC = await approvalToken(w.tools.cp, c);
    await waitStatus(w.tools.cp, a, "Succeeded");
    await approve(w, tokenC);
    await waitStatus(w.tools.cp, c, "Succeeded");
    const list = (await w.tools.cp.send(new ListPipelineExecutionsCommand({ pipelineName: P }))).pipelineExecutionSummaries!;
    expect(list.slice(0, 3).map((e) => [e.pipelineExecutionId, e.status])).toEqual([
      [c, "Succeeded"],
      [b, "Superseded"],
      [a, "Succeeded"],
    ]);
  });

  it("sourceRevisions: a COMMIT_ID override runs that commit on a V2 pipeline; V1 and a wrong revision type are ValidationExceptions", async () => {
    w = await provision();
    const v2 = "demo-v2";
    await stop(w, await variant(w, v2, "V2"), true, undefined, v2);
    const repo = clientsFor(w.h, root(REPO)).cc;
    const tip = (await repo.send(new GetBranchCommand({ repositoryName: "demo-service", branchName: "main" }))).branch!.commitId!;
    const older = (await repo.send(new GetCommitCommand({ repositoryName: "demo-service", commitId: tip }))).commit!.parents![0];
    const overrides = [{ actionName: "Source", revisionType: "COMMIT_ID" as const, revisionValue: older }];
    const id = await start(w, v2, { sourceRevisions: overrides });
    await approvalToken(w.tools.cp, id, v2);
    expect((await execution(w.tools.cp, id, v2)).sourceRevisions).toEqual([
      expect.objectContaining({ actionName: "Source", revisionId: older, revisionSummary: "Add buildspec" }),
    ]);
    expect((await failure(start(w, P, { sourceRevisions: overrides }))).name).toBe("ValidationException");
    expect((await failure(start(w, v2, { sourceRevisions: [{ ...overrides[0], revisionType: "S3_OBJECT_KEY" }] }))).name).toBe(
      "ValidationException",
    );
    expect((await failure(start(w, v2, { sourceRevisions: [{ ...overrides[0], actionName: "Nope" }] }))).name).toBe("ValidationException");
  });

  it("V2 QUEUED: executions wait their turn in order instead of superseding", async () => {
    w = await provision();
    const q = "demo-queued";
    const a = await variant(w, q, "V2", "QUEUED");
    const tokenA = await approvalToken(w.tools.cp, a, q);
    const b = await start(w, q);
    const c = await start(w, q); // QUEUED: no ConflictException, c waits for the Source stage
    await waitFor(
      () => state(w!.tools.cp, q),
      (s) => (s.stageStates![1].inboundExecutions ?? []).length === 2,
      5000,
      "two queued",
    );
    expect((await state(w.tools.cp, q)).stageStates![1].inboundExecutions!.map((e) => e.pipelineExecutionId)).toEqual([b, c]);
    await approve(w, tokenA, q);
    await approve(w, await approvalToken(w.tools.cp, b, q), q);
    await approve(w, await approvalToken(w.tools.cp, c, q), q);
    for (const id of [a, b, c]) await waitStatus(w.tools.cp, id, "Succeeded", q);
    expect((await execution(w.tools.cp, c, q)).executionMode).toBe("QUEUED");
  });

  it("V2 PARALLEL runs executions side by side; ListPipelineExecutions and ListActionExecutions page with maxResults/nextToken", async () => {
    w = await provision();
    const par = "demo-parallel";
    const first = await variant(w, par, "V2", "PARALLEL");
    const ids = [first];
    for (let i = 0; i < 4; i++) ids.push(await start(w, par));
    // Every execution runs its Source and waits for its own approval at the same time.
    await waitFor(
      () => w!.tools.cp.send(new ListActionExecutionsCommand({ pipelineName: par })),
      (r) => r.actionExecutionDetails!.filter((d) => d.actionName === "Approve" && d.status === "InProgress").length === 5,
      5000,
      "five pending approvals",
    );
    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const r = await w.tools.cp.send(new ListPipelineExecutionsCommand({ pipelineName: par, maxResults: 2, nextToken }));
      pages.push(r.pipelineExecutionSummaries!.map((e) => e.pipelineExecutionId!));
      nextToken = r.nextToken;
    } while (nextToken);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual([...ids].reverse());
    const running = (await w.tools.cp.send(new ListPipelineExecutionsCommand({ pipelineName: par }))).pipelineExecutionSummaries!;
    expect(running.every((e) => e.status === "InProgress" && e.executionMode === "PARALLEL")).toBe(true);
    expect((await failure(w.tools.cp.send(new ListPipelineExecutionsCommand({ pipelineName: par, nextToken: "garbage" })))).name).toBe(
      "InvalidNextTokenException",
    );
    expect((await failure(w.tools.cp.send(new ListPipelineExecutionsCommand({ pipelineName: par, maxResults: 0 })))).name).toBe(
      "ValidationException",
    );
    const a1 = await w.tools.cp.send(new ListActionExecutionsCommand({ pipelineName: par, maxResults: 3 }));
    const a2 = await w.tools.cp.send(new ListActionExecutionsCommand({ pipelineName: par, maxResults: 100, nextToken: a1.nextToken }));
    expect(a1.actionExecutionDetails).toHaveLength(3);
    expect(a1.actionExecutionDetails!.length + a2.actionExecutionDetails!.length).toBe(10); // 5 × (Source + Approval)
    expect(
      (await failure(w.tools.cp.send(new ListActionExecutionsCommand({ pipelineName: par, filter: { pipelineExecutionId: "missing" } }))))
        .name,
    ).toBe("PipelineExecutionNotFoundException");
  });

  it("an artifact store without encryptionKey falls back to the repo account's aws/s3 key, which the build cannot decrypt", async () => {
    w = await provision();
    const { pipeline } = await w.tools.cp.send(new GetPipelineCommand({ name: P }));
    const name = "demo-nokey";
    await w.tools.cp.send(
      new CreatePipelineCommand({
        pipeline: { ...pipeline!, name, version: undefined, artifactStore: { type: "S3", location: w.store.bucketName } },
      }),
    );
    const [id] = (await w.tools.cp.send(new ListPipelineExecutionsCommand({ pipelineName: name }))).pipelineExecutionSummaries!.map(
      (e) => e.pipelineExecutionId!,
    );
    await approve(w, await approvalToken(w.tools.cp, id, name), name);
    await waitStatus(w.tools.cp, id, "Failed", name);
    const build = (await actionState(w.tools.cp, "Build", "Build", name)).latestExecution!;
    expect(build.errorDetails?.message).toMatch(
      /^Build terminated with state: FAILED\. Phase: DOWNLOAD_SOURCE, Code: CLIENT_ERROR, Message: AccessDenied: User: arn:aws:sts::111111111111:assumed-role\/.*codebuild-role\/AWSCodeBuild-.* is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:222222222222:key\//,
    );
  });

  it("state persists: an execution in progress when the sandbox stops resumes after a restart", async () => {
    w = await provision({ faults: { actionMs: 1000 } });
    const id = (await push(w.h, "Survive a restart")).body.pipelineExecutionIds[0];
    expect((await actionState(w.tools.cp, "Source", "Source")).latestExecution?.status).toBe("InProgress");
    await w.h.close();
    const h2 = await startSandbox({ port: 0, stateFile: w.stateFile, faults: { actionMs: ACTION_MS } });
    try {
      const cp = clientsFor(h2, root(TOOLS)).cp;
      const token = await approvalToken(cp, id);
      expect((await execution(cp, id)).sourceRevisions?.[0].revisionSummary).toBe("Survive a restart");
      await cp.send(
        new PutApprovalResultCommand({
          pipelineName: P,
          stageName: "Approval",
          actionName: "Approve",
          token,
          result: { status: "Approved", summary: "after restart" },
        }),
      );
      await waitStatus(cp, id, "Succeeded");
    } finally {
      await h2.close();
    }
  });
});
