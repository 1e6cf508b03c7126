/**
 * The simulated Source and Build actions write artifacts where CodePipeline does:
 * `<first 20 characters of the pipeline name>/<first 10 characters of the artifact name>/<random>` (docs/aws-domain.md#artifact-keys).
 */
import { PutApprovalResultCommand } from "@aws-sdk/client-codepipeline";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterEach, describe, expect, it } from "vitest";
import { SOURCE_ARTIFACT, BUILD_ARTIFACT } from "@/lib/policies/pipeline-declaration";
import { type Provisioned, approvalToken, provision, push, spec, waitStatus } from "./pipeline-exec-world";

let w: Provisioned | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("artifact object keys", () => {
  it("Source and Build write <pipeline[0..20]>/<artifact[0..10]>/<random>", async () => {
    // The reference artifact names are longer than 10 characters, so the rule is visible in the keys.
    expect(SOURCE_ARTIFACT.length).toBeGreaterThan(10);
    expect(BUILD_ARTIFACT.length).toBeGreaterThan(10);
    w = await provision();
    const { body } = await push(w.h, "Artifact keys");
    const id = body.pipelineExecutionIds[0];
    const token = await approvalToken(w.tools.cp, id);
    await w.tools.cp.send(
      new PutApprovalResultCommand({
        pipelineName: spec.pipelineName,
        stageName: "Approval",
        actionName: "Approve",
        token,
        result: { status: "Approved", summary: "ok" },
      }),
    );
    await waitStatus(w.tools.cp, id, "Succeeded");
    const keys = ((await w.tools.s3.send(new ListObjectsV2Command({ Bucket: w.store.bucketName }))).Contents ?? []).map((o) => o.Key!);
    const prefix = escape(spec.pipelineName.slice(0, 20));
    const source = new RegExp(`^${prefix}/${escape(SOURCE_ARTIFACT.slice(0, 10))}/[A-Za-z0-9]{7}$`);
    const build = new RegExp(`^${prefix}/${escape(BUILD_ARTIFACT.slice(0, 10))}/[A-Za-z0-9]{7}$`);
    // (The execution CreatePipeline started may have written a source artifact before the setup abandoned it.)
    expect(keys.filter((k) => source.test(k)).length).toBeGreaterThanOrEqual(1);
    expect(keys.filter((k) => build.test(k))).toHaveLength(1);
    expect(keys.filter((k) => !source.test(k) && !build.test(k))).toEqual([]);
  });
});
