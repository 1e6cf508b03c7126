// Offboarding deletes only what is this onboarding's own, decided from AWS at the moment of deleting (issue 17,
// item 1). An installation upgraded from naming v1 still records the old shared artifact bucket
// (codepipeline-artifacts-<tools>-<region>) as "created" by its first onboarding: offboarding that onboarding with
// "Delete the artifact bucket" must leave the bucket and every other team's object versions in place. Resources
// someone re-tagged for another onboarding (or whose portal:managed-by mark is gone) are kept too, and the plan says
// so before anyone confirms. Every attack runs over the wire against the sandbox as the provisioning role.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import {
  CreateBucketCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  DeleteObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { DescribeKeyCommand, KMSClient, TagResourceCommand as TagKeyCommand } from "@aws-sdk/client-kms";
import { DescribeRuleCommand, EventBridgeClient, TagResourceCommand as TagRuleCommand } from "@aws-sdk/client-eventbridge";
import { GetRoleCommand, IAMClient, TagRoleCommand, UntagRoleCommand } from "@aws-sdk/client-iam";
import { db } from "@/lib/db";
import { teardownPlan } from "@/lib/teardown/service";
import { applyRun, namesOf, onboard } from "../support/provision";
import { offboardRun } from "../support/offboard";
import { portalResourcesLeft } from "../support/aws-state";
import { createRepository, ctxFor, freshAccountId, registerAccount, rootClient, testUser } from "../support/world";

const cfg = inject("integration");
let user: Awaited<ReturnType<typeof testUser>>;
let seq = 0;

beforeAll(async () => {
  user = await testUser("engineer");
});

async function provisioned() {
  const toolsId = freshAccountId(6);
  const repoId = freshAccountId(7);
  const [tools, repo] = [await registerAccount(toolsId, "tools"), await registerAccount(repoId, "repo")];
  const repositoryName = `own-${Date.now().toString(36)}-${++seq}`;
  await createRepository(repoId, repositoryName);
  const o = await onboard(user, { toolsDbId: tools.id, repoDbId: repo.id, repositoryName, pipelineName: `${repositoryName}-main` });
  expect((await applyRun(user, o.id)).failures).toEqual([]);
  return { o, toolsId, repoId, names: await namesOf(o.id) };
}

/**
 * What an upgraded installation holds: the naming-v1 shared bucket, versioned and tagged as the old code tagged it
 * (for its first onboarding, `firstOnboardingId`), with another team's object versions and a delete marker, and the
 * ledger row the old code wrote for it (origin "created", owned by the first onboarding).
 */
async function legacySharedBucket(toolsId: string, bucket: string, firstOnboardingId: string) {
  const s3 = rootClient(S3Client, toolsId);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
  await s3.send(
    new PutBucketTaggingCommand({
      Bucket: bucket,
      Tagging: {
        TagSet: [
          { Key: "portal:managed-by", Value: "crossline-portal" },
          { Key: "portal:onboarding", Value: firstOnboardingId },
        ],
      },
    }),
  );
  for (const body of ["build 1", "build 2"])
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "payments-main/BuildArtif/a1b2c3", Body: body }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "billing-main/SourceArti/d4e5f6", Body: "source" }));
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "billing-main/SourceArti/d4e5f6" }));
  const row = await db.provisionedResource.create({
    data: {
      onboardingId: firstOnboardingId,
      accountId: toolsId,
      region: "us-east-1",
      kind: "s3-bucket",
      name: bucket,
      arn: `arn:aws:s3:::${bucket}`,
      origin: "created",
      shared: true,
    },
  });
  return { row, versions: await versionsOf(toolsId, bucket) };
}

async function versionsOf(toolsId: string, bucket: string) {
  const page = await rootClient(S3Client, toolsId).send(new ListObjectVersionsCommand({ Bucket: bucket }));
  return [
    ...(page.Versions ?? []).map((v) => `version ${v.Key} ${v.VersionId}`),
    ...(page.DeleteMarkers ?? []).map((v) => `marker ${v.Key} ${v.VersionId}`),
  ].sort();
}

