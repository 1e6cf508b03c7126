// Block Public Access on a portal artifact bucket (issue 17, item 6): the provisioning role never writes it (new
// buckets block public access by default), so a bucket an administrator loosened still shows as drift, and a repair
// fails with a step that says an administrator must restore it, changing nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand, S3Client } from "@aws-sdk/client-s3";
import { db } from "@/lib/db";
import { startRepair, verifyNow } from "@/lib/drift";
import { claimRun, executeRun } from "@/lib/worker-main/runner";
import { applyRun, fastRetry, namesOf, onboard } from "../support/provision";
import { calls, createRepository, ctxFor, freshAccountId, registerAccount, resetCalls, rootClient, testUser } from "../support/world";

const REPO = "222222222222";
let engineer: Awaited<ReturnType<typeof testUser>>;
let repoDbId: string;

beforeAll(async () => {
  engineer = await testUser("engineer");
  repoDbId = (await registerAccount(REPO, "repo", "Demo repo")).id;
});

describe("Block Public Access of an artifact bucket", () => {
  it("a fresh apply leaves all four settings on without writing them; loosened by hand, it is drift the portal reports but cannot undo", async () => {
    const toolsId = freshAccountId(6);
    const tools = await registerAccount(toolsId, "tools");
    const repositoryName = `bpa-${Date.now().toString(36)}`;
    await createRepository(REPO, repositoryName);
    const o = await onboard(engineer, {
      toolsDbId: tools.id,
      repoDbId,
      repositoryName,
      pipelineName: `${repositoryName}-main`,
      approval: false,
    });
    await resetCalls();
    const applied = await applyRun(engineer, o.id);
    expect({ outcome: applied.outcome, failures: applied.failures }).toEqual({ outcome: "succeeded", failures: [] });
    expect((await calls()).filter((c) => c.action === "PutPublicAccessBlock")).toEqual([]);
    const bucket = (await namesOf(o.id)).artifactStore.bucketName;
    const s3 = rootClient(S3Client, toolsId);
    const all = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration).toEqual(all);

    // An administrator turns BlockPublicPolicy off.
    const loosened = { ...all, BlockPublicPolicy: false };
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: loosened }));
    const check = await verifyNow(o.id, ctxFor(engineer));
    expect(check.items.find((i) => i.stepKey === "tools.bucket")).toMatchObject({ status: "drifted" });

    const run = await startRepair(o.id, ctxFor(engineer));
    expect(await claimRun(run.id, "bpa-test")).toBe(true);
    await executeRun(run.id, { workerId: "bpa-test", retry: fastRetry, heartbeatMs: 200 });
    const failed = await db.runStep.findFirst({ where: { runId: run.id, stepKey: "tools.bucket" } });
    expect(failed?.status).toBe("failed");
    expect(failed?.errorMessage).toMatch(
      /does not block all public access .* an administrator of account \d{12} turns all four settings back on/,
    );
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration).toEqual(loosened);
  });
});
