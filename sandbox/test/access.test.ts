import { describe, expect, it } from "vitest";
import { canServiceAssumeRole, checkAssumeRole, isPrincipalVisible } from "../access";
import { resolveCaller, portalPrincipal } from "../identity";
import { type Role, iamState } from "../services/iam-model";
import "../services"; // registers every service's tag lookup
import { emptyWorld } from "../state";

const A = "111111111111";
function worldWithRole(trust: object, createdAt = 0) {
  const world = emptyWorld();
  const role: Role = {
    roleName: "PipelineRole",
    roleId: "AROATEST",
    path: "/",
    arn: `arn:aws:iam::${A}:role/PipelineRole`,
    createdAt,
    maxSessionDuration: 3600,
    trustPolicy: JSON.stringify({ Version: "2012-10-17", Statement: [trust] }),
    tags: [],
    inlinePolicies: {},
    attachedPolicyArns: [],
  };
  iamState(world, A).roles.pipelinerole = role;
  return { world, arn: role.arn };
}

describe("service principals and visibility", () => {
  it("a service may assume a role that trusts it, with aws:SourceAccount conditions", () => {
    const { world, arn } = worldWithRole({
      Effect: "Allow",
      Principal: { Service: "codepipeline.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": A } },
    });
    expect(canServiceAssumeRole(world, "codepipeline.amazonaws.com", arn, { now: 1, sourceAccount: A }).ok).toBe(true);
    expect(canServiceAssumeRole(world, "codepipeline.amazonaws.com", arn, { now: 1, sourceAccount: "999999999999" }).ok).toBe(false);
    expect(canServiceAssumeRole(world, "codebuild.amazonaws.com", arn, { now: 1, sourceAccount: A }).ok).toBe(false);
    // Account principals do not match a service-only trust policy.
    expect(checkAssumeRole(world, portalPrincipal(), arn, { now: 1 }).ok).toBe(false);
  });

  it("isPrincipalVisible honours the IAM propagation delay", () => {
    const { world, arn } = worldWithRole({ Effect: "Allow", Principal: { AWS: A }, Action: "sts:AssumeRole" }, 1000);
    expect(isPrincipalVisible(world, arn, 1500, 1000)).toBe(false);
    expect(isPrincipalVisible(world, arn, 2000, 1000)).toBe(true);
    expect(isPrincipalVisible(world, `arn:aws:iam::${A}:role/Nope`, 5000, 0)).toBe(false);
    expect(isPrincipalVisible(world, `arn:aws:iam::${A}:root`, 0, 1000)).toBe(true);
  });

  it("expired sessions are ExpiredToken, unknown keys InvalidClientTokenId", () => {
    const world = emptyWorld();
    world.sessions.ASIAX = {
      accessKeyId: "ASIAX",
      secretAccessKey: "s",
      sessionToken: "t",
      account: A,
      roleArn: `arn:aws:iam::${A}:role/R`,
      roleId: "AROAR",
      sessionName: "s",
      expiresAt: 100,
    };
    expect(resolveCaller(world, "ASIAX", "t", 50).arn).toBe(`arn:aws:sts::${A}:assumed-role/R/s`);
    expect(() => resolveCaller(world, "ASIAX", "t", 100)).toThrow(expect.objectContaining({ code: "ExpiredToken" }));
    expect(() => resolveCaller(world, "ASIAX", "wrong", 50)).toThrow(expect.objectContaining({ code: "InvalidClientTokenId" }));
    expect(() => resolveCaller(world, "AKIAUNKNOWN", undefined, 50)).toThrow(expect.objectContaining({ code: "InvalidClientTokenId" }));
  });
});
