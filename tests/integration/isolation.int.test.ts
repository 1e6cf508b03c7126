// Issue 8: what real AWS would decide and what one team could do to another, tried against the sandbox through the
// portal's own runner. Each test names the finding it proves fixed.
import { beforeAll, describe, expect, it } from "vitest";
import { CodeBuildClient, CreateProjectCommand, UpdateProjectCommand } from "@aws-sdk/client-codebuild";
import { CreateKeyCommand, DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from "@aws-sdk/client-kms";
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { CodePipelineClient, GetPipelineCommand } from "@aws-sdk/client-codepipeline";
import { db } from "@/lib/db";
import { planOnboarding } from "@/lib/onboarding/service";
import { actAsRole, tryArtifacts } from "../support/cross-tenant";
import { applyRun, namesOf, onboard } from "../support/provision";
import { createRepository, ctxFor, endpoint, freshAccountId, registerAccount, rootClient, testUser } from "../support/world";
import { DescribeEventBusCommand, EventBridgeClient } from "@aws-sdk/client-eventbridge";

const REPO = "222222222222";
let user: Awaited<ReturnType<typeof testUser>>;
let repoDbId: string;
let seq = 0;

beforeAll(async () => {
  user = await testUser("engineer");
  repoDbId = (await registerAccount(REPO, "repo", "Demo repo")).id;
});

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++seq}`;

async function toolsAccount() {
  const id = freshAccountId(6);
  return { id, dbId: (await registerAccount(id, "tools")).id };
}

const CODEBUILD_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "codebuild.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** A role of the account's own (not the portal's), e.g. another team's build role. */
async function teamRole(accountId: string, name: string, trust = CODEBUILD_TRUST) {
  await rootClient(IAMClient, accountId).send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }));
  return `arn:aws:iam::${accountId}:role/${name}`;
}

async function keyArnOf(toolsId: string) {
  return (await rootClient(KMSClient, toolsId).send(new DescribeKeyCommand({ KeyId: "alias/codepipeline-artifacts-us-east-1" })))
    .KeyMetadata!.Arn!;
}

describe("tenant isolation in one tools account", () => {
  it("no repo account's source role and no build role can read, list or overwrite another onboarding's artifacts", async () => {
    const tools = await toolsAccount();
    const otherRepo = freshAccountId(4);
    const otherRepoDb = await registerAccount(otherRepo, "repo");
    await createRepository(otherRepo, "team-b-service");
    const a = await onboard(user, { toolsDbId: tools.dbId, repoDbId, repositoryName: "demo-service", pipelineName: unique("team-a") });
    const b = await onboard(user, {
      toolsDbId: tools.dbId,
      repoDbId: otherRepoDb.id,
      repositoryName: "team-b-service",
      pipelineName: unique("team-b"),
    });
    const sameRepo = await onboard(user, {
      toolsDbId: tools.dbId,
      repoDbId,
      repositoryName: "demo-service",
      pipelineName: unique("team-c"),
    });
    for (const o of [a, b, sameRepo]) expect((await applyRun(user, o.id)).failures).toEqual([]);
    const [na, nb, nc] = await Promise.all([namesOf(a.id), namesOf(b.id), namesOf(sameRepo.id)]);
    const keyArn = await keyArnOf(tools.id);
    // An artifact of B's, as the pipeline would have written it.
    await rootClient(S3Client, tools.id).send(
      new PutObjectCommand({
        Bucket: nb.artifactStore.bucketName,
        Key: "team-b/SourceArti/zip1",
        Body: "b's source",
        ServerSideEncryption: "aws:kms",
        SSEKMSKeyId: keyArn,
      }),
    );
    const target = { bucketName: nb.artifactStore.bucketName, keyArn, objectKey: "team-b/SourceArti/zip1" };

    const attackers = [na.roles.crossAccount.arn, nc.roles.crossAccount.arn, na.roles.codeBuild!.arn, na.roles.pipeline.arn];
    for (const arn of attackers) {
      const results = await tryArtifacts(await actAsRole(arn), target);
      expect(
        results.filter((r) => r.allowed),
        `${arn} must be refused`,
      ).toEqual([]);
    }
    // The same roles still reach their own artifacts (the refusals above are isolation, not breakage).
    const own = await tryArtifacts(await actAsRole(na.roles.crossAccount.arn), {
      bucketName: na.artifactStore.bucketName,
      keyArn,
      objectKey: "own/SourceArti/zip",
    });
    expect(own.filter((r) => !r.allowed)).toEqual([]);
  });

  it("the same pipeline name in a second region gets its own roles; the first pipeline's roles are untouched", async () => {
    const tools = await toolsAccount();
    const name = unique("dup");
    await createRepository(REPO, "demo-service", "main", "eu-west-1").catch(() => undefined);
    const east = await onboard(user, { toolsDbId: tools.dbId, repoDbId, repositoryName: "demo-service", pipelineName: name });
    expect((await applyRun(user, east.id)).failures).toEqual([]);
    const ne = await namesOf(east.id);
    const iamRepo = rootClient(IAMClient, REPO);
    const before = await iamRepo.send(
      new GetRolePolicyCommand({ RoleName: ne.roles.crossAccount.name, PolicyName: ne.policyNames.crossAccount }),
    );

    const west = await onboard(user, {
      toolsDbId: tools.dbId,
      repoDbId,
      region: "eu-west-1",
      repositoryName: "demo-service",
      pipelineName: name,
    });
    expect((await applyRun(user, west.id)).failures).toEqual([]);
    const nw = await namesOf(west.id);
    const rolesOf = (n: typeof ne) =>
      Object.values(n.roles)
        .filter((r) => r !== null)
        .map((r) => r.arn);
    expect(rolesOf(nw).filter((arn) => rolesOf(ne).includes(arn))).toEqual([]);
    const after = await iamRepo.send(
      new GetRolePolicyCommand({ RoleName: ne.roles.crossAccount.name, PolicyName: ne.policyNames.crossAccount }),
    );
    expect(after.PolicyDocument).toBe(before.PolicyDocument);
    const pipeline = await rootClient(CodePipelineClient, tools.id).send(new GetPipelineCommand({ name }));
    expect(pipeline.pipeline?.roleArn).toBe(ne.roles.pipeline.arn);
  });
});

describe("an Organization-wide grant (tools account setting)", () => {
  it("one bus statement and one key statement cover every repo account of the organization; a push still starts the pipeline", async () => {
    const tools = await toolsAccount();
    const org = `o-${Date.now().toString(36).padEnd(10, "0")}`;
    const res = await fetch(`${endpoint()}/_sandbox/organization`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ organizationId: org, accounts: [tools.id, REPO] }),
    });
    expect(res.status).toBe(200);
    await db.awsAccount.update({ where: { id: tools.dbId }, data: { organizationId: org } });
    const repositoryName = unique("org-svc");
    await createRepository(REPO, repositoryName);
    const o = await onboard(user, { toolsDbId: tools.dbId, repoDbId, repositoryName, pipelineName: unique("org") });
    expect((await applyRun(user, o.id)).failures).toEqual([]);

    const bus = JSON.parse((await rootClient(EventBridgeClient, tools.id).send(new DescribeEventBusCommand({ Name: "default" }))).Policy!);
    expect(bus.Statement).toEqual([
      expect.objectContaining({
        Sid: "portal-allow-organization",
        Principal: "*",
        Condition: { StringEquals: { "aws:PrincipalOrgID": org } },
      }),
    ]);
    const key = JSON.parse(
      (
        await rootClient(KMSClient, tools.id).send(
          new GetKeyPolicyCommand({ KeyId: "alias/codepipeline-artifacts-us-east-1", PolicyName: "default" }),
        )
      ).Policy!,
    );
    expect(key.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      "PortalKeyAdministration",
      "PortalProvisioningRoleAdministers",
      "PortalOrganizationUse",
    ]);

    const push = await fetch(`${endpoint()}/_sandbox/push`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ account: REPO, repositoryName, branchName: "main", message: "through the organization grant" }),
    });
    expect(((await push.json()) as { pipelineExecutionIds: string[] }).pipelineExecutionIds).toHaveLength(1);
  });
});

describe("nothing foreign is adopted silently", () => {
  it("an untagged CodeBuild project with the onboarding's name is adopted only after the person confirms it", async () => {
    const tools = await toolsAccount();
    const o = await onboard(user, { toolsDbId: tools.dbId, repoDbId, repositoryName: "demo-service", pipelineName: unique("adopt") });
    const n = await namesOf(o.id);
    const cb = rootClient(CodeBuildClient, tools.id);
    const serviceRole = await teamRole(tools.id, unique("someone-elses"));
    await cb.send(
      new CreateProjectCommand({
        name: n.codeBuild.projectName,
        source: { type: "NO_SOURCE", buildspec: "version: 0.2" },
        artifacts: { type: "NO_ARTIFACTS" },
        environment: { type: "LINUX_CONTAINER", image: "aws/codebuild/standard:7.0", computeType: "BUILD_GENERAL1_SMALL" },
        serviceRole,
      }),
    );

    const plan = await planOnboarding(o.id, ctxFor(user));
    const item = plan.items.find((i) => i.stepKey === "tools.codebuild-project")!;
    expect(item.action).toBe("adopt");
    expect(item.reason).toContain("portal:managed-by=crossline-portal");
    // Confirmed, but the provisioning role may not change an unmarked project: the step says who must tag it.
    const unmarked = await applyRun(user, o.id, { confirmedAdoptions: ["tools.codebuild-project"] });
    expect(unmarked.failures).toEqual([expect.objectContaining({ stepKey: "tools.codebuild-project", code: "AdoptionNeedsManagedByTag" })]);
    // An administrator of the tools account marks it; without the person's confirmation it is still refused.
    await cb.send(
      new UpdateProjectCommand({ name: n.codeBuild.projectName, tags: [{ key: "portal:managed-by", value: "crossline-portal" }] }),
    );
    const refused = await applyRun(user, o.id);
    expect(refused.outcome).toBe("failed");
    expect(refused.failures).toEqual([expect.objectContaining({ stepKey: "tools.codebuild-project", code: "AdoptionNotConfirmed" })]);

    const confirmed = await applyRun(user, o.id, { confirmedAdoptions: ["tools.codebuild-project"] });
    expect(confirmed.failures).toEqual([]);
    const ledger = await db.provisionedResource.findFirstOrThrow({ where: { onboardingId: o.id, kind: "codebuild-project" } });
    expect(ledger.origin).toBe("adopted");
  });

  it("another onboarding's resource is a conflict: the plan says so and the apply refuses it", async () => {
    const tools = await toolsAccount();
    const first = await onboard(user, { toolsDbId: tools.dbId, repoDbId, repositoryName: "demo-service", pipelineName: unique("owner") });
    expect((await applyRun(user, first.id)).failures).toEqual([]);
    const firstNames = await namesOf(first.id);
    // A second onboarding whose default project name is the first one's project.
    const second = await onboard(user, {
      toolsDbId: tools.dbId,
      repoDbId,
      repositoryName: "demo-service",
      pipelineName: unique("thief"),
      buildProject: `${unique("tmp")}-build`,
    });
    await db.onboarding.update({ where: { id: second.id }, data: { buildProject: firstNames.codeBuild.projectName } });
    const plan = await planOnboarding(second.id, ctxFor(user));
    expect(plan.items.find((i) => i.stepKey === "tools.codebuild-project")?.action).toBe("conflict");
    const refused = await applyRun(user, second.id, { confirmedAdoptions: ["tools.codebuild-project"] });
    expect(refused.failures).toEqual([expect.objectContaining({ stepKey: "tools.codebuild-project", code: "OwnedByAnotherOnboarding" })]);
  });

  it("an existing project must read from CodePipeline; a usable one's service role gets the bucket and key grants", async () => {
    const tools = await toolsAccount();
    const cb = rootClient(CodeBuildClient, tools.id);
    const roleArn = await teamRole(tools.id, unique("team-build-role"));
    const env = { type: "LINUX_CONTAINER" as const, image: "aws/codebuild/standard:7.0", computeType: "BUILD_GENERAL1_SMALL" as const };
    const s3Project = unique("s3-source");
    await cb.send(
      new CreateProjectCommand({
        name: s3Project,
        source: { type: "S3", location: "somewhere/src.zip" },
        artifacts: { type: "NO_ARTIFACTS" },
        environment: env,
        serviceRole: roleArn,
      }),
    );
    await expect(
      onboard(user, {
        toolsDbId: tools.dbId,
        repoDbId,
        repositoryName: "demo-service",
        pipelineName: unique("wrong-src"),
        buildMode: "existing",
        buildProject: s3Project,
      }),
    ).rejects.toMatchObject({
      fieldErrors: { buildProject: [expect.stringContaining("CODEPIPELINE")] },
    });

    const good = unique("team-build");
    // Marked for the portal by the tools account's administrator (issue 17: an unmarked project is refused).
    await cb.send(
      new CreateProjectCommand({
        name: good,
        source: { type: "CODEPIPELINE" },
        artifacts: { type: "CODEPIPELINE" },
        environment: env,
        serviceRole: roleArn,
        tags: [{ key: "portal:managed-by", value: "crossline-portal" }],
      }),
    );
    const o = await onboard(user, {
      toolsDbId: tools.dbId,
      repoDbId,
      repositoryName: "demo-service",
      pipelineName: unique("existing"),
      buildMode: "existing",
      buildProject: good,
    });
    expect((await applyRun(user, o.id)).failures).toEqual([]);
    const n = await namesOf(o.id);
    const bucketPolicy = (await rootClient(S3Client, tools.id).send(new GetBucketPolicyCommand({ Bucket: n.artifactStore.bucketName })))
      .Policy!;
    expect(JSON.parse(bucketPolicy).Statement.find((s: { Sid: string }) => s.Sid === "PortalExistingBuildRoleObjects")?.Principal).toEqual({
      AWS: roleArn,
    });
    const keyPolicy = JSON.parse(
      (
        await rootClient(KMSClient, tools.id).send(
          new GetKeyPolicyCommand({ KeyId: "alias/codepipeline-artifacts-us-east-1", PolicyName: "default" }),
        )
      ).Policy!,
    );
    // Issue 17: one statement per onboarding, limited to this onboarding's bucket.
    const grant = keyPolicy.Statement.find((s: { Sid: string }) => s.Sid === n.sids.keyExistingBuildRoleUse);
    expect(grant?.Principal).toEqual({ AWS: roleArn });
    expect(grant?.Condition).toEqual({
      StringLike: { "kms:EncryptionContext:aws:s3:arn": [n.artifactStore.bucketArn, `${n.artifactStore.bucketArn}/*`] },
    });
    // The build role can now read and write the pipeline's artifacts (it has no ListBucket, as CodeBuild needs none).
    const keyArn = await keyArnOf(tools.id);
    await rootClient(S3Client, tools.id).send(
      new PutObjectCommand({
        Bucket: n.artifactStore.bucketName,
        Key: "x/SourceArti/1",
        Body: "source",
        ServerSideEncryption: "aws:kms",
        SSEKMSKeyId: keyArn,
      }),
    );
    const own = await tryArtifacts(await actAsRole(roleArn), {
      bucketName: n.artifactStore.bucketName,
      keyArn,
      objectKey: "x/SourceArti/1",
    });
    expect(own.filter((r) => r.operation !== "ListBucket" && !r.allowed)).toEqual([]);
  });
});

describe("ownership and AWS's own answers", () => {
  it("a bucket squatting on the derived name in another account is refused, never written to", async () => {
    const tools = await toolsAccount();
    const o = await onboard(user, { toolsDbId: tools.dbId, repoDbId, repositoryName: "demo-service", pipelineName: unique("squat") });
    const n = await namesOf(o.id);
    const attacker = freshAccountId(7);
    const s3 = rootClient(S3Client, attacker);
    await s3.send(new CreateBucketCommand({ Bucket: n.artifactStore.bucketName }));
    // The squatter even invites the tools account in: without ExpectedBucketOwner the portal would use the bucket.
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: n.artifactStore.bucketName,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "Welcome",
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${tools.id}:root` },
              Action: "s3:*",
              Resource: [`arn:aws:s3:::${n.artifactStore.bucketName}`, `arn:aws:s3:::${n.artifactStore.bucketName}/*`],
            },
          ],
        }),
      }),
    );
    const r = await applyRun(user, o.id);
    expect(r.failures).toEqual([expect.objectContaining({ stepKey: "tools.bucket", code: "BucketNameTaken" })]);
    const tags = await s3.send(new GetBucketTaggingCommand({ Bucket: n.artifactStore.bucketName })).catch((e: Error) => e.name);
    expect(tags).toBe("NoSuchTagSet");
  });

  it("the orphan-key search skips a foreign key whose policy does not delegate to IAM", async () => {
    const tools = await toolsAccount();
    const theirAdmin = await teamRole(
      tools.id,
      unique("their-admin"),
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${tools.id}:root` }, Action: "sts:AssumeRole" }],
      }),
    );
    await rootClient(KMSClient, tools.id).send(
      new CreateKeyCommand({
        Description: "another team's key, administered by its own role only",
        BypassPolicyLockoutSafetyCheck: true,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Sid: "OnlyTheirRole", Effect: "Allow", Principal: { AWS: theirAdmin }, Action: "kms:*", Resource: "*" }],
        }),
      }),
    );
    const o = await onboard(user, { toolsDbId: tools.dbId, repoDbId, repositoryName: "demo-service", pipelineName: unique("orphan") });
    expect((await applyRun(user, o.id)).failures).toEqual([]);
  });

  it("a deleted role named in the key policy (read back as its unique id) does not block later onboardings", async () => {
    const tools = await toolsAccount();
    const iam = rootClient(IAMClient, tools.id);
    const roleName = unique("gone-build-role");
    await teamRole(tools.id, roleName);
    const project = unique("gone-build");
    await rootClient(CodeBuildClient, tools.id).send(
      new CreateProjectCommand({
        name: project,
        source: { type: "CODEPIPELINE" },
        artifacts: { type: "CODEPIPELINE" },
        environment: { type: "LINUX_CONTAINER", image: "aws/codebuild/standard:7.0", computeType: "BUILD_GENERAL1_SMALL" },
        serviceRole: `arn:aws:iam::${tools.id}:role/${roleName}`,
        tags: [{ key: "portal:managed-by", value: "crossline-portal" }],
      }),
    );
    const first = await onboard(user, {
      toolsDbId: tools.dbId,
      repoDbId,
      repositoryName: "demo-service",
      pipelineName: unique("first"),
      buildMode: "existing",
      buildProject: project,
    });
    expect((await applyRun(user, first.id)).failures).toEqual([]);
    // Every role the first onboarding's grants name is deleted.
    const n = await namesOf(first.id);
    for (const name of [roleName, n.roles.pipeline.name]) {
      for (const p of (await iam.send(new ListRolePoliciesCommand({ RoleName: name }))).PolicyNames ?? [])
        await iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: p }));
      await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: name })).catch(() => undefined);
      await iam.send(new DeleteRoleCommand({ RoleName: name }));
    }
    const stale = (
      await rootClient(KMSClient, tools.id).send(
        new GetKeyPolicyCommand({ KeyId: "alias/codepipeline-artifacts-us-east-1", PolicyName: "default" }),
      )
    ).Policy!;
    expect(stale).toMatch(/AROA[A-Z0-9]+/);

    const second = await onboard(user, { toolsDbId: tools.dbId, repoDbId, repositoryName: "demo-service", pipelineName: unique("second") });
    expect((await applyRun(user, second.id)).failures).toEqual([]);
    const after = (
      await rootClient(KMSClient, tools.id).send(
        new GetKeyPolicyCommand({ KeyId: "alias/codepipeline-artifacts-us-east-1", PolicyName: "default" }),
      )
    ).Policy!;
    expect(after).not.toMatch(/AROA[A-Z0-9]+/);
  });
});

describe("moving to the new names", () => {
  it("roles the ledger records but the new names no longer use are deleted after the switch; adopted ones and foreign grants stay", async () => {
    const tools = await toolsAccount();
    const o = await onboard(user, { toolsDbId: tools.dbId, repoDbId, repositoryName: "demo-service", pipelineName: unique("move") });
    const n = await namesOf(o.id);
    const repoIam = rootClient(IAMClient, REPO);
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${tools.id}:root` }, Action: "sts:AssumeRole" }],
    });
    // What naming v1 left: a source role named from the pipeline alone (the portal's, tagged), and one the portal adopted.
    const oldName = `${n.pipeline.name}-xacct-source`;
    const adoptedName = `${n.pipeline.name}-adopted-role`;
    const tags = [
      { Key: "portal:managed-by", Value: "crossline-portal" },
      { Key: "portal:onboarding", Value: o.id },
    ];
    await repoIam.send(new CreateRoleCommand({ RoleName: oldName, Path: "/portal/", AssumeRolePolicyDocument: trust, Tags: tags }));
    await repoIam.send(new CreateRoleCommand({ RoleName: adoptedName, Path: "/portal/", AssumeRolePolicyDocument: trust, Tags: tags }));
    for (const [name, origin] of [
      [oldName, "created"],
      [adoptedName, "adopted"],
    ]) {
      await db.provisionedResource.create({
        data: {
          onboardingId: o.id,
          accountId: REPO,
          region: "us-east-1",
          kind: "iam-role",
          name,
          arn: `arn:aws:iam::${REPO}:role/portal/${name}`,
          origin,
        },
      });
    }
    // The naming-v1 shared bucket, with this onboarding's grants and another's.
    const s3 = rootClient(S3Client, tools.id);
    const legacy = n.artifactStore.legacyBucketName;
    await s3.send(new CreateBucketCommand({ Bucket: legacy }));
    const grant = (Sid: string) => ({
      Sid,
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${REPO}:root` },
      Action: "s3:GetObject",
      Resource: `arn:aws:s3:::${legacy}/*`,
    });
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: legacy,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [grant(n.legacySids.bucketRepoObjects), grant("PortalRepoAccount222222222222ObjectsSomeoneElse")],
        }),
      }),
    );

    const plan = await planOnboarding(o.id, ctxFor(user));
    const retire = plan.items.find((i) => i.stepKey === "tools.retire-unused")!;
    expect(retire.action).toBe("delete");
    expect(JSON.stringify(retire.documents)).toContain(oldName);
    expect(JSON.stringify(retire.documents)).not.toContain(adoptedName);

    expect((await applyRun(user, o.id)).failures).toEqual([]);
    await expect(repoIam.send(new GetRoleCommand({ RoleName: oldName }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
    expect((await repoIam.send(new GetRoleCommand({ RoleName: adoptedName }))).Role?.RoleName).toBe(adoptedName);
    expect(await db.provisionedResource.count({ where: { onboardingId: o.id, name: oldName } })).toBe(0);
    const sids = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: legacy }))).Policy!).Statement.map(
      (s: { Sid: string }) => s.Sid,
    );
    expect(sids).toEqual(["PortalRepoAccount222222222222ObjectsSomeoneElse"]);
    // A second apply has nothing left to retire.
    expect((await planOnboarding(o.id, ctxFor(user))).items.find((i) => i.stepKey === "tools.retire-unused")?.action).toBe("no-change");
  });
});
