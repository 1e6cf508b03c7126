/**
 * Two executions in flight on a V1 (SUPERSEDED) pipeline with a manual approval: only one execution is in a stage
 * at a time, the newer one waits at the Approval boundary, and approving the pending request lets exactly the
 * execution it belongs to (and its revision) through to Build; then the waiting one enters Approval with a token
 * of its own.
 */
import { GetPipelineExecutionCommand, ListActionExecutionsCommand, PutApprovalResultCommand } from "@aws-sdk/client-codepipeline";
import { afterEach, describe, expect, it } from "vitest";
import { failure } from "./clients";
import { type Provisioned, approvalToken, provision, push, setFaults, spec, state, waitFor, waitStatus } from "./pipeline-exec-world";

let w: Provisioned | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const P = spec.pipelineName;
const approve = (w: Provisioned, token: string, status: "Approved" | "Rejected" = "Approved") =>
  w.tools.cp.send(
    new PutApprovalResultCommand({
      pipelineName: P,
      stageName: "Approval",
      actionName: "Approve",
      token,
      result: { status, summary: "ok" },
    }),
  );
const runs = (w: Provisioned, id: string) =>
  w.tools.cp
    .send(new ListActionExecutionsCommand({ pipelineName: P, filter: { pipelineExecutionId: id } }))
    .then((r) => r.actionExecutionDetails!);
const revisionOf = async (w: Provisioned, id: string) =>
  (await w.tools.cp.send(new GetPipelineExecutionCommand({ pipelineName: P, pipelineExecutionId: id }))).pipelineExecution!
    .artifactRevisions![0].revisionId;
const stageOf = async (w: Provisioned, name: string) => (await state(w.tools.cp)).stageStates!.find((s) => s.stageName === name)!;

describe("approvals with two executions in flight (V1, SUPERSEDED)", () => {
  it("the approval releases exactly the execution in the Approval stage, with its own commit, to Build; the waiting one then gets its own request", async () => {
    w = await provision();
    const first = await push(w.h, "first change");
    const a = first.body.pipelineExecutionIds[0];
    const tokenA = await approvalToken(w.tools.cp, a);
    const second = await push(w.h, "second change");
    const b = second.body.pipelineExecutionIds[0];
    expect(b).toBeDefined();
    expect(b).not.toBe(a);

    // b ran Source with its own commit and waits at the Approval boundary; a is the one in the stage.
    const waiting = await waitFor(
      () => stageOf(w!, "Approval"),
      (s) => s.inboundExecution?.pipelineExecutionId === b,
      5000,
      "b waiting at Approval",
    );
    expect(waiting.latestExecution).toMatchObject({ pipelineExecutionId: a, status: "InProgress" });
    expect(waiting.actionStates![0].latestExecution).toMatchObject({ status: "InProgress", token: tokenA });
    const pendingRun = waiting.actionStates![0].latestExecution!.actionExecutionId;
    expect((await runs(w, a)).find((r) => r.stageName === "Approval")).toMatchObject({
      actionExecutionId: pendingRun,
      status: "InProgress",
    });
    expect((await runs(w, b)).some((r) => r.stageName === "Approval")).toBe(false);
    expect(await revisionOf(w, a)).toBe(first.body.commitId);
    expect(await revisionOf(w, b)).toBe(second.body.commitId);

    await approve(w, tokenA);
    // a (first commit) is the one that builds; b enters Approval with a new token.
    const build = await waitFor(
      () => stageOf(w!, "Build"),
      (s) => s.latestExecution?.pipelineExecutionId !== undefined,
      5000,
      "Build entered",
    );
    expect(build.latestExecution!.pipelineExecutionId).toBe(a);
    const tokenB = await approvalToken(w.tools.cp, b);
    expect(tokenB).not.toBe(tokenA);
    await waitStatus(w.tools.cp, a, "Succeeded");
    const buildOfA = (await runs(w, a)).find((r) => r.stageName === "Build")!;
    const sourceOfA = (await runs(w, a)).find((r) => r.stageName === "Source")!;
    expect(buildOfA.input!.inputArtifacts![0].s3location).toEqual(sourceOfA.output!.outputArtifacts![0].s3location);
    expect(sourceOfA.output!.executionResult!.externalExecutionId).toBe(first.body.commitId);
    expect((await runs(w, b)).some((r) => r.stageName === "Build")).toBe(false);

    // a's token is spent; it cannot answer b's request.
    expect((await failure(approve(w, tokenA))).name).toBe("ApprovalAlreadyCompletedException");
    await approve(w, tokenB, "Rejected");
    await waitStatus(w.tools.cp, b, "Failed");
    expect((await stageOf(w, "Build")).latestExecution!.pipelineExecutionId).toBe(a);
  });

  it("a third push while one execution waits for approval and another waits at its boundary supersedes the waiting one, never the one in the stage", async () => {
    w = await provision();
    const a = (await push(w.h, "A")).body.pipelineExecutionIds[0];
    const tokenA = await approvalToken(w.tools.cp, a);
    const b = (await push(w.h, "B")).body.pipelineExecutionIds[0];
    await waitFor(
      () => stageOf(w!, "Approval"),
      (s) => s.inboundExecution?.pipelineExecutionId === b,
      5000,
      "b waiting",
    );
    const third = await push(w.h, "C");
    const c = third.body.pipelineExecutionIds[0];
    await waitStatus(w.tools.cp, b, "Superseded");
    const s = await waitFor(
      () => stageOf(w!, "Approval"),
      (x) => x.inboundExecution?.pipelineExecutionId === c,
      5000,
      "c waiting",
    );
    expect(s.latestExecution!.pipelineExecutionId).toBe(a);
    expect(s.actionStates![0].latestExecution!.token).toBe(tokenA);
    await approve(w, tokenA);
    const tokenC = await approvalToken(w.tools.cp, c);
    await approve(w, tokenC);
    await waitStatus(w.tools.cp, c, "Succeeded");
    expect((await stageOf(w, "Build")).latestExecution!.pipelineExecutionId).toBe(c);
    expect(await revisionOf(w, c)).toBe(third.body.commitId);
  });

  it("a second push while the first execution's Source still runs: each execution carries the commit its own push announced, and the approved one builds it", async () => {
    w = await provision();
    // Long enough that both pushes land before the first Source action runs (timing only widens the window).
    await setFaults(w.h, { actionMs: 600 });
    const first = await push(w.h, "pushed first");
    const second = await push(w.h, "pushed second");
    const a = first.body.pipelineExecutionIds[0];
    const b = second.body.pipelineExecutionIds[0];
    expect(a && b && a !== b).toBe(true);
    const tokenA = await approvalToken(w.tools.cp, a);
    // CodeCommit sources in SUPERSEDED mode clone the head at the moment of the push, not when the action runs.
    expect(await revisionOf(w, a)).toBe(first.body.commitId);
    await waitFor(
      () => stageOf(w!, "Approval"),
      (s) => s.inboundExecution?.pipelineExecutionId === b,
      5000,
      "b waiting at Approval",
    );
    expect(await revisionOf(w, b)).toBe(second.body.commitId);
    await approve(w, tokenA);
    await waitStatus(w.tools.cp, a, "Succeeded");
    const build = (await runs(w, a)).find((r) => r.stageName === "Build")!;
    const source = (await runs(w, a)).find((r) => r.stageName === "Source")!;
    expect(source.output!.executionResult!.externalExecutionId).toBe(first.body.commitId);
    expect(build.input!.inputArtifacts![0].s3location).toEqual(source.output!.outputArtifacts![0].s3location);
  });
});
