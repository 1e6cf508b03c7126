// Offboarding against the sandbox, through the teardown service and the durable runner: AWS (read as each
// account's root) holds no portal-created resource afterwards, foreign statements and adopted resources stay, a
// crash after any destroy step resumes to the same end, another onboarding of the same accounts keeps working,
// what is already gone is no obstacle, and the accounts become removable.
import { beforeAll, describe, expect, it } from "vitest";
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { DescribeEventBusCommand, EventBridgeClient, PutPermissionCommand } from "@aws-sdk/client-eventbridge";
import { CodePipelineClient, DeletePipelineCommand } from "@aws-sdk/client-codepipeline";
import { DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand, IAMClient, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { db } from "@/lib/db";
import { deleteAccount } from "@/lib/accounts/service";
import { requeueStaleRuns, SimulatedCrash } from "@/lib/worker-main/runner";
import { simulatePush } from "@/lib/pipelines/commands";
import { DESTROY_STEPS } from "@/lib/teardown/steps";
import { teardownPlan, startDestroy } from "@/lib/teardown/service";
import { UserFacingError } from "@/lib/core/errors";
import { applyRun, namesOf, onboard } from "../support/provision";
import { executeDestroy, offboardRun } from "../support/offboard";
import { portalResourcesLeft } from "../support/aws-state";
import { createRepository, ctxFor, freshAccountId, registerAccount, rootClient, testUser } from "../support/world";

let user: Awaited<ReturnType<typeof testUser>>;
let seq = 0;

beforeAll(async () => {
  user = await testUser("engineer");
});

/** A fresh tools account (own key and bus) and repo account, a repository, onboarded and applied. */
async function provisioned(opts: { toolsId?: string; repoId?: string } = {}) {
  const toolsId = opts.toolsId ?? freshAccountId(6);
  const repoId = opts.repoId ?? freshAccountId(7);
  const [tools, repo] = [await registerAccount(toolsId, "tools"), await registerAccount(repoId, "repo")];
  const repositoryName = `off-${Date.now().toString(36)}-${++seq}`;
  await createRepository(repoId, repositoryName);
  const o = await onboard(user, { toolsDbId: tools.id, repoDbId: repo.id, repositoryName, pipelineName: `${repositoryName}-main` });
  const applied = await applyRun(user, o.id);
  expect(applied.failures).toEqual([]);
  return { o, tools, repo, toolsId, repoId, names: await namesOf(o.id) };
}

async function keyPolicy(toolsId: string, keyArn: string) {
  return JSON.parse(
    (await rootClient(KMSClient, toolsId).send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: "default" }))).Policy!,
  ) as { Statement: { Sid?: string; Principal?: unknown }[] };
}

async function busSids(toolsId: string) {
  const bus = await rootClient(EventBridgeClient, toolsId).send(new DescribeEventBusCommand({ Name: "default" }));
  return bus.Policy ? (JSON.parse(bus.Policy) as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid) : [];
}

