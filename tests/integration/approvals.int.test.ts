// Approvals tied to their execution, against the sandbox with the real SDK and a pipeline provisioned through the
// portal's runner: with two executions in flight (the first waits in Approval, a pushed one waits at its boundary)
// the card names the execution in the stage and its commit; an answer given for another execution, or with a token
// that no longer belongs to it, is refused before PutApprovalResult is sent; the audit records of approve and
// reject carry the execution id, the revision and the comment.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createOnboarding, startApply } from "@/lib/onboarding/service";
import { claimRun, executeRun } from "@/lib/worker-main/runner";
import { UserFacingError } from "@/lib/core/errors";
import { answerApproval, loadPipelineTarget, simulatePush } from "@/lib/pipelines/commands";
import { approvalCards } from "@/lib/pipelines/approvals";
import { invalidatePipeline, pipelineSnapshot, type PipelineTarget } from "@/lib/pipelines/read";
import type { PipelineSnapshot } from "@/lib/pipelines/types";
import { calls, createRepository, ctxFor, freshAccountId, registerAccount, resetCalls, setFaults, testUser } from "../support/world";
import { fastRetry } from "../support/provision";

const REPO = "222222222222";
let engineer: Awaited<ReturnType<typeof testUser>>;
let t: PipelineTarget;
let firstCommit: string;

async function until(pred: (s: PipelineSnapshot) => boolean, what: string, ms = 20_000): Promise<PipelineSnapshot> {
  const end = Date.now() + ms;
  for (;;) {
    invalidatePipeline(t.id);
    const s = await pipelineSnapshot(t, engineer.email);
    if (pred(s)) return s;
    if (Date.now() > end)
      throw new Error(
        `timed out waiting for ${what}: ${JSON.stringify(s.stages.map((x) => [x.name, x.status, x.executionId, x.inboundExecutionId]))}`,
      );
    await new Promise((r) => setTimeout(r, 25));
  }
}
const stage = (s: PipelineSnapshot, name: string) => s.stages.find((x) => x.name === name)!;
const approvalPending = (s: PipelineSnapshot) =>
  stage(s, "Approval").actions[0]?.status === "InProgress" && !!stage(s, "Approval").actions[0].token;

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof UserFacingError) return e.message;
    throw e;
  }
  throw new Error("the command was accepted");
}
const audits = (action: string) => db.auditEvent.findMany({ where: { action, targetId: t.id }, orderBy: { seq: "asc" } });
const detailsOf = (e: { details: string }) => JSON.parse(e.details) as Record<string, unknown>;

beforeAll(async () => {
  engineer = await testUser("engineer");
  await setFaults({ actionMs: 50 });
  const repoDb = await registerAccount(REPO, "repo", "Demo repo");
  const tools = await registerAccount(freshAccountId(6), "tools");
  const repositoryName = `appr-${Date.now().toString(36)}`;
  firstCommit = await createRepository(REPO, repositoryName);
  const pipelineName = `${repositoryName}-main`;
  const o = await createOnboarding(
    {
      toolsAccountId: tools.id,
      repoAccountId: repoDb.id,
      region: "us-east-1",
      repositoryName,
      branchName: "main",
      pipelineName,
      pipelineType: "V1",
      buildMode: "create",
      buildProject: `${pipelineName}-build`,
      approval: true,
    },
    ctxFor(engineer),
  );
  const run = await startApply(o.id, ctxFor(engineer));
  expect(await claimRun(run.id, "approvals-test")).toBe(true);
  expect(await executeRun(run.id, { workerId: "approvals-test", retry: fastRetry, heartbeatMs: 200 })).toBe("succeeded");
  t = await loadPipelineTarget(o.id);
});
afterAll(async () => {
  await setFaults({});
});

