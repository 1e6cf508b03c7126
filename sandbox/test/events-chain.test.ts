/** The start-on-push chain end to end: CodeCommit push (repo) → repo rule → tools bus → tools rule → pipeline. */
import { CreateBranchCommand, CreateCommitCommand, GetBranchCommand } from "@aws-sdk/client-codecommit";
import { CreatePipelineCommand, ListPipelineExecutionsCommand } from "@aws-sdk/client-codepipeline";
import { PutPermissionCommand, PutRuleCommand, PutTargetsCommand, RemovePermissionCommand } from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import {
  createPipelineInput,
  eventBusPutPermissionInput,
  eventBusRemovePermissionInput,
  repoRuleInput,
  repoTargetsInput,
  toolsRuleInput,
  toolsTargetsInput,
} from "@/lib/policies";
import { root } from "./clients";
import {
  REPO,
  TOOLS,
  allClients,
  createRepoRoles,
  createToolsRoles,
  deliveries,
  names,
  spec,
  startWorld,
  store,
  until,
} from "./codepipeline-world";

let w: Awaited<ReturnType<typeof startWorld>> | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function setup(opts: { busPermission: boolean }) {
  w = await startWorld();
  const tools = allClients(w.h, root(TOOLS));
  const repo = allClients(w.h, root(REPO));
  if (opts.busPermission) await tools.events.send(new PutPermissionCommand(eventBusPutPermissionInput(names)));
  await createToolsRoles(tools.iam, ["pipeline", "startOnPush"]);
  await createRepoRoles(repo.iam);
  await tools.cp.send(new CreatePipelineCommand(createPipelineInput(spec, names, store)));
  await tools.events.send(new PutRuleCommand(toolsRuleInput(spec, names)));
  const toolsTargets = await tools.events.send(new PutTargetsCommand(toolsTargetsInput(names)));
  await repo.events.send(new PutRuleCommand(repoRuleInput(spec, names)));
  const repoTargets = await repo.events.send(new PutTargetsCommand(repoTargetsInput(names)));
  return { h: w.h, tools, repo, toolsTargets, repoTargets };
}

async function push(repo: ReturnType<typeof allClients>, branch = spec.branchName) {
  const tip = (await repo.cc.send(new GetBranchCommand({ repositoryName: spec.repositoryName, branchName: branch }))).branch!.commitId;
  return repo.cc.send(
    new CreateCommitCommand({
      repositoryName: spec.repositoryName,
      branchName: branch,
      parentCommitId: tip,
      authorName: "T",
      email: "t@example.com",
      commitMessage: "change",
      putFiles: [{ filePath: `f-${Date.now()}.txt`, fileContent: Buffer.from("x") }],
    }),
  );
}
const executions = (tools: ReturnType<typeof allClients>) =>
  tools.cp.send(new ListPipelineExecutionsCommand({ pipelineName: spec.pipelineName })).then((r) => r.pipelineExecutionSummaries ?? []);

describe("start on push", () => {
  it("a push to the branch starts the pipeline (trigger CloudWatchEvent) when the chain is complete", async () => {
    const { h, tools, repo, toolsTargets, repoTargets } = await setup({ busPermission: true });
    expect([toolsTargets.FailedEntryCount, repoTargets.FailedEntryCount]).toEqual([0, 0]);
    await push(repo);
    const list = await until(
      () => executions(tools),
      (l) => l.length === 2,
    );
    expect(list.map((e) => e.trigger?.triggerType)).toEqual(["CloudWatchEvent", "CreatePipeline"]);
    expect(list[0]).toMatchObject({ status: "InProgress", trigger: { triggerDetail: names.events.toolsRule.arn } });
    const log = await deliveries(h);
    expect(log.map((d) => [d.outcome, d.ruleArn, d.targetArn])).toEqual([
      ["delivered", names.events.repoRule.arn, names.events.toolsBusArn],
      ["delivered", names.events.toolsRule.arn, names.pipeline.arn],
    ]);
    expect(log[1].pipelineExecutionId).toBe(list[0].pipelineExecutionId);
    // A new branch other than the pipeline's matches no rule.
    const tip = (await repo.cc.send(new GetBranchCommand({ repositoryName: spec.repositoryName, branchName: spec.branchName }))).branch!
      .commitId;
    await repo.cc.send(new CreateBranchCommand({ repositoryName: spec.repositoryName, branchName: "feature", commitId: tip }));
    const after = await until(
      () => deliveries(h),
      (l) => l.length === 3,
    );
    expect(after[2]).toMatchObject({ outcome: "no-match", busArn: `arn:aws:events:us-east-1:${REPO}:event-bus/default` });
    expect(await executions(tools)).toHaveLength(2);
  });

  it("without the bus permission PutTargets reports FailedEntryCount=1 and a push starts nothing; /_sandbox/events says why", async () => {
    const { h, tools, repo, repoTargets } = await setup({ busPermission: false });
    expect(repoTargets.FailedEntryCount).toBe(1);
    expect(repoTargets.FailedEntries?.[0]).toMatchObject({ TargetId: names.events.repoRule.targetId, ErrorCode: "AccessDeniedException" });
    await push(repo);
    const log = await until(
      () => deliveries(h),
      (l) => l.length > 0,
    );
    expect(log).toEqual([
      expect.objectContaining({
        outcome: "dropped",
        ruleArn: names.events.repoRule.arn,
        reason: expect.stringContaining("has no targets"),
      }),
    ]);
    expect(await executions(tools)).toHaveLength(1);
  });

  it("a bus permission removed after the target was created drops the event at the tools bus", async () => {
    const { h, tools, repo } = await setup({ busPermission: true });
    await tools.events.send(new RemovePermissionCommand(eventBusRemovePermissionInput(names)));
    await push(repo);
    const log = await until(
      () => deliveries(h),
      (l) => l.length > 0,
    );
    expect(log).toEqual([
      expect.objectContaining({
        outcome: "dropped",
        targetArn: names.events.toolsBusArn,
        reason: expect.stringContaining("no policy allowing account 222222222222"),
      }),
    ]);
    expect(await executions(tools)).toHaveLength(1);
  });
});
