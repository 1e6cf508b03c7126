import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { GetBranchCommand } from "@aws-sdk/client-codecommit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../index";
import { clients, failure, root, trust } from "./clients";

const A = "111111111111";
let h: SandboxHandle;
let iam: ReturnType<typeof clients>["iam"];
beforeAll(async () => {
  h = await startSandbox({ port: 0, seedDemo: true });
  iam = clients(h, root(A)).iam;
});
afterAll(async () => {
  await h.close();
});

const trustRoot = trust({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: "sts:AssumeRole" });
const s3Read = trust({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" });

describe("IAM over the wire", () => {
  it("CreateRole/GetRole round-trip with URL-encoded trust policy, tags and AROA id", async () => {
    await iam.send(
      new CreateRoleCommand({
        RoleName: "Deployer",
        Path: "/portal/",
        AssumeRolePolicyDocument: trustRoot,
        Description: "d",
        Tags: [{ Key: "portal:onboarding", Value: "42" }],
        MaxSessionDuration: 7200,
      }),
    );
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: "Deployer" }));
    expect(Role).toMatchObject({
      RoleName: "Deployer",
      Path: "/portal/",
      Arn: `arn:aws:iam::${A}:role/portal/Deployer`,
      Description: "d",
      MaxSessionDuration: 7200,
      Tags: [{ Key: "portal:onboarding", Value: "42" }],
    });
    expect(Role?.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(Role?.CreateDate).toBeInstanceOf(Date);
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual(JSON.parse(trustRoot));
    const list = await iam.send(new ListRolesCommand({ PathPrefix: "/portal/" }));
    expect(list.Roles?.map((r) => r.RoleName)).toEqual(["Deployer"]);
  });

  it("errors map to the SDK names in docs/aws-domain.md", async () => {
    const dup = await failure(iam.send(new CreateRoleCommand({ RoleName: "deployer", AssumeRolePolicyDocument: trustRoot })));
    expect(dup.name).toBe("EntityAlreadyExistsException");
    expect(dup.$metadata?.httpStatusCode).toBe(409);
    const missing = await failure(iam.send(new GetRoleCommand({ RoleName: "Nope" })));
    expect(missing.name).toBe("NoSuchEntityException");
    expect(missing.message).toBe("The role with name Nope cannot be found.");
    const bad = await failure(iam.send(new CreateRoleCommand({ RoleName: "bad name!", AssumeRolePolicyDocument: trustRoot })));
    expect(bad.name).toBe("ValidationError");
    const tooLong = await failure(iam.send(new CreateRoleCommand({ RoleName: "x".repeat(65), AssumeRolePolicyDocument: trustRoot })));
    expect(tooLong.name).toBe("ValidationError");
    const json = await failure(iam.send(new CreateRoleCommand({ RoleName: "J", AssumeRolePolicyDocument: "{not json" })));
    expect(json.name).toBe("MalformedPolicyDocumentException");
    const ghost = await failure(
      iam.send(
        new CreateRoleCommand({
          RoleName: "Ghost",
          AssumeRolePolicyDocument: trust({
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${A}:role/NotThere` },
            Action: "sts:AssumeRole",
          }),
        }),
      ),
    );
    expect(ghost.name).toBe("MalformedPolicyDocumentException");
    expect(ghost.message).toContain("Invalid principal in policy");
  });

  it("inline policies, tags, trust update; DeleteRole conflicts until policies are gone", async () => {
    await iam.send(new PutRolePolicyCommand({ RoleName: "Deployer", PolicyName: "read", PolicyDocument: s3Read }));
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: "Deployer", PolicyName: "read" }));
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument!))).toEqual(JSON.parse(s3Read));
    await iam.send(new TagRoleCommand({ RoleName: "Deployer", Tags: [{ Key: "team", Value: "platform" }] }));
    await iam.send(new UntagRoleCommand({ RoleName: "Deployer", TagKeys: ["portal:onboarding"] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: "Deployer" }))).Tags).toEqual([{ Key: "team", Value: "platform" }]);
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: "Deployer",
        PolicyDocument: trust({ Effect: "Allow", Principal: { Service: "codepipeline.amazonaws.com" }, Action: "sts:AssumeRole" }),
      }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: "Deployer", PolicyArn: "arn:aws:iam::aws:policy/AWSCodeCommitFullAccess" }));
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "Deployer" }))).AttachedPolicies).toEqual([
      { PolicyName: "AWSCodeCommitFullAccess", PolicyArn: "arn:aws:iam::aws:policy/AWSCodeCommitFullAccess" },
    ]);
    expect((await failure(iam.send(new DeleteRoleCommand({ RoleName: "Deployer" })))).name).toBe("DeleteConflictException");
    await iam.send(new DeleteRolePolicyCommand({ RoleName: "Deployer", PolicyName: "read" }));
    expect((await failure(iam.send(new DeleteRoleCommand({ RoleName: "Deployer" })))).name).toBe("DeleteConflictException");
    await iam.send(new DetachRolePolicyCommand({ RoleName: "Deployer", PolicyArn: "arn:aws:iam::aws:policy/AWSCodeCommitFullAccess" }));
    await iam.send(new DeleteRoleCommand({ RoleName: "Deployer" }));
    expect((await failure(iam.send(new GetRoleCommand({ RoleName: "Deployer" })))).name).toBe("NoSuchEntityException");
  });

  it("managed policy versions: at most 5, default cannot be deleted", async () => {
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: "artifacts", PolicyDocument: s3Read }));
    const arn = Policy!.Arn!;
    expect(arn).toBe(`arn:aws:iam::${A}:policy/artifacts`);
    expect((await failure(iam.send(new CreatePolicyCommand({ PolicyName: "ARTIFACTS", PolicyDocument: s3Read })))).name).toBe(
      "EntityAlreadyExistsException",
    );
    for (let i = 2; i <= 5; i++) {
      const v = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: s3Read, SetAsDefault: i === 5 }));
      expect(v.PolicyVersion?.VersionId).toBe(`v${i}`);
    }
    const limit = await failure(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: s3Read })));
    expect(limit.name).toBe("LimitExceededException");
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId).toBe("v5");
    expect((await failure(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v5" })))).name).toBe(
      "DeleteConflictException",
    );
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" }));
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: s3Read }));
    const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual(["v6", "v5", "v4", "v3", "v2"]);
    const doc = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v5" }));
    expect(JSON.parse(decodeURIComponent(doc.PolicyVersion!.Document!))).toEqual(JSON.parse(s3Read));
    expect((await failure(iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${A}:policy/nope` })))).name).toBe(
      "NoSuchEntityException",
    );
    const malformed = await failure(
      iam.send(new CreatePolicyCommand({ PolicyName: "p2", PolicyDocument: trust({ Effect: "Allow", Action: "s3:*" }) })),
    );
    expect(malformed.name).toBe("MalformedPolicyDocumentException");
  });

  it("credentials of one account only see their own account", async () => {
    await clients(h, root("222222222222")).iam.send(
      new CreateRoleCommand({
        RoleName: "OnlyIn222",
        AssumeRolePolicyDocument: trust({ Effect: "Allow", Principal: { AWS: "222222222222" }, Action: "sts:AssumeRole" }),
      }),
    );
    expect((await failure(iam.send(new GetRoleCommand({ RoleName: "OnlyIn222" })))).name).toBe("NoSuchEntityException");
    await expect(clients(h, root("222222222222")).iam.send(new GetRoleCommand({ RoleName: "OnlyIn222" }))).resolves.toBeDefined();
  });

  it("assumed-role sessions are limited by the role's policies (AWSCodeCommitFullAccess → codecommit only)", async () => {
    const B = "222222222222";
    const r222 = clients(h, root(B)).iam;
    await r222.send(
      new CreateRoleCommand({
        RoleName: "Reader",
        AssumeRolePolicyDocument: trust({ Effect: "Allow", Principal: { AWS: A }, Action: "sts:AssumeRole" }),
      }),
    );
    await r222.send(new AttachRolePolicyCommand({ RoleName: "Reader", PolicyArn: "arn:aws:iam::aws:policy/AWSCodeCommitFullAccess" }));
    const c = (
      await clients(h, root(A)).sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${B}:role/Reader`, RoleSessionName: "tester" }))
    ).Credentials!;
    const s = clients(h, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
    const branch = await s.cc.send(new GetBranchCommand({ repositoryName: "demo-service", branchName: "main" }));
    expect(branch.branch?.commitId).toMatch(/^[0-9a-f]{40}$/);
    const denied = await failure(s.iam.send(new GetRoleCommand({ RoleName: "Reader" })));
    expect(denied.name).toBe("AccessDenied");
    expect(denied.message).toBe(
      `User: arn:aws:sts::${B}:assumed-role/Reader/tester is not authorized to perform: iam:GetRole on resource: arn:aws:iam::${B}:role/Reader because no identity-based policy allows the iam:GetRole action`,
    );
  });
});

describe("path-scoped provisioning policy (the portal's pattern)", () => {
  it("allows /portal/ roles and policies, and AttachRolePolicy only for /portal/ policies (iam:PolicyARN)", async () => {
    const C = "444444444444";
    const r = clients(h, root(C)).iam;
    await r.send(
      new CreateRoleCommand({
        RoleName: "Prov",
        AssumeRolePolicyDocument: trust({ Effect: "Allow", Principal: { AWS: C }, Action: "sts:AssumeRole" }),
      }),
    );
    await r.send(
      new PutRolePolicyCommand({
        RoleName: "Prov",
        PolicyName: "p",
        PolicyDocument: trust(
          { Effect: "Allow", Action: ["iam:CreateRole", "iam:GetRole", "iam:PutRolePolicy"], Resource: `arn:aws:iam::${C}:role/portal/*` },
          {
            Effect: "Allow",
            Action: "iam:AttachRolePolicy",
            Resource: `arn:aws:iam::${C}:role/portal/*`,
            Condition: { ArnLike: { "iam:PolicyARN": `arn:aws:iam::${C}:policy/portal/*` } },
          },
          {
            Effect: "Allow",
            Action: ["iam:CreatePolicy", "iam:GetPolicy", "iam:TagPolicy"],
            Resource: `arn:aws:iam::${C}:policy/portal/*`,
          },
        ),
      }),
    );
    const c = (
      await clients(h, root(C)).sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${C}:role/Prov`, RoleSessionName: "prov" }))
    ).Credentials!;
    const s = clients(h, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }).iam;
    await s.send(new CreateRoleCommand({ RoleName: "X", Path: "/portal/", AssumeRolePolicyDocument: trustRoot }));
    expect((await failure(s.send(new CreateRoleCommand({ RoleName: "Y", AssumeRolePolicyDocument: trustRoot })))).name).toBe(
      "AccessDenied",
    );
    const pol = await s.send(new CreatePolicyCommand({ PolicyName: "artifacts", Path: "/portal/", PolicyDocument: s3Read }));
    await s.send(new AttachRolePolicyCommand({ RoleName: "X", PolicyArn: pol.Policy!.Arn! }));
    const admin = await failure(
      s.send(new AttachRolePolicyCommand({ RoleName: "X", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" })),
    );
    expect(admin.name).toBe("AccessDenied");
    // A role that does not exist has no path: IAM authorizes GetRole against role/NAME, outside role/portal/*.
    expect((await failure(s.send(new GetRoleCommand({ RoleName: "Missing" })))).name).toBe("AccessDenied");
    expect((await s.send(new GetRoleCommand({ RoleName: "X" }))).Role?.Arn).toBe(`arn:aws:iam::${C}:role/portal/X`);
  });
});
