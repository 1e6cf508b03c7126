// Issue 17, item 9: `/portal/` roles without the permissions boundary (made before it existed, or stripped by hand)
// stayed uncapped, and passable, until someone re-applied. Now the verify that finds one (scheduled or "Verify now")
// queues the repair itself, audited as the system: the role gets the boundary back (or, no longer used, is deleted).
// The attack is real: an over-broad inline policy of such a role writes to a bucket outside the artifact buckets
// while the role is unbounded, and is refused once the repair ran (the sandbox evaluates the boundary as IAM does).
import { beforeAll, describe, expect, it } from "vitest";
import {
  CreateRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  GetRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { db } from "@/lib/db";
import { driftSchedulerTick, verifyNow, verifyOnboarding } from "@/lib/drift";
import { BOUNDARY_REPAIR_ACTOR } from "@/lib/drift/boundary-repair";
import { claimRun, executeRun } from "@/lib/worker-main/runner";
import { actAsRole } from "../support/cross-tenant";
import { applyRun, fastRetry, namesOf, onboard } from "../support/provision";
import { createRepository, ctxFor, freshAccountId, registerAccount, rootClient, testUser } from "../support/world";

const REPO = "222222222222";
let engineer: Awaited<ReturnType<typeof testUser>>;
let repoDbId: string;
let seq = 0;

beforeAll(async () => {
  engineer = await testUser("engineer");
  repoDbId = (await registerAccount(REPO, "repo", "Demo repo")).id;
});

async function provisioned() {
  const toolsId = freshAccountId(6);
  const tools = await registerAccount(toolsId, "tools");
  const repositoryName = `bnd-${Date.now().toString(36)}-${++seq}`;
  await createRepository(REPO, repositoryName);
  const o = await onboard(engineer, {
    toolsDbId: tools.id,
    repoDbId,
    repositoryName,
    pipelineName: `${repositoryName}-main`,
    approval: false,
  });
  const applied = await applyRun(engineer, o.id);
  expect({ outcome: applied.outcome, failures: applied.failures }).toEqual({ outcome: "succeeded", failures: [] });
  return { id: o.id, toolsId, names: await namesOf(o.id) };
}

/** What pre-boundary code could leave on a role: a grant wider than the boundary allows (any bucket's objects). */
const WIDE = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "LegacyWide", Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::*" }],
});