describe("offboarding an upgraded installation", () => {
  it("never deletes the naming-v1 shared bucket: every other team's object version and delete marker survives 'Delete the artifact bucket'", async () => {
    const p = await provisioned();
    const legacy = p.names.artifactStore.legacyBucketName;
    expect(legacy).toBe(`codepipeline-artifacts-${p.toolsId}-us-east-1`);
    const before = await legacySharedBucket(p.toolsId, legacy, p.o.id);
    expect(before.versions).toHaveLength(4);

    const { outcome, failures } = await offboardRun(user, p.o.id, { deleteBucket: true });
    expect({ outcome, failures }).toEqual({ outcome: "succeeded", failures: [] });
    // AWS, read as the tools account's root: the shared bucket and all of its versions are still there.
    expect(await versionsOf(p.toolsId, legacy)).toEqual(before.versions);
    await rootClient(S3Client, p.toolsId).send(new HeadBucketCommand({ Bucket: legacy }));
    // The onboarding's own bucket (and everything else it created) is gone.
    expect(await portalResourcesLeft(p.names)).toEqual([]);
    // The ledger still records the shared bucket (nobody deleted it); the own bucket's row is retired.
    expect(await db.provisionedResource.findUnique({ where: { id: before.row.id } })).not.toBeNull();
    expect(await db.provisionedResource.count({ where: { onboardingId: p.o.id, name: p.names.artifactStore.bucketName } })).toBe(0);
  });

  it("the teardown plan shows the shared bucket as kept, with why, before anyone confirms", async () => {
    const p = await provisioned();
    const legacy = p.names.artifactStore.legacyBucketName;
    await legacySharedBucket(p.toolsId, legacy, p.o.id);
    const plan = await teardownPlan(p.o.id, { deleteBucket: true }, ctxFor(user));
    const buckets = Object.fromEntries(plan.items.filter((i) => i.kind === "s3-bucket").map((i) => [i.name, i]));
    expect(buckets[legacy]).toMatchObject({
      action: "keep",
      reason: expect.stringMatching(/^the old shared artifact bucket of naming v1/),
    });
    expect(buckets[p.names.artifactStore.bucketName]).toMatchObject({ action: "delete" });
  });

  it("the migration reclassifies the shared bucket's row as 'shared' and leaves per-onboarding buckets 'created'", async () => {
    const p = await provisioned();
    const legacy = p.names.artifactStore.legacyBucketName;
    const { row } = await legacySharedBucket(p.toolsId, legacy, p.o.id);
    const dir = cfg.provider === "postgresql" ? "prisma/postgres/migrations" : "prisma/migrations";
    const folder = fs.readdirSync(dir).find((d) => d.endsWith("_legacy_bucket_shared_origin"));
    expect(folder).toBeDefined();
    await db.$executeRawUnsafe(fs.readFileSync(path.join(dir, folder!, "migration.sql"), "utf8"));

    expect((await db.provisionedResource.findUniqueOrThrow({ where: { id: row.id } })).origin).toBe("shared");
    const own = await db.provisionedResource.findFirstOrThrow({
      where: { onboardingId: p.o.id, kind: "s3-bucket", name: p.names.artifactStore.bucketName },
    });
    expect(own.origin).toBe("created");
    const plan = await teardownPlan(p.o.id, { deleteBucket: true }, ctxFor(user));
    expect(plan.items.find((i) => i.name === legacy)).toMatchObject({
      action: "keep",
      reason: expect.stringMatching(/^the old shared artifact bucket of naming v1/),
    });
  });
});

