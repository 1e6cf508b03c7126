// Issue 17, item 3: "use an existing project" must not let an engineer run their buildspec as another team's or the
// platform's deploy role, nor hand that role the shared artifact key. Tried against the sandbox through the portal's
// own service and runner, then as the roles themselves over the wire.
import { beforeAll, describe, expect, it } from "vitest";
import { CodeBuildClient, CreateProjectCommand, UpdateProjectCommand } from "@aws-sdk/client-codebuild";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { DecryptCommand, EncryptCommand, GenerateDataKeyCommand, GetKeyPolicyCommand, KMSClient } from "@aws-sdk/client-kms";
import { GetBucketPolicyCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { planOnboarding } from "@/lib/onboarding/service";
import { applyRun, namesOf, onboard } from "../support/provision";
import { ctxFor, endpoint, freshAccountId, registerAccount, rootClient, testUser } from "../support/world";

const REPO = "222222222222";
const ENV = { type: "LINUX_CONTAINER" as const, image: "aws/codebuild/standard:7.0", computeType: "BUILD_GENERAL1_SMALL" as const };
const PORTAL_TAG = { key: "portal:managed-by", value: "crossline-portal" };
const ALL = (actions: string[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] });

let user: Awaited<ReturnType<typeof testUser>>;
let repoDbId: string;
let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++seq}`;

beforeAll(async () => {
  user = await testUser("engineer");
  repoDbId = (await registerAccount(REPO, "repo", "Demo repo")).id;
});

async function toolsAccount() {
  const id = freshAccountId(5);
  return { id, dbId: (await registerAccount(id, "tools")).id };
}

/** A role of the tools account's own (trusted by CodeBuild and by its account root, so the test can act as it). */
async function accountRole(accountId: string, name: string, actions: string[]) {
  const iam = rootClient(IAMClient, accountId);
  const doc = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { Service: "codebuild.amazonaws.com" }, Action: "sts:AssumeRole" },
      { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "sts:AssumeRole" },
    ],
  });
  const arn = (await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: doc }))).Role!.Arn!;
  await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: "own", PolicyDocument: ALL(actions) }));
  return arn;
}

async function as<T>(Client: new (cfg: object) => T, roleArn: string): Promise<T> {
  const account = roleArn.split(":")[4];
  const c = (await rootClient(STSClient, account).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "attack" })))
    .Credentials!;
  return new Client({
    region: "us-east-1",
    endpoint: endpoint(),
    forcePathStyle: true,
    credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken },
  });
}

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).name;
  }
  return "allowed";
}

async function pipelineProject(accountId: string, name: string, serviceRole: string, tags: { key: string; value: string }[] = []) {
  await rootClient(CodeBuildClient, accountId).send(
    new CreateProjectCommand({
      name,
      source: { type: "CODEPIPELINE" },
      artifacts: { type: "CODEPIPELINE" },
      environment: ENV,
      serviceRole,
      tags,
    }),
  );
}

describe("an existing CodeBuild project as a privilege", () => {
  it("the platform's deploy project, not marked for the portal, is refused with what to do and who must do it", async () => {
    const tools = await toolsAccount();
    const deployRole = await accountRole(tools.id, unique("platform-deploy-role"), ["*"]);
    const project = unique("platform-deploy");
    await pipelineProject(tools.id, project, deployRole);
    const attempt = onboard(user, {
      toolsDbId: tools.dbId,
      repoDbId,
      repositoryName: "demo-service",
      pipelineName: unique("steal"),
      buildMode: "existing",
      buildProject: project,
    });
    await expect(attempt).rejects.toMatchObject({
      fieldErrors: {
        buildProject: [
          expect.stringMatching(
            new RegExp(
              `not marked for the portal.*${deployRole}.*administrator of the tools account ${tools.id}.*portal:managed-by = crossline-portal`,
            ),
          ),
        ],
      },
    });
  });

  it("a project whose mark was removed after the onboarding was created is refused at apply; its role gets no grant", async () => {
    const tools = await toolsAccount();
    const role = await accountRole(tools.id, unique("team-build-role"), ["s3:*", "kms:*"]);
    const project = unique("team-build");
    await pipelineProject(tools.id, project, role, [PORTAL_TAG]);
    const o = await onboard(user, {
      toolsDbId: tools.dbId,
      repoDbId,
      repositoryName: "demo-service",
      pipelineName: unique("unmarked"),
      buildMode: "existing",
      buildProject: project,
    });
    await rootClient(CodeBuildClient, tools.id).send(new UpdateProjectCommand({ name: project, tags: [] }));
    const plan = await planOnboarding(o.id, ctxFor(user));
    expect(plan.items.find((i) => i.stepKey === "tools.codebuild-project")).toMatchObject({
      action: "conflict",
      reason: expect.stringContaining("not marked for the portal"),
    });
    const r = await applyRun(user, o.id);
    expect(r.failures).toEqual([
      expect.objectContaining({
        stepKey: "tools.codebuild-project",
        code: "ProjectNotUsable",
        message: expect.stringContaining("not marked for the portal"),
      }),
    ]);
    const n = await namesOf(o.id);
    const bucketPolicy = await rootClient(S3Client, tools.id)
      .send(new GetBucketPolicyCommand({ Bucket: n.artifactStore.bucketName }))
      .then(
        (x) => x.Policy ?? "",
        () => "",
      );
    const keyPolicy = (
      await rootClient(KMSClient, tools.id).send(
        new GetKeyPolicyCommand({ KeyId: "alias/codepipeline-artifacts-us-east-1", PolicyName: "default" }),
      )
    ).Policy!;
    expect(bucketPolicy).not.toContain(role);
    expect(keyPolicy).not.toContain(role);
  });

  it("a marked project's role may use the key for this onboarding's bucket only", async () => {
    const tools = await toolsAccount();
    // The project's role holds no KMS permission of its own: whatever it can do with the key, the key policy granted.
    const role = await accountRole(tools.id, unique("team-build-role"), ["s3:GetObject", "s3:PutObject"]);
    const project = unique("team-build");
    await pipelineProject(tools.id, project, role, [PORTAL_TAG]);
    const mine = await onboard(user, {
      toolsDbId: tools.dbId,
      repoDbId,
      repositoryName: "demo-service",
      pipelineName: unique("mine"),
      buildMode: "existing",
      buildProject: project,
    });
    const theirs = await onboard(user, { toolsDbId: tools.dbId, repoDbId, repositoryName: "demo-service", pipelineName: unique("theirs") });
    for (const o of [mine, theirs]) expect((await applyRun(user, o.id)).failures).toEqual([]);
    const [nm, nt] = [await namesOf(mine.id), await namesOf(theirs.id)];
    const rootKms = rootClient(KMSClient, tools.id);
    const alias = "alias/codepipeline-artifacts-us-east-1";

    // Another onboarding's data key, as S3 wraps it for an object of its bucket (the bucket ARN with an S3 Bucket Key).
    const theirContext = { "aws:s3:arn": nt.artifactStore.bucketArn };
    const theirKey = (
      await rootKms.send(new EncryptCommand({ KeyId: alias, Plaintext: Buffer.from("their data key"), EncryptionContext: theirContext }))
    ).CiphertextBlob!;
    const kms = await as(KMSClient, role);
    expect(await outcome(kms.send(new DecryptCommand({ CiphertextBlob: theirKey, EncryptionContext: theirContext })))).toBe(
      "AccessDeniedException",
    );
    expect(await outcome(kms.send(new GenerateDataKeyCommand({ KeyId: alias, KeySpec: "AES_256", EncryptionContext: theirContext })))).toBe(
      "AccessDeniedException",
    );
    expect(await outcome(kms.send(new GenerateDataKeyCommand({ KeyId: alias, KeySpec: "AES_256" })))).toBe("AccessDeniedException");
    // Its own onboarding's bucket: what the build needs.
    expect(
      await outcome(
        kms.send(
          new GenerateDataKeyCommand({ KeyId: alias, KeySpec: "AES_256", EncryptionContext: { "aws:s3:arn": nm.artifactStore.bucketArn } }),
        ),
      ),
    ).toBe("allowed");
  });

  it("every other principal of the tools account is kept out of the onboarding's bucket; its roles and administrators are not", async () => {
    const tools = await toolsAccount();
    const role = await accountRole(tools.id, unique("team-build-role"), ["s3:GetObject", "s3:PutObject"]);
    const project = unique("team-build");
    await pipelineProject(tools.id, project, role, [PORTAL_TAG]);
    const mine = await onboard(user, {
      toolsDbId: tools.dbId,
      repoDbId,
      repositoryName: "demo-service",
      pipelineName: unique("mine"),
      buildMode: "existing",
      buildProject: project,
    });
    expect((await applyRun(user, mine.id)).failures).toEqual([]);
    const nm = await namesOf(mine.id);
    const rootKms = rootClient(KMSClient, tools.id);
    const alias = "alias/codepipeline-artifacts-us-east-1";
    const keyArn = (await rootKms.send(new GenerateDataKeyCommand({ KeyId: alias, KeySpec: "AES_256" }))).KeyId!;
    await rootClient(S3Client, tools.id).send(
      new PutObjectCommand({
        Bucket: nm.artifactStore.bucketName,
        Key: "x/SourceArti/1",
        Body: "source",
        ServerSideEncryption: "aws:kms",
        SSEKMSKeyId: keyArn,
      }),
    );
    expect(
      await outcome((await as(S3Client, role)).send(new GetObjectCommand({ Bucket: nm.artifactStore.bucketName, Key: "x/SourceArti/1" }))),
    ).toBe("allowed");

    // Another principal of the tools account, with every S3 and KMS permission in its own policy: refused by the bucket.
    const other = await accountRole(tools.id, unique("data-team-admin"), ["s3:*", "kms:*"]);
    expect(
      await outcome((await as(S3Client, other)).send(new GetObjectCommand({ Bucket: nm.artifactStore.bucketName, Key: "x/SourceArti/1" }))),
    ).toBe("AccessDenied");
    // The account's administrators (its root) still read it.
    expect(
      await outcome(
        rootClient(S3Client, tools.id).send(new GetObjectCommand({ Bucket: nm.artifactStore.bucketName, Key: "x/SourceArti/1" })),
      ),
    ).toBe("allowed");
  });
});
