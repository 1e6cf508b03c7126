// A worker killed between S3's CreateBucket and the tagging that marks the bucket as this onboarding's (S3 cannot tag
// in CreateBucket) used to leave an untagged bucket that the resumed run refused as "not created by the portal" (found
// by `npm run drill:chaos`). The step now announces the create in the ledger first (origin `creating`), so the resumed
// run knows the untagged bucket is its own, tags it and finishes; offboarding of an onboarding stopped in that window
// keeps the bucket, with the reason.
import { beforeAll, describe, expect, it } from "vitest";
import { DeleteRolePolicyCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { GetBucketTaggingCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { db } from "@/lib/db";
import { resumeRun } from "@/lib/onboarding/service";
import { DEFAULT_PROVISIONING_ROLE_NAME } from "@/lib/resources/provisioning-role";
import { claimRun, executeRun } from "@/lib/worker-main/runner";
import { applyRun, fastRetry, namesOf, onboard } from "../support/provision";
import { createRepository, ctxFor, freshAccountId, registerAccount, rootClient, testUser } from "../support/world";

const REPO = "222222222222";
const DENY_TAGGING = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Deny", Action: "s3:PutBucketTagging", Resource: "*" }],
});
let engineer: Awaited<ReturnType<typeof testUser>>;
let repoDbId: string;

beforeAll(async () => {
  engineer = await testUser("engineer");
  repoDbId = (await registerAccount(REPO, "repo", "Demo repo")).id;
});

describe("an apply stopped between CreateBucket and the bucket's tagging", () => {
  it("resumes: the untagged bucket it announced is recognised as its own, tagged, and the run succeeds", async () => {
    const toolsId = freshAccountId(6);
    const tools = await registerAccount(toolsId, "tools");
    const repositoryName = `cut-${Date.now().toString(36)}`;
    await createRepository(REPO, repositoryName);
    const o = await onboard(engineer, {
      toolsDbId: tools.id,
      repoDbId,
      repositoryName,
      pipelineName: `${repositoryName}-main`,
      approval: false,
    });
    const bucket = (await namesOf(o.id)).artifactStore.bucketName;

    // The tagging after CreateBucket never happens: an administrator's deny stands in for the killed worker.
    const iam = rootClient(IAMClient, toolsId);
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: DEFAULT_PROVISIONING_ROLE_NAME,
        PolicyName: "stand-in-for-a-crash",
        PolicyDocument: DENY_TAGGING,
      }),
    );
    const first = await applyRun(engineer, o.id);
    expect(first.outcome).toBe("failed");
    expect(first.failures.map((f) => f.stepKey)).toContain("tools.bucket");
    const s3 = rootClient(S3Client, toolsId);
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    const untagged = await s3.send(new GetBucketTaggingCommand({ Bucket: bucket })).then(
      (t) => t.TagSet ?? [],
      () => [],
    );
    expect(untagged).toEqual([]);
    expect((await db.provisionedResource.findFirstOrThrow({ where: { onboardingId: o.id, kind: "s3-bucket" } })).origin).toBe("creating");

    await iam.send(new DeleteRolePolicyCommand({ RoleName: DEFAULT_PROVISIONING_ROLE_NAME, PolicyName: "stand-in-for-a-crash" }));
    await resumeRun(first.run.id, ctxFor(engineer));
    expect(await claimRun(first.run.id, "test-worker")).toBe(true);
    expect(await executeRun(first.run.id, { workerId: "test-worker", retry: fastRetry, heartbeatMs: 200 })).toBe("succeeded");

    const tags = (await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet ?? [];
    expect(tags).toEqual(expect.arrayContaining([{ Key: "portal:onboarding", Value: o.id }]));
    expect((await db.provisionedResource.findFirstOrThrow({ where: { onboardingId: o.id, kind: "s3-bucket" } })).origin).toBe("created");
  });

  it("without the announcement, an untagged bucket under the name is still someone else's: the apply refuses it", async () => {
    const toolsId = freshAccountId(6);
    const tools = await registerAccount(toolsId, "tools");
    const repositoryName = `squat-${Date.now().toString(36)}`;
    await createRepository(REPO, repositoryName);
    const o = await onboard(engineer, {
      toolsDbId: tools.id,
      repoDbId,
      repositoryName,
      pipelineName: `${repositoryName}-main`,
      approval: false,
    });
    const bucket = (await namesOf(o.id)).artifactStore.bucketName;
    const { CreateBucketCommand } = await import("@aws-sdk/client-s3");
    await rootClient(S3Client, toolsId).send(new CreateBucketCommand({ Bucket: bucket }));
    const applied = await applyRun(engineer, o.id);
    expect(applied.outcome).toBe("failed");
    expect(applied.failures.find((f) => f.stepKey === "tools.bucket")?.message).toMatch(/not created by the portal/);
  });
});
