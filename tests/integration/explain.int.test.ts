// Explaining failed runs against the sandbox: a fully applied onboarding is broken by direct AWS calls as the
// account's administrator (tests/support/breakage.ts), the pipeline runs and fails, and explainExecution names the
// kind, the account and the resource, reading both accounts through the provisioning roles. After each case the
// onboarding is re-applied (the Repair the explanation links to) and the next run succeeds again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CodePipelineClient,
  GetPipelineExecutionCommand,
  ListPipelineExecutionsCommand,
  StartPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import { clearExplainCache, detectPushGap, explainExecution, REPAIR_PATH } from "@/lib/explain";
import { verifyOnboarding } from "@/lib/drift";
import { simulatePush } from "@/lib/pipelines/commands";
import { clearPipelineCaches } from "@/lib/pipelines/read";
import type { ResourceNames } from "@/lib/names/derive";
import {
  type Breakage,
  changeCrossAccountPolicy,
  changeCrossAccountTrust,
  deleteBranch,
  disableStartRule,
  removeBucketGrant,
  removeBuildRoleArtifactWrite,
  removeBusPermission,
  removeForwardTarget,
  removeKeyGrant,
} from "../support/breakage";
import { applyRun, namesOf, onboard } from "../support/provision";
import { createRepository, ctxFor, freshAccountId, registerAccount, rootClient, setFaults, testUser } from "../support/world";

const REPO = "222222222222";
let engineer: Awaited<ReturnType<typeof testUser>>;
let onboardingId: string;
let names: ResourceNames;
let cp: CodePipelineClient;

async function apply() {
  const r = await applyRun(engineer, onboardingId);
  expect({ outcome: r.outcome, failures: r.failures }).toEqual({ outcome: "succeeded", failures: [] });
}

