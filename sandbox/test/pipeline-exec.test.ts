/**
 * Simulated executions of a fully provisioned cross-account pipeline, over the wire with the real SDK clients:
 * push → Source (real cross-account checks) → Approval → Build, build failures with logs, approvals, the KMS grant
 * trap and its fix through RetryStageExecution, the bus permission trap, and the sandbox-push script.
 */
import { BatchGetBuildsCommand } from "@aws-sdk/client-codebuild";
import {
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  PutApprovalResultCommand,
  RetryStageExecutionCommand,
  StartPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import { PutPermissionCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { eventBusPutPermissionInput, repoTargetsInput } from "@/lib/policies";
import { failure } from "./clients";
import { deliveries } from "./codepipeline-world";
import {
  REPO,
  TOOLS,
  type Provisioned,
  actionState,
  approvalToken,
  execution,
  names,
  provision,
  push,
  spec,
  state,
  waitFor,
  waitStatus,
} from "./pipeline-exec-world";

let w: Provisioned | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const approve = (w: Provisioned, token: string, status: "Approved" | "Rejected" = "Approved", summary = "ok") =>
  w.tools.cp.send(
    new PutApprovalResultCommand({
      pipelineName: spec.pipelineName,
      stageName: "Approval",
      actionName: "Approve",
      token,
      result: { status, summary },
    }),
  );
const actions = (w: Provisioned, id: string) =>
  w.tools.cp
    .send(new ListActionExecutionsCommand({ pipelineName: spec.pipelineName, filter: { pipelineExecutionId: id } }))
    .then((r) => r.actionExecutionDetails!);

describe("pipeline executions", () => {
  it("a push runs Source (cross-account) → Approval → Build to Succeeded, with revisions, action details and the build log", async () => {
    w = await provision();
    const { status, body } = await push(w.h, "Add greeting");
    expect(status).toBe(200);
    expect(body.pipelineExecutionIds).toHaveLength(1);
    const id = body.pipelineExecutionIds[0];
    const token = await approvalToken(w.tools.cp, id);
    // Source succeeded as the cross-account role and recorded the commit.
    const summary = await execution(w.tools.cp, id);
    expect(summary).toMatchObject({
      status: "InProgress",
      trigger: { triggerType: "CloudWatchEvent", triggerDetail: names.events.toolsRule.arn },
      executionMode: "SUPERSEDED",
    });
    expect(summary.sourceRevisions).toEqual([
      {
        actionName: "Source",
        revisionId: body.commitId,
        revisionSummary: "Add greeting",
        revisionUrl: expect.stringContaining(`/commit/${body.commitId}`),
      },
    ]);
    expect(summary.startTime).toBeInstanceOf(Date);
    const source = await actionState(w.tools.cp, "Source", "Source");
    expect(source.latestExecution).toMatchObject({ status: "Succeeded", summary: "Add greeting", externalExecutionId: body.commitId });
    expect(source.currentRevision?.revisionId).toBe(body.commitId);
    expect((await actionState(w.tools.cp, "Approval", "Approve")).latestExecution).toMatchObject({ status: "InProgress", token });

    const approved = await approve(w, token, "Approved", "looks good");
    expect(approved.approvedAt).toBeInstanceOf(Date);
    expect((await failure(approve(w, token))).name).toBe("ApprovalAlreadyCompletedException");
    await waitStatus(w.tools.cp, id, "Succeeded");

    const exec = (await w.tools.cp.send(new GetPipelineExecutionCommand({ pipelineName: spec.pipelineName, pipelineExecutionId: id })))
      .pipelineExecution!;
    expect(exec).toMatchObject({
      status: "Succeeded",
      pipelineVersion: 1,
      trigger: { triggerType: "CloudWatchEvent" },
      executionMode: "SUPERSEDED",
    });
    expect(exec.artifactRevisions).toEqual([
      expect.objectContaining({ name: "SourceOutput", revisionId: body.commitId, revisionSummary: "Add greeting" }),
    ]);
    expect(exec.artifactRevisions![0].created).toBeInstanceOf(Date);

    const details = await actions(w, id);
    expect(details.map((d) => [d.stageName, d.actionName, d.status])).toEqual([
      ["Build", "Build", "Succeeded"],
      ["Approval", "Approve", "Succeeded"],
      ["Source", "Source", "Succeeded"],
    ]);
    const src = details[2];
    expect(src.input).toMatchObject({
      actionTypeId: { category: "Source", provider: "CodeCommit" },
      roleArn: names.roles.crossAccount.arn,
      configuration: { RepositoryName: "demo-service", BranchName: "main" },
    });
    expect(src.output?.outputArtifacts?.[0]).toMatchObject({
      name: "SourceOutput",
      s3location: { bucket: w.store.bucketName, key: expect.stringMatching(/^demo-service-main\/SourceOutp\/\w{7}$/) },
    });
    expect(details[1].updatedBy).toBe(`arn:aws:iam::${TOOLS}:root`);
    const build = details[0];
    expect(build.input?.inputArtifacts?.[0]).toEqual(src.output!.outputArtifacts![0]);
    const buildId = build.output!.executionResult!.externalExecutionId!;
    expect(buildId).toMatch(new RegExp(`^${names.codeBuild.projectName}:[0-9a-f-]{36}$`));

    const { builds } = await w.tools.cb.send(new BatchGetBuildsCommand({ ids: [buildId] }));
    expect(builds![0]).toMatchObject({
      buildStatus: "SUCCEEDED",
      buildComplete: true,
      initiator: `codepipeline/${spec.pipelineName}`,
      logs: { groupName: names.codeBuild.logGroupName },
    });
    expect(builds![0].phases!.map((p) => p.phaseType)).toEqual([
      "SUBMITTED",
      "QUEUED",
      "PROVISIONING",
      "DOWNLOAD_SOURCE",
      "INSTALL",
      "PRE_BUILD",
      "BUILD",
      "POST_BUILD",
      "UPLOAD_ARTIFACTS",
      "FINALIZING",
      "COMPLETED",
    ]);
    expect(build.output!.executionResult!.externalExecutionUrl).toBe(builds![0].logs!.deepLink);
    const log = await fetch(builds![0].logs!.deepLink!);
    expect(log.headers.get("content-type")).toContain("text/plain");
    expect(await log.text()).toContain("[Container] ");
  });

  it("a [fail] commit fails the Build with CodeBuild's message; the log explains it", async () => {
    w = await provision();
    const { body } = await push(w.h, "Break the tests [fail]");
    const id = body.pipelineExecutionIds[0];
    await approve(w, await approvalToken(w.tools.cp, id));
    const failed = await waitStatus(w.tools.cp, id, "Failed");
    expect(failed.statusSummary).toContain("COMMAND_EXECUTION_ERROR");
    const build = (await actionState(w.tools.cp, "Build", "Build")).latestExecution!;
    expect(build).toMatchObject({
      status: "Failed",
      errorDetails: {
        code: "JobFailed",
        message:
          "Build terminated with state: FAILED. Phase: BUILD, Code: COMMAND_EXECUTION_ERROR, Message: Error while executing command: npm test. Reason: exit status 1",
      },
    });
    const { builds } = await w.tools.cb.send(new BatchGetBuildsCommand({ ids: [build.externalExecutionId!] }));
    expect(builds![0].buildStatus).toBe("FAILED");
    expect(builds![0].phases!.find((p) => p.phaseType === "BUILD")).toMatchObject({
      phaseStatus: "FAILED",
      contexts: [{ statusCode: "COMMAND_EXECUTION_ERROR", message: "Error while executing command: npm test. Reason: exit status 1" }],
    });
    const log = await (await fetch(build.externalExecutionUrl!)).text();
    expect(log).toContain("Running command echo build");
    expect(log).toContain("Running command npm test");
    expect(log).toContain(
      "Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: npm test. Reason: exit status 1",
    );
    expect((await fetch(`${w.h.url}/_sandbox/codebuild/builds/nope/log`)).status).toBe(404);
  });

  it("approvals: an invalid token is refused; a rejection fails the stage with the approver's summary", async () => {
    w = await provision();
    const id = (await push(w.h, "Ask for review")).body.pipelineExecutionIds[0];
    const token = await approvalToken(w.tools.cp, id);
    expect((await failure(approve(w, "00000000-0000-0000-0000-000000000000"))).name).toBe("InvalidApprovalTokenException");
    expect(
      (
        await failure(
          w.tools.cp.send(
            new PutApprovalResultCommand({
              pipelineName: spec.pipelineName,
              stageName: "Nope",
              actionName: "Approve",
              token,
              result: { status: "Approved", summary: "x" },
            }),
          ),
        )
      ).name,
    ).toBe("StageNotFoundException");
    await approve(w, token, "Rejected", "not today");
    await waitStatus(w.tools.cp, id, "Failed");
    expect((await actionState(w.tools.cp, "Approval", "Approve")).latestExecution).toMatchObject({
      status: "Failed",
      errorDetails: { code: "JobFailed", message: `Rejected by arn:aws:iam::${TOOLS}:root: not today` },
      lastUpdatedBy: `arn:aws:iam::${TOOLS}:root`,
    });
    expect((await failure(approve(w, token))).name).toBe("ApprovalAlreadyCompletedException");
  });

  it("the key policy lacks the repo account's grant: Source fails with KMS's AccessDenied; after PutKeyPolicy, RetryStageExecution succeeds", async () => {
    w = await provision({ keyRepoGrant: false });
    const first = (await push(w.h, "First try")).body.pipelineExecutionIds[0];
    await waitStatus(w.tools.cp, first, "Failed");
    const source = (await actionState(w.tools.cp, "Source", "Source")).latestExecution!;
    expect(source.status).toBe("Failed");
    expect(source.errorDetails?.code).toBe("JobFailed");
    expect(source.errorDetails?.message).toMatch(
      new RegExp(
        `^User: arn:aws:sts::${REPO}:assumed-role/${names.roles.crossAccount.name}/\\d+ is not authorized to perform: kms:GenerateDataKey on resource: ${w.store.keyArn} because no resource-based policy allows the kms:GenerateDataKey action$`,
      ),
    );
    const st = await state(w.tools.cp);
    expect(st.stageStates!.map((s) => [s.stageName, s.latestExecution?.status])).toEqual([
      ["Source", "Failed"],
      ["Approval", undefined],
      ["Build", undefined],
    ]);

    // A second failed execution makes the first one out of date.
    const second = (await w.tools.cp.send(new StartPipelineExecutionCommand({ name: spec.pipelineName }))).pipelineExecutionId!;
    await waitStatus(w.tools.cp, second, "Failed");
    const retry = (id: string, mode: "FAILED_ACTIONS" | "ALL_ACTIONS" = "FAILED_ACTIONS", stageName = "Source") =>
      w!.tools.cp.send(
        new RetryStageExecutionCommand({ pipelineName: spec.pipelineName, stageName, pipelineExecutionId: id, retryMode: mode }),
      );
    expect((await failure(retry(first))).name).toBe("NotLatestPipelineExecutionException");
    expect((await failure(retry(second, "FAILED_ACTIONS", "Build"))).name).toBe("StageNotRetryableException");
    expect((await failure(retry("00000000-0000-0000-0000-000000000000"))).name).toBe("PipelineExecutionNotFoundException");

    // Restore the grant (what re-applying the onboarding does), retry the failed action: it now succeeds.
    await w.tools.kms.send(new PutKeyPolicyCommand({ KeyId: w.store.keyArn, PolicyName: "default", Policy: w.fullKeyPolicy }));
    expect((await retry(second)).pipelineExecutionId).toBe(second);
    expect((await failure(retry(second))).name).toBe("StageNotRetryableException");
    const token = await approvalToken(w.tools.cp, second);
    expect((await execution(w.tools.cp, second)).status).toBe("InProgress");
    const runs = await actions(w, second);
    expect(runs.filter((r) => r.actionName === "Source").map((r) => r.status)).toEqual(["Succeeded", "Failed"]);
    await approve(w, token);
    await waitStatus(w.tools.cp, second, "Succeeded");
  });

  it("without the tools bus permission a push starts nothing (the delivery log says why); after adding it, a push starts a run", async () => {
    w = await provision({ busPermission: false });
    const before = (await push(w.h, "Nobody hears this")).body;
    expect(before.pipelineExecutionIds).toEqual([]);
    expect(before.deliveries).toEqual([expect.objectContaining({ outcome: "dropped", reason: expect.stringContaining("has no targets") })]);
    expect((await deliveries(w.h)).at(-1)).toMatchObject({ outcome: "dropped", ruleArn: names.events.repoRule.arn });
    // The fix: the bus permission, then the repo rule's target again (EventBridge checked it when it was created).
    await w.tools.events.send(new PutPermissionCommand(eventBusPutPermissionInput(names)));
    const t = await w.repo.events.send(new PutTargetsCommand(repoTargetsInput(names)));
    expect(t.FailedEntryCount).toBe(0);
    const after = (await push(w.h, "Now it starts")).body;
    expect(after.pipelineExecutionIds).toHaveLength(1);
    expect(after.deliveries.map((d) => d.outcome)).toEqual(["delivered", "delivered"]);
    await approvalToken(w.tools.cp, after.pipelineExecutionIds[0]);
  });

  it("scripts/sandbox-push.mjs commits through the CodeCommit API and reports the pipeline start", async () => {
    w = await provision();
    const script = path.resolve(import.meta.dirname, "../../scripts/sandbox-push.mjs");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        script,
        "--url",
        w.h.url,
        "--account",
        REPO,
        "--repo",
        "demo-service",
        "--branch",
        "main",
        "--message",
        "From the script",
      ],
      { timeout: 30000 },
    );
    const commit = /commit ([0-9a-f]{40})/.exec(stdout)?.[1];
    expect(commit).toBeDefined();
    expect(stdout).toMatch(/started pipeline demo-service-main: execution [0-9a-f-]{36}/);
    const list = await waitFor(
      () =>
        w!.tools.cp.send(
          new GetPipelineExecutionCommand({
            pipelineName: spec.pipelineName,
            pipelineExecutionId: /execution ([0-9a-f-]{36})/.exec(stdout)![1],
          }),
        ),
      (r) => !!r.pipelineExecution?.artifactRevisions?.length,
    );
    expect(list.pipelineExecution?.artifactRevisions?.[0].revisionId).toBe(commit);
  }, 30_000);
});
