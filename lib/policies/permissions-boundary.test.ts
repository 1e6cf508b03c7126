import { describe, expect, it } from "vitest";
import {
  MANAGED_POLICY_MAX_CHARS,
  boundaryPolicyArn,
  codeBuildRolePermissionPolicy,
  crossAccountRolePermissionPolicy,
  forwardPushRolePermissionPolicy,
  permissionsBoundaryPolicy,
  pipelineRolePermissionPolicy,
  startOnPushRolePermissionPolicy,
  type PolicyDocument,
  type Statement,
} from "@/lib/policies";
import { fixture, pretty } from "./__fixtures__/read";
import { referenceNames as names, referenceSpec as spec, referenceStore as store } from "./__fixtures__/reference";
import { globMatch, list, referenceViolations, uncoveredRequiredTypes } from "./__fixtures__/authorization-reference";

const PURPOSES = ["tools", "repo", "both"] as const;

/** Is every action on every resource an Allow statement of `role` grants also allowed by `boundary`? (statement-wise, conditions aside) */
function outside(role: PolicyDocument, boundary: PolicyDocument): string[] {
  const out: string[] = [];
  for (const s of role.Statement.filter((x) => x.Effect === "Allow")) {
    for (const action of list(s.Action)) {
      for (const resource of list(s.Resource)) {
        const covered = boundary.Statement.some(
          (b: Statement) =>
            b.Effect === "Allow" &&
            list(b.Action).some((ba) => globMatch(ba, action)) &&
            list(b.Resource).some((br) => globMatch(br, resource)),
        );
        if (!covered) out.push(`${s.Sid}: ${action} on ${resource}`);
      }
    }
  }
  return out;
}