describe("offboarding", () => {
  it("after a full apply leaves no portal-created resource in AWS, keeps foreign statements, and frees the accounts", async () => {
    const p = await provisioned();
    const kms = rootClient(KMSClient, p.toolsId);
    const keyArn = (await kms.send(new DescribeKeyCommand({ KeyId: p.names.artifactStore.kmsAlias }))).KeyMetadata!.Arn!;
    // Someone else's statements in the shared key policy and on the default bus.
    const foreignKey = {
      Sid: "TeamAuditorsDescribe",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${p.toolsId}:root` },
      Action: "kms:DescribeKey",
      Resource: "*",
    };
    const doc = await keyPolicy(p.toolsId, keyArn);
    await kms.send(
      new PutKeyPolicyCommand({
        KeyId: keyArn,
        PolicyName: "default",
        Policy: JSON.stringify({ ...doc, Statement: [...doc.Statement, foreignKey] }),
      }),
    );
    const other = freshAccountId(8);
    await rootClient(EventBridgeClient, p.toolsId).send(
      new PutPermissionCommand({ EventBusName: "default", Action: "events:PutEvents", Principal: other, StatementId: "team-analytics" }),
    );

    // The plan: every created resource as "delete", the shared statements with their diffs, nothing written.
    const plan = await teardownPlan(p.o.id, { deleteBucket: true, deleteKey: true, keyWaitingDays: 7 }, ctxFor(user));
    const deleted = plan.items.filter((i) => i.action === "delete").map((i) => `${i.kind} ${i.name}`);
    expect(deleted).toEqual(
      expect.arrayContaining([
        `codepipeline ${p.names.pipeline.name}`,
        `s3-bucket ${p.names.artifactStore.bucketName}`,
        `kms-key ${p.names.artifactStore.kmsAlias}`,
        `iam-role ${p.names.roles.crossAccount.name}`,
        `eventbridge-rule ${p.names.events.repoRule.name}`,
      ]),
    );
    expect(deleted).toHaveLength(1 + 1 + 1 + 5 + 2 + 1); // pipeline, bucket, key, 5 roles, 2 rules, project
    const keyItem = plan.items.find((i) => i.kind === "kms-key-policy")!;
    expect(keyItem.action).toBe("update");
    expect(keyItem.documents[0].diff).toContain(`- `);
    expect(JSON.stringify(keyItem.documents[0].desired)).toContain("TeamAuditorsDescribe");
    expect(plan.items.find((i) => i.kind === "event-bus-permission")?.action).toBe("update");
    expect(await portalResourcesLeft(p.names)).toHaveLength(10);

    const { outcome, failures } = await offboardRun(user, p.o.id, { deleteBucket: true, deleteKey: true, keyWaitingDays: 7 });
    expect({ outcome, failures }).toEqual({ outcome: "succeeded", failures: [] });
    expect(await portalResourcesLeft(p.names)).toEqual([]);
    const key = (await kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata!;
    expect(key.KeyState).toBe("PendingDeletion");
    await expect(kms.send(new DescribeKeyCommand({ KeyId: p.names.artifactStore.kmsAlias }))).rejects.toMatchObject({
      name: "NotFoundException",
    });
    const after = await keyPolicy(p.toolsId, keyArn);
    expect(after.Statement.find((s) => s.Sid === "TeamAuditorsDescribe")).toEqual(foreignKey);
    expect(JSON.stringify(after)).not.toContain(p.repoId);
    expect(await busSids(p.toolsId)).toEqual(["team-analytics"]);

    const row = await db.onboarding.findUniqueOrThrow({ where: { id: p.o.id }, include: { runs: true } });
    expect(row.status).toBe("offboarded");
    expect(row.runs.map((r) => r.kind).sort()).toEqual(["apply", "destroy"]);
    expect(await db.provisionedResource.count({ where: { onboardingId: p.o.id } })).toBe(0);
    expect(await db.provisionedResource.count({ where: { accountId: p.toolsId } })).toBe(0);
    const audit = await db.auditEvent.findMany({ where: { targetId: p.o.id, action: { startsWith: "onboardings.destroy" } } });
    expect(audit.map((a) => a.action).sort()).toEqual(["onboardings.destroy.finished", "onboardings.destroy.started"]);

    // Offboarded ones no longer block removing the accounts; their history stays.
    const admin = await testUser("admin");
    await deleteAccount(p.tools.id, ctxFor(admin));
    await deleteAccount(p.repo.id, ctxFor(admin));
    expect((await db.awsAccount.findUniqueOrThrow({ where: { id: p.tools.id } })).removedAt).not.toBeNull();
    expect((await db.onboarding.findUniqueOrThrow({ where: { id: p.o.id } })).status).toBe("offboarded");
    // The same pipeline name can be onboarded again once the account is registered again.
    const again = await registerAccount(p.toolsId, "tools");
    expect(again.id).toBe(p.tools.id);
  });

  it("keeps the bucket and the key by default, and never deletes an adopted resource", async () => {
    const p = await provisioned();
    // The pipeline role counts as adopted (it existed before the portal took it over).
    await db.provisionedResource.updateMany({
      where: { onboardingId: p.o.id, name: p.names.roles.pipeline.name },
      data: { origin: "adopted" },
    });
    const plan = await teardownPlan(p.o.id, {}, ctxFor(user));
    const kept = Object.fromEntries(plan.items.filter((i) => i.action === "keep").map((i) => [i.name, i.reason]));
    expect(kept[p.names.artifactStore.bucketName]).toMatch(/^retained by choice/);
    expect(kept[p.names.artifactStore.kmsAlias]).toMatch(/^retained by choice/);
    expect(kept[p.names.roles.pipeline.name]).toMatch(/^adopted/);

    expect((await offboardRun(user, p.o.id)).failures).toEqual([]);
    expect((await portalResourcesLeft(p.names)).sort()).toEqual(
      [`bucket ${p.names.artifactStore.bucketName}`, `tools role ${p.names.roles.pipeline.name}`].sort(),
    );
    expect(
      (await rootClient(KMSClient, p.toolsId).send(new DescribeKeyCommand({ KeyId: p.names.artifactStore.kmsAlias }))).KeyMetadata
        ?.KeyState,
    ).toBe("Enabled");
  });

  it("refuses a key waiting period outside 7-30 days before writing anything", async () => {
    const p = await provisioned();
    await expect(startDestroy(p.o.id, ctxFor(user), { deleteKey: true, keyWaitingDays: 3 })).rejects.toBeInstanceOf(UserFacingError);
    await expect(teardownPlan(p.o.id, { keyWaitingDays: 31 }, ctxFor(user))).rejects.toBeInstanceOf(UserFacingError);
    const viewer = await testUser("viewer");
    await expect(startDestroy(p.o.id, ctxFor(viewer), {})).rejects.toBeInstanceOf(UserFacingError);
    expect(await db.run.count({ where: { onboardingId: p.o.id, kind: "destroy" } })).toBe(0);
    expect((await db.onboarding.findUniqueOrThrow({ where: { id: p.o.id } })).status).toBe("active");
  });

  it("a crash after each destroy step, then resume, reaches the same end state", async () => {
    for (const step of DESTROY_STEPS) {
      const p = await provisioned();
      const run = await startDestroy(p.o.id, ctxFor(user), { deleteBucket: true, deleteKey: true, keyWaitingDays: 7 });
      let crashed = false;
      const first = await executeDestroy(run.id, {
        workerId: `crash-${step.key}`,
        beforeStepRecorded: (key) => {
          if (key === step.key && !crashed) {
            crashed = true;
            throw new SimulatedCrash();
          }
        },
      });
      expect(first.outcome, step.key).toBe("crashed");
      expect(await requeueStaleRuns(0, (w) => w === `crash-${step.key}`)).toContain(run.id);
      const second = await executeDestroy(run.id, { workerId: `resume-${step.key}` });
      expect({ step: step.key, ...second }).toEqual({ step: step.key, outcome: "succeeded", failures: [] });
      expect(await portalResourcesLeft(p.names), step.key).toEqual([]);
      expect(await db.provisionedResource.count({ where: { onboardingId: p.o.id } }), step.key).toBe(0);
      expect(await busSids(p.toolsId), step.key).toEqual([]);
    }
  }, 600_000);

  it("offboarding one of two onboardings sharing the repo and tools accounts leaves the other working", async () => {
    const a = await provisioned();
    const b = await provisioned({ toolsId: a.toolsId, repoId: a.repoId });
    const plan = await teardownPlan(a.o.id, { deleteKey: true, keyWaitingDays: 7 }, ctxFor(user));
    expect(plan.items.find((i) => i.kind === "kms-key")).toMatchObject({
      action: "keep",
      reason: `still used by onboarding ${b.names.pipeline.name}`,
    });
    expect(plan.items.find((i) => i.kind === "event-bus-permission")).toMatchObject({ action: "keep" });

    expect((await offboardRun(user, a.o.id, { deleteBucket: true, deleteKey: true, keyWaitingDays: 7 })).failures).toEqual([]);
    expect(await portalResourcesLeft(a.names)).toEqual([]);
    expect(await portalResourcesLeft(b.names)).toHaveLength(10);
    expect(await busSids(a.toolsId)).toEqual([b.names.events.statementId]);
    const keyArn = (await rootClient(KMSClient, a.toolsId).send(new DescribeKeyCommand({ KeyId: b.names.artifactStore.kmsAlias })))
      .KeyMetadata!.Arn!;
    expect(JSON.stringify(await keyPolicy(a.toolsId, keyArn))).toContain(`arn:aws:iam::${a.repoId}:root`);
    // A push still starts the other pipeline (the EventBridge chain across both accounts is intact).
    const pushed = await simulatePush({ id: b.o.id, message: "still alive" }, ctxFor(user));
    expect(pushed.executionIds).toHaveLength(1);
    // The repo and tools accounts are still in use by b.
    const admin = await testUser("admin");
    await expect(deleteAccount(a.tools.id, ctxFor(admin))).rejects.toThrow(/Offboard those onboardings first/);
  });

  it("deleting what is already gone succeeds", async () => {
    const p = await provisioned();
    await rootClient(CodePipelineClient, p.toolsId).send(new DeletePipelineCommand({ name: p.names.pipeline.name }));
    const repoIam = rootClient(IAMClient, p.repoId);
    const role = p.names.roles.crossAccount.name;
    for (const name of (await repoIam.send(new ListRolePoliciesCommand({ RoleName: role }))).PolicyNames ?? [])
      await repoIam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: name }));
    await repoIam.send(new DeleteRoleCommand({ RoleName: role }));
    await expect(repoIam.send(new GetRoleCommand({ RoleName: role }))).rejects.toMatchObject({ name: "NoSuchEntityException" });

    expect((await offboardRun(user, p.o.id, { deleteBucket: true })).failures).toEqual([]);
    expect(await portalResourcesLeft(p.names)).toEqual([]);
    expect(await db.provisionedResource.count({ where: { onboardingId: p.o.id, kind: { not: "kms-key" } } })).toBe(0);
  });
});
