import { describe, expect, it } from "vitest";
import { resourceTagContext } from "../resource-tags";
import "../services"; // registers every service's tag lookup
import { emptyWorld, ensureAccount } from "../state";

const A = "111111111111";
const R = "us-east-1";
const tag = [{ Key: "portal:managed-by", Value: "crossline-portal" }];

describe("aws:ResourceTag comes from the resource the request names", () => {
  const world = emptyWorld();
  const acct = ensureAccount(world, A);
  acct.global.iam = {
    roles: { "app-role": { arn: `arn:aws:iam::${A}:role/portal/app-role`, tags: tag } },
    policies: { [`arn:aws:iam::${A}:policy/portal/b`]: { tags: tag } },
  };
  acct.global.s3 = { buckets: { "my-bucket": { tags: tag } } };
  acct.regions[R] = {
    kms: { keys: { k1: { tags: [{ TagKey: "portal:managed-by", TagValue: "crossline-portal" }] } } },
    codepipeline: { pipelines: { app: { tags: [{ key: "portal:managed-by", value: "crossline-portal" }] } } },
    codebuild: { projects: { "app-build": { tags: [{ key: "portal:managed-by", value: "crossline-portal" }] } } },
    events: { rules: { "default/push": { tags: tag }, "custom/push": { tags: [] } } },
  };
  const managed = { "aws:ResourceTag/portal:managed-by": "crossline-portal" };

  it.each([
    `arn:aws:kms:${R}:${A}:key/k1`,
    `arn:aws:iam::${A}:policy/portal/b`,
    `arn:aws:codepipeline:${R}:${A}:app`,
    `arn:aws:codebuild:${R}:${A}:project/app-build`,
    `arn:aws:events:${R}:${A}:rule/push`,
    "arn:aws:s3:::my-bucket",
  ])("%s", (arn) => {
    expect(resourceTagContext(world, arn)).toEqual(managed);
  });

  it("a pipeline's stage and action ARNs carry the pipeline's tags (the reference lists aws:ResourceTag for both types)", () => {
    expect(resourceTagContext(world, `arn:aws:codepipeline:${R}:${A}:app/Approval`)).toEqual(managed);
    expect(resourceTagContext(world, `arn:aws:codepipeline:${R}:${A}:app/Approval/Approve`)).toEqual(managed);
    // Another pipeline's stage, and deeper paths than PIPELINE/STAGE/ACTION, carry none.
    expect(resourceTagContext(world, `arn:aws:codepipeline:${R}:${A}:other/Approval/Approve`)).toEqual({});
    expect(resourceTagContext(world, `arn:aws:codepipeline:${R}:${A}:app/Approval/Approve/extra`)).toEqual({});
  });

  it("IAM roles also as iam:ResourceTag; a role ARN with the wrong path names no role", () => {
    expect(resourceTagContext(world, `arn:aws:iam::${A}:role/portal/app-role`)).toEqual({
      ...managed,
      "iam:ResourceTag/portal:managed-by": "crossline-portal",
    });
    expect(resourceTagContext(world, `arn:aws:iam::${A}:role/app-role`)).toEqual({});
  });

  it("untagged, missing and other resources carry no tags", () => {
    expect(resourceTagContext(world, `arn:aws:events:${R}:${A}:rule/custom/push`)).toEqual({});
    expect(resourceTagContext(world, `arn:aws:kms:${R}:${A}:key/missing`)).toEqual({});
    expect(resourceTagContext(world, "arn:aws:s3:::my-bucket/key")).toEqual({});
  });
});