describe("offboarding re-checks ownership in AWS", () => {
  /** Someone re-tags the key, the cross-account role and the start rule for another onboarding and strips the portal's mark from the pipeline role. */
  async function retagged() {
    const p = await provisioned();
    const kms = rootClient(KMSClient, p.toolsId);
    const keyArn = (await kms.send(new DescribeKeyCommand({ KeyId: p.names.artifactStore.kmsAlias }))).KeyMetadata!.Arn!;
    await kms.send(new TagKeyCommand({ KeyId: keyArn, Tags: [{ TagKey: "portal:onboarding", TagValue: OTHER }] }));
    await rootClient(IAMClient, p.repoId).send(
      new TagRoleCommand({ RoleName: p.names.roles.crossAccount.name, Tags: [{ Key: "portal:onboarding", Value: OTHER }] }),
    );
    await rootClient(IAMClient, p.toolsId).send(
      new UntagRoleCommand({ RoleName: p.names.roles.pipeline.name, TagKeys: ["portal:managed-by"] }),
    );
    const toolsEvents = rootClient(EventBridgeClient, p.toolsId);
    const ruleArn = (await toolsEvents.send(new DescribeRuleCommand({ Name: p.names.events.toolsRule.name }))).Arn!;
    await toolsEvents.send(new TagRuleCommand({ ResourceARN: ruleArn, Tags: [{ Key: "portal:onboarding", Value: OTHER }] }));
    return { ...p, keyArn };
  }
  const OTHER = "onb_someone_else";
  const OPTIONS = { deleteBucket: true, deleteKey: true, keyWaitingDays: 7 };

  it("keeps a key, a role and a rule someone re-tagged for another onboarding, and a role whose portal:managed-by mark is gone; the run succeeds", async () => {
    const p = await retagged();
    const { outcome, failures } = await offboardRun(user, p.o.id, OPTIONS);
    expect({ outcome, failures }).toEqual({ outcome: "succeeded", failures: [] });
    // AWS keeps exactly those; everything else the onboarding created is gone.
    const key = (await rootClient(KMSClient, p.toolsId).send(new DescribeKeyCommand({ KeyId: p.names.artifactStore.kmsAlias })))
      .KeyMetadata!;
    expect({ arn: key.Arn, state: key.KeyState }).toEqual({ arn: p.keyArn, state: "Enabled" });
    expect((await portalResourcesLeft(p.names)).sort()).toEqual(
      [
        `repo role ${p.names.roles.crossAccount.name}`,
        `tools role ${p.names.roles.pipeline.name}`,
        `tools rule ${p.names.events.toolsRule.name}`,
      ].sort(),
    );
    expect(
      (await rootClient(IAMClient, p.repoId).send(new GetRoleCommand({ RoleName: p.names.roles.crossAccount.name }))).Role?.RoleName,
    ).toBe(p.names.roles.crossAccount.name);
    // The ledger no longer claims the re-tagged role and rule (they are someone else's now).
    expect(
      await db.provisionedResource.count({
        where: {
          onboardingId: p.o.id,
          name: { in: [p.names.roles.crossAccount.name, p.names.events.toolsRule.name, p.names.roles.pipeline.name] },
        },
      }),
    ).toBe(0);
  });

  it("the teardown plan shows each of them as kept, with whose tag it carries, before anyone confirms", async () => {
    const p = await retagged();
    const plan = await teardownPlan(p.o.id, OPTIONS, ctxFor(user));
    const byName = Object.fromEntries(plan.items.map((i) => [i.name, i]));
    const taggedForOther = { action: "keep", reason: expect.stringMatching(new RegExp(`^not this onboarding's own: tagged for ${OTHER}`)) };
    expect(byName[p.names.artifactStore.kmsAlias]).toMatchObject(taggedForOther);
    expect(byName[p.names.roles.crossAccount.name]).toMatchObject(taggedForOther);
    expect(byName[p.names.events.toolsRule.name]).toMatchObject(taggedForOther);
    expect(byName[p.names.roles.pipeline.name]).toMatchObject({
      action: "keep",
      reason: expect.stringMatching(/^not this onboarding's own: its portal:managed-by tag is missing/),
    });
    expect(byName[p.names.pipeline.name]).toMatchObject({ action: "delete" });
  });
});
