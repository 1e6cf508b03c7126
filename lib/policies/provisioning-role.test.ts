import { describe, expect, it } from "vitest";
import {
  provisioningCloudFormationTemplate,
  provisioningPermissionPolicy,
  provisioningTrustPolicy,
  type Statement,
} from "@/lib/policies";
import { deriveResourceNames } from "@/lib/names/derive";
import { fixture, pretty } from "./__fixtures__/read";
import { referenceSpec } from "./__fixtures__/reference";

const actions = (statements: Statement[]) =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : s.Action ? [s.Action] : []));

describe("provisioning role", () => {
  it("trust policy: the portal principal, AssumeRole + SetSourceIdentity, ExternalId", () => {
    expect(JSON.stringify(provisioningTrustPolicy({ portalPrincipalArn: "arn:aws:iam::999999999999:role/portal", externalId: "ext-123" }), null, 2)).toBe(`{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "PortalAssumeWithExternalId",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::999999999999:role/portal"
      },
      "Action": [
        "sts:AssumeRole",
        "sts:SetSourceIdentity"
      ],
      "Condition": {
        "StringEquals": {
          "sts:ExternalId": "ext-123"
        }
      }
    }
  ]
}`);
  });

  it("CloudFormation template, byte for byte", () => {
    const t = provisioningCloudFormationTemplate({
      accountId: "111111111111",
      purpose: "both",
      portalPrincipalArn: "arn:aws:iam::999999999999:role/portal",
      externalId: "ext-123",
    });
    expect(pretty(t)).toBe(fixture("provisioning-template-both.json"));
  });

  it("template without defaults leaves the parameters to the person deploying it", () => {
    const t = provisioningCloudFormationTemplate({ accountId: "222222222222", purpose: "repo" });
    expect(t.Parameters.PortalPrincipalArn).not.toHaveProperty("Default");
    expect(t.Parameters.ExternalId).not.toHaveProperty("Default");
    expect(t.Description).toBe("Provisioning role for the crossline portal (repository account)");
  });

  it("covers every call of the procedure, per purpose", () => {
    const tools = actions(provisioningPermissionPolicy({ accountId: "111111111111", purpose: "tools" }).Statement);
    const repo = actions(provisioningPermissionPolicy({ accountId: "222222222222", purpose: "repo" }).Statement);
    const both = actions(provisioningPermissionPolicy({ accountId: "111111111111", purpose: "both" }).Statement);
    for (const a of [
      "sts:GetCallerIdentity",
      "kms:CreateKey", "kms:DescribeKey", "kms:CreateAlias", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:EnableKeyRotation",
      "kms:TagResource", "kms:CancelKeyDeletion", "kms:ScheduleKeyDeletion", "kms:DeleteAlias",
      "s3:CreateBucket", "s3:ListBucket", "s3:GetBucketLocation", "s3:PutBucketOwnershipControls", "s3:PutBucketPublicAccessBlock",
      "s3:PutEncryptionConfiguration", "s3:PutBucketVersioning", "s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucket",
      "s3:ListBucketVersions", "s3:DeleteObjectVersion",
      "iam:GetRole", "iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:GetRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy",
      "iam:DeleteRole", "iam:GetPolicy", "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:AttachRolePolicy",
      "iam:DetachRolePolicy", "iam:PassRole",
      "codebuild:BatchGetProjects", "codebuild:CreateProject", "codebuild:UpdateProject",
      "events:DescribeEventBus", "events:PutPermission", "events:DescribeRule", "events:PutRule", "events:PutTargets",
      "events:ListTargetsByRule", "events:RemoveTargets", "events:DeleteRule", "events:RemovePermission",
      "codepipeline:GetPipeline", "codepipeline:CreatePipeline", "codepipeline:UpdatePipeline", "codepipeline:TagResource",
      "codepipeline:ListPipelines", "codepipeline:GetPipelineState", "codepipeline:ListPipelineExecutions",
      "codepipeline:GetPipelineExecution", "codepipeline:ListActionExecutions", "codepipeline:StartPipelineExecution",
      "codepipeline:StopPipelineExecution", "codepipeline:RetryStageExecution", "codepipeline:DeletePipeline",
    ]) {
      expect(tools, a).toContain(a);
      expect(both, a).toContain(a);
    }
    for (const a of ["sts:GetCallerIdentity", "codecommit:GetRepository", "codecommit:GetBranch", "iam:CreateRole", "iam:PutRolePolicy", "iam:PassRole", "events:PutRule", "events:PutTargets"]) {
      expect(repo, a).toContain(a);
      expect(both, a).toContain(a);
    }
    expect(tools).not.toContain("codecommit:GetRepository");
    for (const a of ["kms:CreateKey", "s3:CreateBucket", "codepipeline:CreatePipeline", "events:PutPermission"]) expect(repo).not.toContain(a);
  });

  it("is least-privilege: no service wildcards, no codecommit writes, scoped resources", () => {
    const p = provisioningPermissionPolicy({ accountId: "111111111111", purpose: "both" });
    const all = actions(p.Statement);
    expect(all.filter((a) => a.includes("*"))).toEqual([]);
    expect(all.filter((a) => a.startsWith("codecommit:") && !/^codecommit:(Get|List)/.test(a))).toEqual([]);
    const wildcardResource = p.Statement.filter((s) => s.Resource === "*").map((s) => s.Sid);
    expect(wildcardResource).toEqual(["WhoAmI", "CreateSymmetricKey", "ListKeyAliases", "ListPipelines", "ListBuildProjects", "ListRepositories"]);
    const buckets = p.Statement.find((s) => s.Sid === "ManageArtifactBuckets");
    expect(buckets?.Resource).toBe("arn:aws:s3:::codepipeline-artifacts-111111111111-*");
    expect(p.Statement.find((s) => s.Sid === "CreateSymmetricKey")?.Condition).toEqual({ StringEquals: { "kms:KeySpec": "SYMMETRIC_DEFAULT" } });
    expect(p.Statement.find((s) => s.Sid === "PortalRolesAttachPortalPolicies")?.Condition).toEqual({
      ArnLike: { "iam:PolicyARN": "arn:aws:iam::111111111111:policy/portal/*" },
    });
  });

  it("PassRole is limited per role kind by iam:PassedToService, and matches the derived role ARNs", () => {
    const p = provisioningPermissionPolicy({ accountId: "111111111111", purpose: "both" });
    const pass = p.Statement.filter((s) => s.Action === "iam:PassRole");
    expect(pass.map((s) => [s.Resource, s.Condition?.StringEquals?.["iam:PassedToService"]])).toEqual([
      ["arn:aws:iam::111111111111:role/portal/*-pipeline-role", "codepipeline.amazonaws.com"],
      ["arn:aws:iam::111111111111:role/portal/*-codebuild-role", "codebuild.amazonaws.com"],
      ["arn:aws:iam::111111111111:role/portal/*-start-on-push-role", "events.amazonaws.com"],
      ["arn:aws:iam::111111111111:role/portal/*-forward-push-role", "events.amazonaws.com"],
    ]);
    // Even a pipeline name long enough to be truncated keeps the suffix the patterns rely on.
    const n = deriveResourceNames({ ...referenceSpec, pipelineName: "x".repeat(100) });
    const glob = (pattern: string, value: string) =>
      new RegExp(`^${pattern.split("*").map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(value);
    expect(glob(pass[0].Resource as string, n.roles.pipeline.arn)).toBe(true);
    expect(glob(pass[1].Resource as string, n.roles.codeBuild!.arn)).toBe(true);
    expect(glob(pass[2].Resource as string, n.roles.startOnPush.arn)).toBe(true);
  });

  it("fits IAM's 10,240-character inline policy limit", () => {
    const size = JSON.stringify(provisioningPermissionPolicy({ accountId: "111111111111", purpose: "both" })).length;
    expect(size).toBeLessThan(10_240);
  });
});