async function waitDone(executionId: string): Promise<string> {
  const end = Date.now() + 30_000;
  for (;;) {
    const e = (await cp.send(new GetPipelineExecutionCommand({ pipelineName: names.pipeline.name, pipelineExecutionId: executionId })))
      .pipelineExecution!;
    if (e.status !== "InProgress" && e.status !== "Stopping") return e.status!;
    if (Date.now() > end) throw new Error(`execution ${executionId} still ${e.status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits for the newest execution (whatever started it) to finish. */
async function idle() {
  const [latest] =
    (await cp.send(new ListPipelineExecutionsCommand({ pipelineName: names.pipeline.name, maxResults: 1 }))).pipelineExecutionSummaries ??
    [];
  if (latest) await waitDone(latest.pipelineExecutionId!);
}

async function runToEnd(): Promise<{ id: string; status: string }> {
  await idle();
  const id = (await cp.send(new StartPipelineExecutionCommand({ name: names.pipeline.name }))).pipelineExecutionId!;
  return { id, status: await waitDone(id) };
}

async function explain(executionId: string) {
  clearExplainCache();
  clearPipelineCaches();
  return explainExecution(onboardingId, executionId, engineer.email);
}

beforeAll(async () => {
  engineer = await testUser("engineer");
  await setFaults({ actionMs: 50 });
  const tools = await registerAccount(freshAccountId(6), "tools");
  const repo = await registerAccount(REPO, "repo", "Demo repo");
  const repositoryName = `explain-${Date.now().toString(36)}`;
  await createRepository(REPO, repositoryName);
  const o = await onboard(engineer, { toolsDbId: tools.id, repoDbId: repo.id, repositoryName, pipelineName: `${repositoryName}-main` });
  onboardingId = o.id;
  await apply();
  names = await namesOf(onboardingId);
  cp = rootClient(CodePipelineClient, names.toolsAccountId);
  // The first execution (CreatePipeline starts one) succeeds: the onboarding works before it is broken.
  const { pipelineExecutionSummaries } = await cp.send(new ListPipelineExecutionsCommand({ pipelineName: names.pipeline.name }));
  expect(await waitDone(pipelineExecutionSummaries![0].pipelineExecutionId!)).toBe("Succeeded");
});
afterAll(async () => {
  await setFaults({});
});

/** Break, run, explain, check the first explanation names it, repair, run again. */
async function breakAndExplain(brk: () => Promise<Breakage & { restore?(): Promise<void> }>) {
  const b = await brk();
  const run = await runToEnd();
  expect(run.status).toBe("Failed");
  const x = await explain(run.id);
  expect(x.status).toBe("Failed");
  expect(x.readError).toBeUndefined();
  expect(x.explanations.length, JSON.stringify(x.explanations, null, 1)).toBeGreaterThan(0);
  const first = x.explanations[0];
  expect({ kind: first.kind, accountId: first.account.accountId, resourceArn: first.resourceArn }).toEqual({
    kind: b.kind,
    accountId: b.accountId,
    resourceArn: b.resourceArn,
  });
  // The AWS message is the first piece of evidence.
  expect(first.evidence[0]).toBe(`${x.failedAction!.stageName} / ${x.failedAction!.actionName} failed: ${x.failedAction!.message}`);
  if (b.restore) await b.restore();
  else await apply();
  expect((await runToEnd()).status).toBe("Succeeded");
  return { x, first };
}

describe("explaining a failed execution", () => {
  it("KMS grant missing: names the key policy's missing statement in the tools account", async () => {
    const { first, x } = await breakAndExplain(() => removeKeyGrant(names));
    expect(x.failedAction).toMatchObject({
      stageName: "Source",
      provider: "CodeCommit",
      message: expect.stringContaining("kms:GenerateDataKey"),
    });
    expect(first.account).toEqual({ side: "tools", accountId: names.toolsAccountId, name: `tools ${names.toolsAccountId}` });
    expect(first.what).toContain(`statement ${names.sids.keyRepoAccountsUse} (Allow kms:Encrypt`);
    expect(first.what).toContain(`(account ${REPO})) is missing`);
    expect(first.repair).toEqual({ href: REPAIR_PATH.replace("[id]", onboardingId), label: expect.any(String) });
    expect(first.evidence.some((l) => l.startsWith("+ ") && l.includes(names.sids.keyRepoAccountsUse))).toBe(true);
  });

  it("bucket grant missing: names the bucket policy's missing statement", async () => {
    const { first } = await breakAndExplain(() => removeBucketGrant(names));
    expect(first.what).toContain(`statement ${names.sids.bucketSourceRoleObjects} (Allow s3:GetObject`);
    expect(first.what).toContain("is missing");
  });

  it("cross-account role trust changed: names the role in the repo account, the portal's trust statement missing and the foreign one", async () => {
    const { first } = await breakAndExplain(() => changeCrossAccountTrust(names));
    expect(first.account.side).toBe("repo");
    expect(first.what).toMatch(/statement \S+ \(Allow sts:AssumeRole for .*\) is missing/);
    expect(first.what).toContain(`statement OnlyThisAccount (Allow sts:AssumeRole for account ${REPO}) was added by someone else`);
  });

  it("cross-account role policy changed: names codecommit:GetBranch gone from the role's policy", async () => {
    const { first, x } = await breakAndExplain(() => changeCrossAccountPolicy(names));
    expect(x.failedAction?.message).toContain("codecommit:GetBranch");
    expect(first.what).toContain(
      `its permission policy ${names.policyNames.crossAccount} differs from what the portal wrote: statement SourceRepository`,
    );
  });

  it("branch deleted: names the repository in the repo account, with no Repair (re-applying cannot bring a branch back)", async () => {
    const { first } = await breakAndExplain(() => deleteBranch(names));
    expect(first.what).toContain(`The branch main no longer exists in repository ${names.repository.name}`);
    expect(first.repair).toBeNull();
  });

  it("the build role cannot write artifacts: names the CodeBuild role; the failed phase's log tail comes through GetLogEvents", async () => {
    const { first, x } = await breakAndExplain(() => removeBuildRoleArtifactWrite(names));
    expect(x.failedAction).toMatchObject({
      stageName: "Build",
      provider: "CodeBuild",
      buildPhase: { phase: "UPLOAD_ARTIFACTS", code: "CLIENT_ERROR" },
    });
    expect(first.what).toContain(
      `its permission policy ${names.policyNames.codeBuild} differs from what the portal wrote: statement ArtifactObjects (Allow s3:GetObject*, s3:PutObject`,
    );
    expect(x.buildLog).toMatchObject({ groupName: names.codeBuild.logGroupName, failedPhase: "UPLOAD_ARTIFACTS" });
    expect(x.buildLog!.lines.at(-2)).toMatch(/Phase complete: UPLOAD_ARTIFACTS State: FAILED$/);
    expect(x.buildLog!.lines.at(-1)).toMatch(/Phase context status code: CLIENT_ERROR Message: Error uploading artifacts: AccessDenied: /);
  });
});

describe("since when", () => {
  it("names the time a verify first saw the missing grant", async () => {
    await removeKeyGrant(names);
    const check = await verifyOnboarding(onboardingId, engineer.email);
    const seen = check.items.find((i) => i.stepKey === "tools.key-policy")!;
    expect(seen.status).toBe("drifted");
    const run = await runToEnd();
    expect(run.status).toBe("Failed");
    const x = await explain(run.id);
    expect(x.explanations[0].kind).toBe("kms-grant-missing");
    expect(x.explanations[0].since).toBe(seen.firstSeenAt);
    await apply();
    expect((await runToEnd()).status).toBe("Succeeded");
  });
});

describe("a failed build", () => {
  it("returns the tail of its log (GetLogEvents, newest 50 lines) with the console link, and says the build's own command failed", async () => {
    const pushed = await simulatePush({ id: onboardingId, message: "Break the tests [fail]" }, ctxFor(engineer));
    expect(pushed.executionIds).toHaveLength(1);
    expect(await waitDone(pushed.executionIds[0])).toBe("Failed");
    const x = await explain(pushed.executionIds[0]);
    expect(x.explanations.map((e) => e.kind)).toEqual(["build-command-failed"]);
    expect(x.explanations[0]).toMatchObject({
      account: { side: "tools", accountId: names.toolsAccountId },
      resourceArn: expect.stringMatching(
        new RegExp(`^arn:aws:codebuild:us-east-1:${names.toolsAccountId}:build/${names.codeBuild.projectName}:`),
      ),
      repair: null,
    });
    const log = x.buildLog!;
    expect(log.failedPhase).toBe("BUILD");
    expect(log.lines.length).toBeGreaterThan(10);
    expect(log.lines.length).toBeLessThanOrEqual(50);
    expect(log.lines.some((l) => l.endsWith("Command did not exit successfully npm test exit status 1"))).toBe(true);
    expect(log.lines.some((l) => l.endsWith("Phase complete: BUILD State: FAILED"))).toBe(true);
    expect(log.consoleUrl).toBe(
      `https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Fcodebuild$252Fportal$252F${names.codeBuild.projectName}/log-events/${log.streamName}`,
    );
    expect(log.deepLink).toMatch(/\/_sandbox\/codebuild\/builds\/.+\/log$/);
    // A succeeding push afterwards: nothing to explain.
    const fixed = await simulatePush({ id: onboardingId, message: "Fix the tests" }, ctxFor(engineer));
    expect(await waitDone(fixed.executionIds[0])).toBe("Succeeded");
    expect((await explain(fixed.executionIds[0])).explanations).toEqual([]);
  });
});

describe("pushes not reaching the pipeline", () => {
  for (const [label, brk] of [
    ["the start rule disabled", disableStartRule],
    ["the forwarding rule's target removed", removeForwardTarget],
    ["the bus permission removed", removeBusPermission],
  ] as const) {
    it(`${label}: a push starts nothing and the gap names the broken link`, async () => {
      clearExplainCache();
      expect(await detectPushGap(onboardingId, engineer.email)).toEqual([]);
      const b = await brk(names);
      const pushed = await simulatePush({ id: onboardingId, message: `Lost push (${label})` }, ctxFor(engineer));
      expect(pushed.executionIds).toEqual([]);
      clearExplainCache();
      clearPipelineCaches();
      const gap = await detectPushGap(onboardingId, engineer.email);
      expect(gap.map((e) => ({ kind: e.kind, accountId: e.account.accountId, resourceArn: e.resourceArn }))).toEqual([
        { kind: b.kind, accountId: b.accountId, resourceArn: b.resourceArn },
      ]);
      expect(gap[0].what).toMatch(new RegExp(`^Commit ${pushed.commitId.slice(0, 7)} on main did not start ${names.pipeline.name}: `));
      expect(gap[0].evidence[0]).toContain(pushed.commitId);
      await apply();
      const heard = await simulatePush({ id: onboardingId, message: `Heard again (${label})` }, ctxFor(engineer));
      expect(heard.executionIds).toHaveLength(1);
      expect(await waitDone(heard.executionIds[0])).toBe("Succeeded");
      clearExplainCache();
      expect(await detectPushGap(onboardingId, engineer.email)).toEqual([]);
    });
  }

  it("the disabled rule's explanation says so in words", async () => {
    await disableStartRule(names);
    await simulatePush({ id: onboardingId, message: "Another lost push" }, ctxFor(engineer));
    clearExplainCache();
    const [e] = await detectPushGap(onboardingId, engineer.email);
    expect(e.what).toContain(`the EventBridge rule ${names.events.toolsRule.name} is DISABLED (the portal set ENABLED)`);
    await apply();
  });
});
