// Issue 17, item 2: whoever holds the portal's identity may create roles under /portal/, always with the permissions
// boundary, with any inline policy and any trust. These tests create such a role over the wire, give it every
// CodeBuild, KMS and STS permission, assume it, and try to escape the boundary: run another team's (or the
// platform's) CodeBuild project, or a portal project with a buildspec, source, image or service role override (the
// commands would run as that project's service role); use a key the portal does not manage; assume another /portal/
// role; write into another project's build log. Each attempt is refused by the boundary; what the portal's own roles need still works.
import { beforeAll, describe, expect, it } from "vitest";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CodeBuildClient, CreateProjectCommand, StartBuildCommand, type StartBuildCommandInput } from "@aws-sdk/client-codebuild";
import { CreateKeyCommand, GenerateDataKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { accountClients, type AccountClients } from "@/lib/aws/clients";
import { ensureSandboxProvisioningRole, demoRoleArn } from "@/lib/demo/sandbox-world";
import { permissionsBoundaryArn } from "@/lib/names/derive";
import { endpoint, freshAccountId, rootClient } from "../support/world";

const EVERYTHING = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["codebuild:*", "kms:*", "sts:AssumeRole", "logs:*"], Resource: "*" }],
});
const trust = (principal: Record<string, string>) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }] });
const ADMIN = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
const PORTAL_TAG = { key: "portal:managed-by", value: "crossline-portal" };
const ENV = { type: "LINUX_CONTAINER" as const, image: "aws/codebuild/standard:7.0", computeType: "BUILD_GENERAL1_SMALL" as const };

/** The error name of a refused call, or "allowed". */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).name;
  }
  return "allowed";
}

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const client = <T>(Client: new (cfg: object) => T, credentials: Creds): T =>
  new Client({ region: "us-east-1", endpoint: endpoint(), credentials });

async function assume(from: STSClient, roleArn: string): Promise<Creds> {
  const c = (await from.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "escape" }))).Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
}

let tools: string;
let repo: string;
let escape: Creds;
let portalProject: string;
let platformProject: string;
let platformRole: string;