describe("permissions boundary", () => {
  it("byte for byte", () => {
    expect(pretty(permissionsBoundaryPolicy({ accountId: "111111111111", purpose: "both" }))).toBe(
      fixture("permissions-boundary-both.json"),
    );
    expect(pretty(permissionsBoundaryPolicy({ accountId: "111111111111", purpose: "tools" }))).toBe(
      fixture("permissions-boundary-tools.json"),
    );
  });

  it("is the managed policy /portal/crossline-portal-boundary", () => {
    expect(boundaryPolicyArn("111111111111")).toBe("arn:aws:iam::111111111111:policy/portal/crossline-portal-boundary");
  });

  it("fits IAM's 6,144-character managed policy quota", () => {
    expect(MANAGED_POLICY_MAX_CHARS).toBe(6_144);
    for (const purpose of PURPOSES)
      expect(JSON.stringify(permissionsBoundaryPolicy({ accountId: "111111111111", purpose })).length, purpose).toBeLessThan(
        MANAGED_POLICY_MAX_CHARS,
      );
  });

  it("allows everything the portal's five role kinds are given (tools-side roles in the tools account, repo-side roles in the repo account)", () => {
    const tools = permissionsBoundaryPolicy({ accountId: spec.toolsAccountId, purpose: "tools" });
    const repo = permissionsBoundaryPolicy({ accountId: spec.repoAccountId, purpose: "repo" });
    expect(outside(pipelineRolePermissionPolicy(spec, names, store), tools)).toEqual([]);
    expect(outside(codeBuildRolePermissionPolicy(spec, names, store), tools)).toEqual([]);
    expect(outside(startOnPushRolePermissionPolicy(names), tools)).toEqual([]);
    expect(outside(crossAccountRolePermissionPolicy(spec, names, store), repo)).toEqual([]);
    expect(outside(forwardPushRolePermissionPolicy(names), repo)).toEqual([]);
  });

  it("caps what a role created by whoever holds the portal's identity can do: no IAM, no other service, no foreign buckets from a tools account", () => {
    const tools = permissionsBoundaryPolicy({ accountId: "111111111111", purpose: "tools" });
    const grants = (action: string, resource: string) =>
      tools.Statement.some(
        (b) =>
          b.Effect === "Allow" &&
          list(b.Action).some((ba) => globMatch(ba, action)) &&
          list(b.Resource).some((br) => globMatch(br, resource)),
      );
    expect(grants("iam:CreateRole", "arn:aws:iam::111111111111:role/portal/x")).toBe(false);
    expect(grants("iam:PassRole", "arn:aws:iam::111111111111:role/portal/x")).toBe(false);
    expect(grants("s3:GetObject", "arn:aws:s3:::company-secrets/x")).toBe(false);
    expect(grants("s3:GetObject", "arn:aws:s3:::codepipeline-artifacts-222222222222-us-east-1-0badc0de/x")).toBe(false);
    expect(grants("s3:DeleteObject", "arn:aws:s3:::codepipeline-artifacts-111111111111-us-east-1-0badc0de/x")).toBe(false);
    expect(grants("sts:AssumeRole", "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole")).toBe(false);
    expect(grants("kms:ScheduleKeyDeletion", "arn:aws:kms:us-east-1:111111111111:key/k")).toBe(false);
    expect(grants("codecommit:GitPush", "arn:aws:codecommit:us-east-1:111111111111:r")).toBe(false);
    for (const s of tools.Statement.filter((x) => list(x.Action).some((a) => a.startsWith("s3:"))))
      expect(s.Condition?.StringEquals?.["aws:ResourceAccount"], s.Sid).toBe("111111111111");
    const start = tools.Statement.find((s) => list(s.Action).includes("codepipeline:StartPipelineExecution"))!;
    expect(start.Condition).toEqual({ StringEquals: { "aws:ResourceTag/portal:managed-by": "crossline-portal" } });
  });

  it("runs builds only of portal-tagged projects, never with a source, buildspec, image or service role override (issue 17)", () => {
    const tools = permissionsBoundaryPolicy({ accountId: "111111111111", purpose: "tools" });
    const start = tools.Statement.filter((s) => s.Effect === "Allow" && list(s.Action).includes("codebuild:StartBuild"));
    expect(start.map((s) => s.Condition)).toEqual([{ StringEquals: { "aws:ResourceTag/portal:managed-by": "crossline-portal" } }]);
    const denied = tools.Statement.filter((s) => s.Effect === "Deny" && list(s.Action).includes("codebuild:StartBuild")).map((s) =>
      Object.keys(s.Condition?.Null ?? {}),
    );
    // One key per statement: a Null block ANDs its keys, and any one override must be enough to deny.
    expect(denied).toEqual(
      [
        "codebuild:source",
        "codebuild:source.buildspec",
        "codebuild:source.location",
        "codebuild:secondarySources",
        "codebuild:environment.image",
        "codebuild:serviceRole",
      ].map((k) => [k]),
    );
  });

  it("uses only portal-tagged keys and assumes only the repo accounts' source roles made for this tools account (issue 17)", () => {
    for (const purpose of PURPOSES) {
      const b = permissionsBoundaryPolicy({ accountId: "111111111111", purpose });
      const keys = b.Statement.find((s) => s.Sid === "ArtifactKeyUse")!;
      expect(keys.Condition, purpose).toEqual({ StringEquals: { "aws:ResourceTag/portal:managed-by": "crossline-portal" } });
    }
    const tools = permissionsBoundaryPolicy({ accountId: "111111111111", purpose: "tools" });
    const assumes = (arn: string) =>
      tools.Statement.some(
        (s) => s.Effect === "Allow" && list(s.Action).includes("sts:AssumeRole") && list(s.Resource).some((r) => globMatch(r, arn)),
      );
    expect(assumes("arn:aws:iam::222222222222:role/portal/demo-service-main-111111111111-us-east-1-xacct-source")).toBe(true);
    expect(assumes("arn:aws:iam::222222222222:role/portal/demo-service-main-333333333333-us-east-1-xacct-source")).toBe(false);
    expect(assumes("arn:aws:iam::111111111111:role/portal/demo-service-main-us-east-1-pipeline-role")).toBe(false);
    expect(assumes("arn:aws:iam::111111111111:role/portal/platform-deploy")).toBe(false);
  });

  it("puts every action on a resource type the Service Authorization Reference lists for it", () => {
    for (const purpose of PURPOSES) {
      const b = permissionsBoundaryPolicy({ accountId: "111111111111", purpose });
      expect(referenceViolations(b.Statement, "111111111111"), purpose).toEqual([]);
      expect(uncoveredRequiredTypes(b.Statement, "111111111111"), purpose).toEqual([]);
    }
  });
});