describe("approvals tied to their execution", () => {
  it("two executions in flight: the card names the one in the stage; answers for the wrong execution or with a stale token are refused unsent; approve and reject are audited with execution, revision and comment", async () => {
    // The execution CreatePipeline started waits in Approval with the first commit.
    const s1 = await until(approvalPending, "the first execution's approval");
    const a = stage(s1, "Approval").executionId!;
    const tokenA = stage(s1, "Approval").actions[0].token!;
    // A push starts a second execution, which runs Source and waits at the Approval boundary.
    const pushed = await simulatePush({ id: t.id, message: "second change" }, ctxFor(engineer));
    const b = pushed.executionIds[0];
    expect(b).toBeDefined();
    const s2 = await until((s) => stage(s, "Approval").inboundExecutionId === b, "the pushed execution waiting at Approval");
    expect(s2.latest?.id).toBe(b); // the newest execution is NOT the one waiting for approval

    const cards = await approvalCards(t, s2, engineer.email, true);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({
      stageName: "Approval",
      executionId: a,
      token: tokenA,
      revision: { commitId: firstCommit, message: "initial" },
    });
    expect(cards[0].problem).toBeUndefined();
    const viewerCards = await approvalCards(t, s2, engineer.email, false);
    expect(viewerCards[0].token).toBeUndefined();

    // A's token sent as b's answer: refused, nothing sent to AWS, the refusal audited.
    await resetCalls();
    const wrong = await refusal(
      answerApproval(
        { id: t.id, stageName: "Approval", actionName: "Approve", executionId: b, token: tokenA, decision: "Approved", comment: "" },
        ctxFor(engineer),
      ),
    );
    expect(wrong).toContain(`execution ${b.slice(0, 8)} is not the one in Approval; execution ${a.slice(0, 8)} is`);
    expect((await calls()).filter((c) => c.action === "PutApprovalResult")).toEqual([]);
    const refused = (await audits("pipelines.approve")).at(-1)!;
    expect(refused.outcome).toBe("failure");
    expect(detailsOf(refused)).toMatchObject({ executionId: b, refused: "other-execution", currentExecutionId: a });
    expect(stage(await until(approvalPending, "still pending"), "Approval").actions[0].token).toBe(tokenA);

    // The right answer: a is approved, with its own commit on the record.
    const ok = await answerApproval(
      {
        id: t.id,
        stageName: "Approval",
        actionName: "Approve",
        executionId: a,
        token: tokenA,
        decision: "Approved",
        comment: "ship the first",
      },
      ctxFor(engineer),
    );
    expect(ok.message).toBe(`Approved Approval / Approve of execution ${a.slice(0, 8)} (commit ${firstCommit.slice(0, 7)}).`);
    const approved = (await audits("pipelines.approve")).filter((e) => e.outcome === "success").at(-1)!;
    expect(detailsOf(approved)).toMatchObject({ executionId: a, revision: firstCommit, comment: "ship the first", decision: "Approved" });
    expect(approved.requestIds).toBeTruthy();

    // a builds; b enters Approval with its own token and its pushed commit.
    const s3 = await until(
      (s) => stage(s, "Build").executionId === a && stage(s, "Approval").executionId === b && approvalPending(s),
      "a in Build, b in Approval",
    );
    const tokenB = stage(s3, "Approval").actions[0].token!;
    expect(tokenB).not.toBe(tokenA);
    const cards2 = await approvalCards(t, s3, engineer.email, true);
    expect(cards2.map((c) => [c.executionId, c.revision?.commitId])).toEqual([[b, pushed.commitId]]);

    // The spent token of a, now shown against b: refused unsent.
    await resetCalls();
    const stale = await refusal(
      answerApproval(
        { id: t.id, stageName: "Approval", actionName: "Approve", executionId: b, token: tokenA, decision: "Approved", comment: "" },
        ctxFor(engineer),
      ),
    );
    expect(stale).toContain("changed since the page was loaded");
    expect((await calls()).filter((c) => c.action === "PutApprovalResult")).toEqual([]);

    // Reject b: audited with b's id, its commit and the comment.
    const no = await answerApproval(
      {
        id: t.id,
        stageName: "Approval",
        actionName: "Approve",
        executionId: b,
        token: tokenB,
        decision: "Rejected",
        comment: "not this one",
      },
      ctxFor(engineer),
    );
    expect(no.message).toContain(`Rejected Approval / Approve of execution ${b.slice(0, 8)}`);
    const rejected = (await audits("pipelines.approve")).filter((e) => e.outcome === "success").at(-1)!;
    expect(detailsOf(rejected)).toMatchObject({ executionId: b, revision: pushed.commitId, comment: "not this one", decision: "Rejected" });
    const attempted = (await audits("pipelines.approve")).filter((e) => e.outcome === "attempted").at(-1)!;
    expect(detailsOf(attempted)).toMatchObject({ executionId: b, revision: pushed.commitId });
  });
});
