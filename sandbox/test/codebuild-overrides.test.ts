import { describe, expect, it } from "vitest";
import { evaluatePolicies } from "../policy/evaluate";
import type { PolicyDocument, Principal } from "../policy/types";
import { startBuildContext } from "../services/codebuild-overrides";

const project = "arn:aws:codebuild:us-east-1:111111111111:project/team-a-build";
const principal: Principal = {
  type: "assumed-role",
  arn: "arn:aws:sts::111111111111:assumed-role/escape/s",
  account: "111111111111",
  roleArn: "arn:aws:iam::111111111111:role/portal/escape",
  userId: "AROAESCAPE:s",
};
/** The boundary's pattern: allow StartBuild, deny it whenever one override key is present (a Null block ANDs its keys). */
const policy: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: "codebuild:StartBuild", Resource: "*" },
    ...["codebuild:source", "codebuild:source.buildspec", "codebuild:environment.image", "codebuild:serviceRole"].map((k) => ({
      Effect: "Deny" as const,
      Action: "codebuild:StartBuild",
      Resource: "*",
      Condition: { Null: { [k]: "false" } },
    })),
  ],
};
const decide = (input: Record<string, unknown>) =>
  evaluatePolicies({
    action: "codebuild:StartBuild",
    resource: project,
    principal,
    identityPolicies: [policy],
    context: startBuildContext(input),
  }).decision;

describe("StartBuild condition keys from the request's overrides", () => {
  it("sets a key exactly when its override is given", () => {
    expect(startBuildContext({ projectName: "p" })).toEqual({});
    expect(startBuildContext({ projectName: "p", buildspecOverride: "version: 0.2" })).toEqual({
      "codebuild:source.buildspec": "true",
      "codebuild:source": "true",
    });
    expect(startBuildContext({ imageOverride: "evil:latest" })).toEqual({
      "codebuild:environment.image": "evil:latest",
      "codebuild:environment": "true",
    });
    expect(startBuildContext({ serviceRoleOverride: "arn:aws:iam::1:role/r" })).toEqual({
      "codebuild:serviceRole": "arn:aws:iam::1:role/r",
    });
    // The reference has no key for the source type: any source override sets codebuild:source.
    expect(startBuildContext({ sourceTypeOverride: "NO_SOURCE" })).toEqual({ "codebuild:source": "true" });
  });

  it("a Null Deny on an override key refuses the override and nothing else; the sandbox does not fail closed on these keys", () => {
    expect(decide({ projectName: "p" })).toBe("allow");
    for (const o of [
      { buildspecOverride: "x" },
      { sourceTypeOverride: "S3", sourceLocationOverride: "b/k" },
      { imageOverride: "i" },
      { serviceRoleOverride: "r" },
    ])
      expect(decide(o), JSON.stringify(o)).toBe("deny");
  });
});
