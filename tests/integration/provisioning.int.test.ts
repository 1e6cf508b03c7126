import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GetKeyPolicyCommand, KMSClient, ListKeysCommand, ListResourceTagsCommand } from "@aws-sdk/client-kms";
import { GetBucketPolicyCommand, PutBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import { CodePipelineClient, GetPipelineCommand } from "@aws-sdk/client-codepipeline";
import { GetRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { db } from "@/lib/db";
import { createOnboarding, planOnboarding, resumeRun, startApply, updateOnboarding } from "@/lib/onboarding/service";
import { claimRun, executeRun, requeueStaleRuns, runNextQueued, SimulatedCrash } from "@/lib/worker-main/runner";
import { ALL_STEPS } from "@/lib/provisioning/steps";
import { STORE_TAG_KEY } from "@/lib/provisioning/steps/kms-key";
import { provisioningPolicyParts } from "@/lib/resources/provisioning-role";
import { namesOf } from "../support/provision";
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
const fastRetry = { retryableBudgetMs: 60_000, propagationBudgetMs: 60_000, baseDelayMs: 50, maxDelayMs: 2_000 };
const worker = (extra: object = {}) => ({ workerId: "test-worker", retry: fastRetry, heartbeatMs: 200, ...extra });

let user: Awaited<ReturnType<typeof testUser>>;
let repoDbId: string;

beforeAll(async () => {
  user = await testUser("engineer");
  repoDbId = (await registerAccount(REPO, "repo", "Demo repo")).id;
});

afterEach(async () => {
  await setFaults({});
});

async function onboard(
  opts: {
    tools?: string;
    repoDbId?: string;
    repositoryName?: string;
    pipelineName?: string;
    approval?: boolean;
    notifications?: boolean;
  } = {},
) {
  const toolsId = opts.tools ?? freshAccountId();
  const tools = await registerAccount(toolsId, "tools");
  const pipelineName = opts.pipelineName ?? `p-${toolsId}`;
  const o = await createOnboarding(
    {
      toolsAccountId: tools.id,
      repoAccountId: opts.repoDbId ?? repoDbId,
      region: "us-east-1",
      repositoryName: opts.repositoryName ?? "demo-service",
      branchName: "main",
      pipelineName,
      pipelineType: "V1",
      buildMode: "create",
      buildProject: `${pipelineName}-build`,
      approval: opts.approval ?? true,
      notifications: opts.notifications ?? false,
      notificationEmails: opts.notifications ? ["team@example.com"] : [],
    },
    ctxFor(user),
  );
  return { o, toolsId, pipelineName };
}

async function applyAndRun(onboardingId: string, extra: object = {}) {
  const run = await startApply(onboardingId, ctxFor(user));
  return { run, outcome: await execute(run.id, extra) };
}

/** Claims and executes this very run (other tests' runs must not be picked up by accident). */
async function execute(runId: string, extra: object = {}) {
  const opts = worker(extra);
  expect(await claimRun(runId, opts.workerId)).toBe(true);
  return executeRun(runId, opts);
}

/** Outcome plus the messages of failed steps, so a failing assertion says why. */
async function applied(onboardingId: string, extra: object = {}) {
  const { run, outcome } = await applyAndRun(onboardingId, extra);
  const failures = (await db.runStep.findMany({ where: { runId: run.id, status: "failed" } })).map(
    (s) => `${s.stepKey}: ${s.errorMessage}`,
  );
  return { run, result: { outcome, failures } };
}

const OK = { outcome: "succeeded", failures: [] };

const mutating = async () => (await calls()).filter((c) => c.mutating);

describe("apply through the durable runner, against the sandbox", () => {
  it("provisions every resource, records ARNs and the ledger, then re-applies with zero mutating calls", async () => {
    const { o, toolsId, pipelineName } = await onboard();
    const { run, result } = await applied(o.id);
    expect(result).toEqual(OK);
    const steps = await db.runStep.findMany({ where: { runId: run.id } });
    expect(steps.every((s) => s.status === "succeeded")).toBe(true);
    const refreshed = await db.onboarding.findUniqueOrThrow({ where: { id: o.id } });
    expect(refreshed).toMatchObject({ status: "active", pipelineArn: `arn:aws:codepipeline:us-east-1:${toolsId}:${pipelineName}` });

    const pipeline = await rootClient(CodePipelineClient, toolsId).send(new GetPipelineCommand({ name: pipelineName }));
    expect(pipeline.pipeline?.artifactStore?.encryptionKey?.id).toMatch(new RegExp(`^arn:aws:kms:us-east-1:${toolsId}:key/`));
    expect(pipeline.pipeline?.stages?.map((s) => s.name)).toEqual(["Source", "Approval", "Build"]);
    const names = await namesOf(o.id);
    const xacct = await rootClient(IAMClient, REPO).send(new GetRoleCommand({ RoleName: names.roles.crossAccount.name }));
    expect(xacct.Role?.Arn).toBe(`arn:aws:iam::${REPO}:role/portal/${pipelineName}-${toolsId}-us-east-1-xacct-source`);
    expect(xacct.Role?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(`arn:aws:iam::${REPO}:policy/portal/crossline-portal-boundary`);
    expect(pipeline.pipeline?.artifactStore?.location).toBe(names.artifactStore.bucketName);

    const ledger = await db.provisionedResource.findMany({ where: { onboardingId: o.id } });
    expect(ledger.map((l) => l.kind).sort()).toEqual([
      "codebuild-project",
      "codepipeline",
      "event-bus-permission",
      "eventbridge-rule",
      "eventbridge-rule",
      "iam-role",
      "iam-role",
      "iam-role",
      "iam-role",
      "iam-role",
      "kms-key",
      "s3-bucket",
    ]);
    expect(ledger.every((l) => l.origin === "created")).toBe(true);
    const finished = await db.auditEvent.findFirstOrThrow({ where: { action: "onboardings.apply.finished", targetId: o.id } });
    expect(finished.outcome).toBe("success");
    expect(finished.requestIds?.split(",").length).toBeGreaterThan(20);

    await resetCalls();
    const plan = await planOnboarding(o.id, ctxFor(user));
    expect(plan.items.map((i) => [i.stepKey, i.action]).filter(([, a]) => a !== "no-change")).toEqual([]);
    expect(await mutating()).toEqual([]);

    expect((await applied(o.id)).result).toEqual(OK);
    expect(await mutating()).toEqual([]);
  });

  it("plans without writing anything and shows the documents", async () => {
    const { o } = await onboard();
    await resetCalls();
    const plan = await planOnboarding(o.id, ctxFor(user));
    expect(await mutating()).toEqual([]);
    expect(plan.summary.create).toBe(plan.items.length - 1);
    expect(plan.items.find((i) => i.stepKey === "tools.retire-unused")?.action).toBe("no-change");
    const key = plan.items.find((i) => i.stepKey === "tools.kms-key")!;
    expect(key.action).toBe("create");
    const xacct = plan.items.find((i) => i.stepKey === "repo.cross-account-role")!;
    expect(JSON.stringify(xacct.documents[0].desired)).toContain("aws:PrincipalArn");
    expect(JSON.stringify(plan.pipelineJson)).toContain('"PollForSourceChanges":"false"');
    expect(plan.cli.length).toBeGreaterThan(5);
  });

  it.each(ALL_STEPS.map((s) => s.key))("survives a crash after the AWS work of %s and before its row is written", async (crashKey) => {
    // The notification steps run only for an onboarding that opted in (they add the topic and the rule to the ledger).
    const notifications = crashKey.startsWith("tools.notifications-");
    const { o, toolsId, pipelineName } = await onboard({ notifications });
    const first = await applyAndRun(o.id, {
      beforeStepRecorded: (key: string) => {
        if (key === crashKey) throw new SimulatedCrash(key);
      },
    });
    expect(first.outcome).toBe("crashed");
    expect((await db.run.findUniqueOrThrow({ where: { id: first.run.id } })).status).toBe("running");
    expect(await requeueStaleRuns(0)).toContain(first.run.id);
    expect(await execute(first.run.id)).toBe("succeeded");

    const kms = rootClient(KMSClient, toolsId);
    const keys = (await kms.send(new ListKeysCommand({}))).Keys ?? [];
    const tagged = [];
    for (const k of keys) {
      const tags = await kms.send(new ListResourceTagsCommand({ KeyId: k.KeyId! }));
      if (tags.Tags?.some((t) => t.TagKey === STORE_TAG_KEY)) tagged.push(k.KeyId);
    }
    expect(tagged).toHaveLength(1);
    const pipeline = await rootClient(CodePipelineClient, toolsId).send(new GetPipelineCommand({ name: pipelineName }));
    expect(pipeline.pipeline?.version).toBe(1);
    const ledger = await db.provisionedResource.count({ where: { onboardingId: o.id } });
    expect(ledger).toBe(notifications ? 14 : 12);
  });

  it("rides through a 10 s IAM propagation delay", async () => {
    const { o } = await onboard();
    // Every role is invisible for 10 s after its creation: the provisioning roles registered just now, and
    // each role the run creates (KMS, S3, CodeBuild, CodePipeline and STS all refuse it meanwhile).
    await setFaults({ iamPropagationDelayMs: 10_000 });
    const started = Date.now();
    expect((await applied(o.id)).result).toEqual(OK);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
  }, 180_000);

  it("rides through 30% throttling", async () => {
    const { o } = await onboard();
    await setFaults({ throttleRate: 0.3 });
    const { outcome, run } = await applyAndRun(o.id);
    const failed = await db.runStep.findMany({ where: { runId: run.id, status: "failed" } });
    expect(failed.map((f) => f.errorMessage)).toEqual([]);
    expect(outcome).toBe("succeeded");
    expect((await calls()).some((c) => c.status === 400 && c.mutating !== undefined)).toBe(true);
  }, 180_000);

  it("keeps both grants when two onboardings from different repo accounts apply concurrently on one tools account", async () => {
    const toolsId = freshAccountId();
    const otherRepo = freshAccountId(4);
    const otherRepoDb = await registerAccount(otherRepo, "repo");
    await createRepository(otherRepo, "other-service");
    const a = await onboard({ tools: toolsId, pipelineName: `a-${toolsId}` });
    const b = await onboard({ tools: toolsId, repoDbId: otherRepoDb.id, repositoryName: "other-service", pipelineName: `b-${toolsId}` });
    await startApply(a.o.id, ctxFor(user));
    await startApply(b.o.id, ctxFor(user));
    const outcomes = await Promise.all([runNextQueued(worker({ workerId: "w1" })), runNextQueued(worker({ workerId: "w2" }))]);
    const failures = await db.runStep.findMany({ where: { status: "failed", run: { onboardingId: { in: [a.o.id, b.o.id] } } } });
    expect(failures.map((f) => `${f.stepKey}: ${f.errorMessage}`)).toEqual([]);
    expect(outcomes).toEqual(["succeeded", "succeeded"]);

    const kms = rootClient(KMSClient, toolsId);
    const keyPolicy = JSON.parse(
      (await kms.send(new GetKeyPolicyCommand({ KeyId: "alias/codepipeline-artifacts-us-east-1", PolicyName: "default" }))).Policy!,
    );
    const repoGrant = keyPolicy.Statement.find((s: { Sid: string }) => s.Sid === "PortalRepoAccountsUse");
    expect([repoGrant.Principal.AWS].flat().sort()).toEqual([`arn:aws:iam::${REPO}:root`, `arn:aws:iam::${otherRepo}:root`].sort());
    // Each onboarding has its own bucket, whose policy names only its own source role.
    const s3 = rootClient(S3Client, toolsId);
    for (const [mine, theirs] of [
      [a, b],
      [b, a],
    ]) {
      const n = await namesOf(mine.o.id);
      const policy = (await s3.send(new GetBucketPolicyCommand({ Bucket: n.artifactStore.bucketName }))).Policy!;
      expect(policy).toContain(n.roles.crossAccount.arn);
      expect(policy).not.toContain((await namesOf(theirs.o.id)).roles.crossAccount.arn);
    }
  });

  it("keeps statements the portal did not write in the bucket and key policies", async () => {
    const toolsId = freshAccountId();
    const first = await onboard({ tools: toolsId, pipelineName: `f-${toolsId}` });
    expect((await applied(first.o.id)).result).toEqual(OK);
    const s3 = rootClient(S3Client, toolsId);
    const bucket = (await namesOf(first.o.id)).artifactStore.bucketName;
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!);
    policy.Statement.push({
      Sid: "TeamAuditorRead",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${toolsId}:root` },
      Action: "s3:GetObject",
      Resource: `arn:aws:s3:::${bucket}/*`,
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
    expect((await applied(first.o.id)).result).toEqual(OK);
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!).toContain("TeamAuditorRead");

    const second = await onboard({ tools: toolsId, pipelineName: `g-${toolsId}` });
    expect((await applied(second.o.id)).result).toEqual(OK);
    const keyPolicy = JSON.parse(
      (
        await rootClient(KMSClient, toolsId).send(
          new GetKeyPolicyCommand({ KeyId: "alias/codepipeline-artifacts-us-east-1", PolicyName: "default" }),
        )
      ).Policy!,
    );
    // Two pipelines of one repo account: one grant, naming the account once.
    expect(keyPolicy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      "PortalKeyAdministration",
      "PortalProvisioningRoleAdministers",
      "PortalRepoAccountsUse",
    ]);
    expect(keyPolicy.Statement[2].Principal.AWS).toBe(`arn:aws:iam::${REPO}:root`);
  });

  it("fails with an actionable message when the provisioning role lacks a permission, and resumes without re-running succeeded steps", async () => {
    const { o, toolsId } = await onboard();
    const iam = rootClient(IAMClient, toolsId);
    // The role's inline policy as deployed, plus a Deny of CreatePipeline (the grant itself is in the attached tools policy).
    const full = provisioningPolicyParts({ accountId: toolsId, purpose: "tools" }).inline;
    const crippled = {
      ...full,
      Statement: [
        ...full.Statement,
        { Sid: "TestDenyCreatePipeline", Effect: "Deny" as const, Action: "codepipeline:CreatePipeline", Resource: "*" },
      ],
    };
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: "crossline-portal-provisioning",
        PolicyName: "portal-provisioning",
        PolicyDocument: JSON.stringify(crippled),
      }),
    );

    const { run, outcome } = await applyAndRun(o.id);
    expect(outcome).toBe("failed");
    const failed = await db.runStep.findFirstOrThrow({ where: { runId: run.id, status: "failed" } });
    expect(failed.stepKey).toBe("tools.pipeline");
    expect(failed.errorMessage).toContain("codepipeline:CreatePipeline");
    expect(failed.errorMessage).toContain(`arn:aws:iam::${toolsId}:role/crossline-portal-provisioning`);
    expect(failed.errorMessage).toMatch(/Add the missing permission/);

    await iam.send(
      new PutRolePolicyCommand({
        RoleName: "crossline-portal-provisioning",
        PolicyName: "portal-provisioning",
        PolicyDocument: JSON.stringify(full),
      }),
    );
    await resetCalls();
    await resumeRun(run.id, ctxFor(user));
    expect(await execute(run.id)).toBe("succeeded");
    const steps = await db.runStep.findMany({ where: { runId: run.id } });
    expect(
      steps
        .filter((s) => s.attempts > 1)
        .map((s) => s.stepKey)
        .sort(),
    ).toEqual(["tools.pipeline"]);
    expect((await mutating()).map((c) => c.action)).toEqual(["CreatePipeline", "PutRule", "PutTargets"]);
  });

  it("an edit of the branch plans and applies only the updates", async () => {
    const repoName = `edit-${Date.now()}`;
    await createRepository(REPO, repoName);
    await createRepository(REPO, repoName, "develop").catch(() => undefined);
    const { o } = await onboard({ repositoryName: repoName });
    expect((await applied(o.id)).result).toEqual(OK);
    const { CodeCommitClient, CreateBranchCommand, GetBranchCommand } = await import("@aws-sdk/client-codecommit");
    const cc = rootClient(CodeCommitClient, REPO);
    const main = await cc.send(new GetBranchCommand({ repositoryName: repoName, branchName: "main" }));
    await cc.send(new CreateBranchCommand({ repositoryName: repoName, branchName: "release", commitId: main.branch!.commitId! }));

    await updateOnboarding(
      { id: o.id, branchName: "release", pipelineType: "V1", buildMode: "create", buildProject: o.buildProject, approval: true },
      ctxFor(user),
    );
    const plan = await planOnboarding(o.id, ctxFor(user));
    const changed = plan.items
      .filter((i) => i.action !== "no-change")
      .map((i) => i.stepKey)
      .sort();
    expect(changed).toEqual(["repo.forward-push-rule", "tools.pipeline", "tools.start-on-push-rule"]);
    await resetCalls();
    expect((await applied(o.id)).result).toEqual(OK);
    expect((await mutating()).map((c) => c.action).sort()).toEqual(["PutRule", "PutRule", "UpdatePipeline"]);
  });

  it("refuses a pipeline name used by a pipeline the portal did not create, before writing anything", async () => {
    const first = await onboard();
    expect((await applied(first.o.id)).result).toEqual(OK);
    // Same tools account, same name, but as a new onboarding: the existing pipeline is not its own.
    const tools = await db.awsAccount.findUniqueOrThrow({ where: { accountId: first.toolsId } });
    await db.onboarding.update({ where: { id: first.o.id }, data: { pipelineName: `${first.pipelineName}-renamed` } });
    await expect(
      createOnboarding(
        {
          toolsAccountId: tools.id,
          repoAccountId: repoDbId,
          region: "us-east-1",
          repositoryName: "demo-service",
          branchName: "main",
          pipelineName: first.pipelineName,
          pipelineType: "V1",
          buildMode: "create",
          buildProject: "other-build",
          approval: false,
        },
        ctxFor(user),
      ),
    ).rejects.toMatchObject({ fieldErrors: { pipelineName: [expect.stringContaining("already exists")] } });
  });

  it("refuses a pipeline name another onboarding uses, and an account the portal cannot assume into, before writing anything", async () => {
    const first = await onboard();
    const tools = await db.awsAccount.findUniqueOrThrow({ where: { accountId: first.toolsId } });
    const input = {
      toolsAccountId: tools.id,
      repoAccountId: repoDbId,
      region: "us-east-1",
      repositoryName: "demo-service",
      branchName: "main",
      pipelineName: first.pipelineName,
      pipelineType: "V1" as const,
      buildMode: "create" as const,
      buildProject: "x-build",
      approval: false,
    };
    await expect(createOnboarding(input, ctxFor(user))).rejects.toMatchObject({
      fieldErrors: { pipelineName: [expect.stringContaining("already uses the pipeline name")] },
    });

    await db.awsAccount.update({ where: { id: tools.id }, data: { externalId: "no-longer-matches" } });
    await resetCalls();
    await expect(createOnboarding({ ...input, pipelineName: `${first.pipelineName}-2` }, ctxFor(user))).rejects.toMatchObject({
      fieldErrors: { toolsAccountId: [expect.stringContaining("cannot act in")] },
    });
    expect(await mutating()).toEqual([]);
    expect(await db.onboarding.count({ where: { toolsAccountId: tools.id } })).toBe(1);
  });

  it("refuses a missing repository or branch with field errors", async () => {
    const tools = await registerAccount(freshAccountId(), "tools");
    const base = {
      toolsAccountId: tools.id,
      repoAccountId: repoDbId,
      region: "us-east-1",
      pipelineName: `m-${Date.now()}`,
      pipelineType: "V1" as const,
      buildMode: "create" as const,
      buildProject: `m-${Date.now()}-b`,
      approval: false,
    };
    await expect(createOnboarding({ ...base, repositoryName: "nope", branchName: "main" }, ctxFor(user))).rejects.toMatchObject({
      fieldErrors: { repositoryName: [expect.stringContaining("No repository named nope")] },
    });
    await expect(createOnboarding({ ...base, repositoryName: "demo-service", branchName: "nope" }, ctxFor(user))).rejects.toMatchObject({
      fieldErrors: { branchName: [expect.stringContaining("no branch named nope")] },
    });
    expect(await db.onboarding.count({ where: { toolsAccountId: tools.id } })).toBe(0);
  });
});

describe("restart safety", () => {
  it("requeues at once a run whose worker process on this host is gone, and leaves a live worker's run alone", async () => {
    const { isDeadLocalWorker } = await import("@/lib/runs/worker");
    const { hostname } = await import("node:os");
    const { o } = await onboard();
    const run = await startApply(o.id, ctxFor(user));
    const deadPid = 2 ** 22 + 12345; // above the default pid_max: no such process
    expect(await claimRun(run.id, `${hostname()}:${deadPid}`)).toBe(true);
    expect(await requeueStaleRuns(60_000, () => false)).not.toContain(run.id);
    expect(await requeueStaleRuns(60_000, (w) => isDeadLocalWorker(w))).toContain(run.id);
    expect(isDeadLocalWorker(`${hostname()}:${process.pid}`)).toBe(false);
    expect(isDeadLocalWorker(`other-host:${deadPid}`)).toBe(false);
    expect(await execute(run.id)).toBe("succeeded");
  });
});