/** A bucket of the repo account's own, outside the artifact buckets: the boundary never lets a portal role write there. */
async function outsideBucket() {
  const name = `team-data-${Date.now().toString(36)}-${++seq}`;
  await rootClient(S3Client, REPO).send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

/** As whoever can assume the role (its trust opened to its own account, tests/support/cross-tenant.ts): write there. */
async function writeOutside(roleArn: string, bucket: string): Promise<string> {
  const s3 = await actAsRole(roleArn);
  return s3.send(new PutObjectCommand({ Bucket: bucket, Key: "exfil.txt", Body: "x" })).then(
    () => "allowed",
    (e) => (e as Error).name,
  );
}

const queuedRuns = (onboardingId: string) => db.run.findMany({ where: { onboardingId, status: { in: ["queued", "running"] } } });

async function execute(runId: string) {
  expect(await claimRun(runId, "boundary-test")).toBe(true);
  const outcome = await executeRun(runId, { workerId: "boundary-test", retry: fastRetry, heartbeatMs: 200 });
  const failures = (await db.runStep.findMany({ where: { runId, status: "failed" } })).map((s) => `${s.stepKey}: ${s.errorMessage}`);
  return { outcome, failures };
}

describe("roles without the permissions boundary", () => {
  it("a stripped boundary: the scheduled verify reports it and queues the repair itself; after it the role is capped again", async () => {
    const x = await provisioned();
    const role = x.names.roles.crossAccount;
    const iam = rootClient(IAMClient, REPO);
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: role.name }));
    await iam.send(new PutRolePolicyCommand({ RoleName: role.name, PolicyName: "legacy-wide", PolicyDocument: WIDE }));
    const bucket = await outsideBucket();
    // While unbounded, the role's own policy reaches beyond what the boundary allows.
    expect(await writeOutside(role.arn, bucket)).toBe("allowed");

    const tick = await driftSchedulerTick({
      workerId: "boundary-test",
      onboardingIds: [x.id],
      now: new Date(Date.now() + 7 * 24 * 3_600_000),
      intervalMs: 1,
      gapMs: 0,
    });
    expect(tick.checks).toHaveLength(1);
    const check = tick.checks[0];
    const item = check.items.find((i) => i.stepKey === "repo.cross-account-role")!;
    expect(item).toMatchObject({ status: "drifted", planAction: "update" });
    expect(item.reason).toMatch(/^role has no permissions boundary/);
    expect(item.changes).toContain(
      `Permissions boundary: PermissionsBoundaryArn: missing (desired ${x.names.permissionsBoundaryArn.repo})`,
    );

    const [run] = await queuedRuns(x.id);
    expect(run).toBeDefined();
    expect(run.startedById).toBeNull();
    expect(JSON.parse(run.plan!)).toMatchObject({ confirmedAdoptions: [], driftCheckId: check.id, automatic: "permissions-boundary" });
    expect(JSON.parse(run.plan!).repairOf).toContain("repo.cross-account-role");
    const audit = await db.auditEvent.findFirst({
      where: { action: "onboardings.repair.started", targetId: x.id },
      orderBy: { seq: "desc" },
    });
    expect(audit).toMatchObject({ actorEmail: BOUNDARY_REPAIR_ACTOR, outcome: "success" });
    expect(JSON.parse(audit!.details)).toMatchObject({ runId: run.id, checkId: check.id, automatic: true });
    // One at a time: another verify while it is queued queues nothing more.
    await verifyOnboarding(x.id, "portal-drift-check", { trigger: "schedule" });
    expect((await queuedRuns(x.id)).map((r) => r.id)).toEqual([run.id]);

    expect(await execute(run.id)).toEqual({ outcome: "succeeded", failures: [] });
    expect((await iam.send(new GetRoleCommand({ RoleName: role.name }))).Role?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
      x.names.permissionsBoundaryArn.repo,
    );
    // The same write is refused now: the boundary caps whatever the role's policies say.
    expect(await writeOutside(role.arn, bucket)).toBe("AccessDenied");

    const after = await verifyOnboarding(x.id, engineer.email);
    expect(after.items.find((i) => i.stepKey === "repo.cross-account-role")?.reason ?? "").not.toMatch(/permissions boundary/);
    expect(await queuedRuns(x.id)).toEqual([]);
  });

  it("a pre-boundary role the onboarding no longer uses: Verify now reports it and the repair it queues deletes the role", async () => {
    const x = await provisioned();
    // What naming v1 left before the boundary existed: the portal's (tagged) source role, no boundary, a wide policy.
    const oldName = `${x.names.pipeline.name}-xacct-source`;
    const oldArn = `arn:aws:iam::${REPO}:role/portal/${oldName}`;
    const iam = rootClient(IAMClient, REPO);
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${x.toolsId}:root` }, Action: "sts:AssumeRole" }],
    });
    await iam.send(
      new CreateRoleCommand({
        RoleName: oldName,
        Path: "/portal/",
        AssumeRolePolicyDocument: trust,
        Tags: [
          { Key: "portal:managed-by", Value: "crossline-portal" },
          { Key: "portal:onboarding", Value: x.id },
        ],
      }),
    );
    await iam.send(new PutRolePolicyCommand({ RoleName: oldName, PolicyName: "legacy-wide", PolicyDocument: WIDE }));
    await db.provisionedResource.create({
      data: { onboardingId: x.id, accountId: REPO, region: "us-east-1", kind: "iam-role", name: oldName, arn: oldArn, origin: "created" },
    });
    const bucket = await outsideBucket();
    expect(await writeOutside(oldArn, bucket)).toBe("allowed");

    const check = await verifyNow(x.id, ctxFor(engineer));
    const item = check.items.find((i) => i.stepKey === "tools.retire-unused")!;
    expect(item).toMatchObject({ status: "drifted", kind: "iam-role", planAction: "delete", resource: oldName });
    expect(item.changes).toEqual([`${oldName} (repo ${REPO}): role has no permissions boundary; the next apply deletes it`]);

    const [run] = await queuedRuns(x.id);
    expect(JSON.parse(run.plan!)).toMatchObject({ automatic: "permissions-boundary", repairOf: ["tools.retire-unused"] });
    expect(await execute(run.id)).toEqual({ outcome: "succeeded", failures: [] });
    await expect(iam.send(new GetRoleCommand({ RoleName: oldName }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
    expect(await writeOutside(oldArn, bucket).catch((e) => (e as Error).name)).not.toBe("allowed");
    expect((await verifyOnboarding(x.id, engineer.email)).status).toBe("in-sync");
  });
});