beforeAll(async () => {
  tools = freshAccountId(9);
  repo = freshAccountId(9);
  await ensureSandboxProvisioningRole({ endpoint: endpoint(), accountId: tools, purpose: "tools", externalId: `ext-${tools}` });
  const as: AccountClients = accountClients({
    roleArn: demoRoleArn(tools),
    externalId: `ext-${tools}`,
    actorEmail: "mallory@example.com",
    region: "us-east-1",
  });

  // The tools account's own administrators: the platform's deploy project (admin role) and a portal-tagged project.
  const iam = rootClient(IAMClient, tools);
  platformRole = (
    await iam.send(
      new CreateRoleCommand({ RoleName: "platform-deploy-role", AssumeRolePolicyDocument: trust({ Service: "codebuild.amazonaws.com" }) }),
    )
  ).Role!.Arn!;
  await iam.send(new PutRolePolicyCommand({ RoleName: "platform-deploy-role", PolicyName: "admin", PolicyDocument: ADMIN }));
  const cb = rootClient(CodeBuildClient, tools);
  platformProject = "platform-deploy";
  await cb.send(
    new CreateProjectCommand({
      name: platformProject,
      source: { type: "NO_SOURCE", buildspec: "version: 0.2" },
      artifacts: { type: "NO_ARTIFACTS" },
      environment: ENV,
      serviceRole: platformRole,
    }),
  );
  portalProject = "team-a-build";
  await cb.send(
    new CreateProjectCommand({
      name: portalProject,
      source: { type: "NO_SOURCE", buildspec: "version: 0.2" },
      artifacts: { type: "NO_ARTIFACTS" },
      environment: ENV,
      serviceRole: platformRole,
      tags: [PORTAL_TAG],
    }),
  );

  // The attacker, through the provisioning role: a role under /portal/ with the boundary, trusting the attacker's account.
  const attacker = freshAccountId(9);
  await as.iam.send(
    new CreateRoleCommand({
      RoleName: "escape",
      Path: "/portal/",
      AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${attacker}:root` }),
      PermissionsBoundary: permissionsBoundaryArn(tools),
    }),
  );
  await as.iam.send(new PutRolePolicyCommand({ RoleName: "escape", PolicyName: "everything", PolicyDocument: EVERYTHING }));
  escape = await assume(rootClient(STSClient, attacker), `arn:aws:iam::${tools}:role/portal/escape`);
});

describe("a role created under /portal/ with the boundary, holding every CodeBuild permission", () => {
  const start = (input: StartBuildCommandInput) => outcome(client(CodeBuildClient, escape).send(new StartBuildCommand(input)));

  it("cannot start a project the portal does not manage, with or without a buildspec override", async () => {
    expect(
      await start({
        projectName: platformProject,
        buildspecOverride: "version: 0.2\nphases:\n  build:\n    commands:\n      - aws iam create-user --user-name backdoor",
      }),
    ).toBe("AccessDeniedException");
    expect(await start({ projectName: platformProject })).toBe("AccessDeniedException");
  });

  it("cannot override the buildspec, the source, the image or the service role of a portal project", async () => {
    expect(
      await start({ projectName: portalProject, buildspecOverride: "version: 0.2\nphases:\n  build:\n    commands:\n      - env" }),
    ).toBe("AccessDeniedException");
    expect(
      await start({ projectName: portalProject, sourceTypeOverride: "S3", sourceLocationOverride: "attacker-bucket/payload.zip" }),
    ).toBe("AccessDeniedException");
    expect(await start({ projectName: portalProject, sourceTypeOverride: "NO_SOURCE" })).toBe("AccessDeniedException");
    expect(await start({ projectName: portalProject, imageOverride: "attacker/evil:latest" })).toBe("AccessDeniedException");
    expect(await start({ projectName: portalProject, serviceRoleOverride: platformRole })).toBe("AccessDeniedException");
    expect(
      await start({
        projectName: portalProject,
        secondarySourcesOverride: [{ type: "S3", location: "attacker-bucket/more.zip", sourceIdentifier: "more" }],
      }),
    ).toBe("AccessDeniedException");
  });

  it("may start a portal project as it is (what a pipeline role does)", async () => {
    expect(await start({ projectName: portalProject })).toBe("allowed");
  });
});

describe("a role created under /portal/ with the boundary, holding every KMS and STS permission", () => {
  it("cannot use a key the portal does not manage; may use a portal-tagged one", async () => {
    const kms = rootClient(KMSClient, tools);
    const theirs = (await kms.send(new CreateKeyCommand({ Description: "payments database key" }))).KeyMetadata!.Arn!;
    const ours = (
      await kms.send(new CreateKeyCommand({ Description: "artifact key", Tags: [{ TagKey: PORTAL_TAG.key, TagValue: PORTAL_TAG.value }] }))
    ).KeyMetadata!.Arn!;
    const use = (KeyId: string) => outcome(client(KMSClient, escape).send(new GenerateDataKeyCommand({ KeyId, KeySpec: "AES_256" })));
    expect(await use(theirs)).toBe("AccessDeniedException");
    expect(await use(ours)).toBe("allowed");
  });

  it("cannot assume another /portal/ role of its own account, nor a repo account's source role made for another tools account", async () => {
    const iam = rootClient(IAMClient, tools);
    const openTrust = trust({ AWS: `arn:aws:iam::${tools}:root` });
    const victim = (
      await iam.send(
        new CreateRoleCommand({ RoleName: "team-b-us-east-1-pipeline-role", Path: "/portal/", AssumeRolePolicyDocument: openTrust }),
      )
    ).Role!.Arn!;
    const repoIam = rootClient(IAMClient, repo);
    const otherTools = (
      await repoIam.send(
        new CreateRoleCommand({
          RoleName: `team-b-999999999999-us-east-1-xacct-source`,
          Path: "/portal/",
          AssumeRolePolicyDocument: openTrust,
        }),
      )
    ).Role!.Arn!;
    const source = (
      await repoIam.send(
        new CreateRoleCommand({
          RoleName: `team-a-${tools}-us-east-1-xacct-source`,
          Path: "/portal/",
          AssumeRolePolicyDocument: openTrust,
        }),
      )
    ).Role!.Arn!;
    const sts = client(STSClient, escape);
    expect(await outcome(assume(sts, victim))).toBe("AccessDenied");
    expect(await outcome(assume(sts, otherTools))).toBe("AccessDenied");
    // The pipeline role's own need: the source role of a repo account made for this tools account.
    expect(await outcome(assume(sts, source))).toBe("allowed");
  });
});

describe("a role created under /portal/ with the boundary, holding every CloudWatch Logs permission", () => {
  it("cannot create or write another project's build log group; may write the portal's projects' groups", async () => {
    const root = rootClient(CloudWatchLogsClient, tools);
    await root.send(new CreateLogGroupCommand({ logGroupName: "/aws/codebuild/platform-deploy" }));
    await root.send(new CreateLogStreamCommand({ logGroupName: "/aws/codebuild/platform-deploy", logStreamName: "build-1" }));
    const logs = client(CloudWatchLogsClient, escape);
    const forged = {
      logGroupName: "/aws/codebuild/platform-deploy",
      logStreamName: "build-1",
      logEvents: [{ timestamp: Date.now(), message: "deploy approved by security" }],
    };
    expect(await outcome(logs.send(new PutLogEventsCommand(forged)))).toBe("AccessDeniedException");
    expect(
      await outcome(logs.send(new CreateLogStreamCommand({ logGroupName: "/aws/codebuild/platform-deploy", logStreamName: "build-2" }))),
    ).toBe("AccessDeniedException");
    expect(await outcome(logs.send(new CreateLogGroupCommand({ logGroupName: "/aws/codebuild/payments-release" })))).toBe(
      "AccessDeniedException",
    );
    // The portal's projects log under /aws/codebuild/portal/ (lib/names/derive.ts): what a portal build role writes.
    const own = "/aws/codebuild/portal/team-a-build";
    expect(await outcome(logs.send(new CreateLogGroupCommand({ logGroupName: own })))).toBe("allowed");
    expect(await outcome(logs.send(new CreateLogStreamCommand({ logGroupName: own, logStreamName: "b1" })))).toBe("allowed");
    expect(
      await outcome(
        logs.send(
          new PutLogEventsCommand({ logGroupName: own, logStreamName: "b1", logEvents: [{ timestamp: Date.now(), message: "ok" }] }),
        ),
      ),
    ).toBe("allowed");
  });
});
