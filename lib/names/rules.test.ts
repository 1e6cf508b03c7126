import { describe, expect, it } from "vitest";
import {
  COMMERCIAL_REGIONS,
  accountIdProblems,
  actionNameProblems,
  artifactNameProblems,
  branchNameProblems,
  codeBuildProjectNameProblems,
  codeCommitRepositoryNameProblems,
  eventRuleNameProblems,
  eventStatementIdProblems,
  eventTargetIdProblems,
  externalIdProblems,
  iamPolicyNameProblems,
  iamRoleArnProblems,
  iamRoleNameProblems,
  kmsAliasProblems,
  kmsKeyArnProblems,
  pipelineNameProblems,
  regionDisplayName,
  regionProblems,
  s3BucketNameProblems,
  s3BucketNameSchema,
  stageNameProblems,
  validateName,
  type ProblemsFn,
} from "@/lib/names/rules";

function valid(rule: ProblemsFn, values: string[]) {
  for (const v of values) expect(rule(v), JSON.stringify(v)).toEqual([]);
}
function invalid(rule: ProblemsFn, cases: [string, string][]) {
  for (const [v, message] of cases) expect(rule(v), JSON.stringify(v)).toContain(message);
}

describe("account id", () => {
  it("exactly 12 digits", () => {
    valid(accountIdProblems, ["111111111111", "000000000000"]);
    for (const v of ["11111111111", "1111111111111", "11111111111a", "", " 111111111111"]) {
      expect(accountIdProblems(v)).toEqual(["AWS account ids are exactly 12 digits"]);
    }
  });
});

describe("regions", () => {
  it("lists the commercial regions with display names", () => {
    expect(COMMERCIAL_REGIONS).toHaveLength(34);
    expect(COMMERCIAL_REGIONS[0]).toEqual({ id: "us-east-1", name: "US East (N. Virginia)" });
    expect(new Set(COMMERCIAL_REGIONS.map((r) => r.id)).size).toBe(34);
    expect(regionDisplayName("eu-central-2")).toBe("Europe (Zurich)");
    expect(regionDisplayName("mx-central-1")).toBe("Mexico (Central)");
  });
  it("rejects GovCloud, China and unknown regions", () => {
    valid(regionProblems, ["us-east-1", "ap-southeast-7", "ca-west-1", "il-central-1"]);
    for (const r of ["us-gov-west-1", "cn-north-1", "eusc-de-east-1", "us-east-9", "US-EAST-1", ""])
      expect(regionProblems(r)).toHaveLength(1);
  });
});

describe("pipeline, stage, action names", () => {
  it("1–100 of [A-Za-z0-9.@-_]", () => {
    for (const rule of [pipelineNameProblems, stageNameProblems, actionNameProblems]) {
      valid(rule, ["a", "demo-service-main", "A.b@c_d-e", "x".repeat(100)]);
      expect(rule("")).toHaveLength(1);
      expect(rule("x".repeat(101))[0]).toMatch(/must be 1–100 characters$/);
      expect(rule("has space")[0]).toMatch(/may contain only letters, digits, '\.', '@', '-' and '_'$/);
      expect(rule("a/b")).toHaveLength(1);
    }
    expect(pipelineNameProblems("")).toEqual(["Pipeline names must be 1–100 characters"]);
  });
});

describe("artifact names", () => {
  it("1–100 of [a-zA-Z0-9_-]", () => {
    valid(artifactNameProblems, ["SourceOutput", "build_output-1", "x".repeat(100)]);
    invalid(artifactNameProblems, [
      ["Source.Output", "Artifact names may contain only letters, digits, '-' and '_'"],
      ["", "Artifact names must be 1–100 characters"],
      ["x".repeat(101), "Artifact names must be 1–100 characters"],
    ]);
  });
});

describe("IAM", () => {
  it("role names: 1–64 of [\\w+=,.@-]", () => {
    valid(iamRoleNameProblems, ["a", "demo-service-main-pipeline-role", "a+b=c,d.e@f_g-h", "x".repeat(64)]);
    invalid(iamRoleNameProblems, [
      ["x".repeat(65), "IAM role names must be 1–64 characters"],
      ["", "IAM role names must be 1–64 characters"],
      ["a/b", "IAM role names may contain only letters, digits and + = , . @ - _"],
      ["a b", "IAM role names may contain only letters, digits and + = , . @ - _"],
    ]);
  });
  it("policy names: 1–128", () => {
    valid(iamPolicyNameProblems, ["portal-pipeline-access", "x".repeat(128)]);
    invalid(iamPolicyNameProblems, [["x".repeat(129), "IAM policy names must be 1–128 characters"]]);
  });
  it("role ARNs, with and without a path", () => {
    valid(iamRoleArnProblems, [
      "arn:aws:iam::111111111111:role/name",
      "arn:aws:iam::111111111111:role/portal/name",
      "arn:aws:iam::111111111111:role/a/b/c/name",
    ]);
    invalid(iamRoleArnProblems, [
      ["arn:aws:iam::111111111111:user/name", "IAM role ARNs look like arn:aws:iam::123456789012:role/name"],
      ["arn:aws:iam::1111:role/name", "In the role ARN: AWS account ids are exactly 12 digits"],
      ["arn:aws:iam::111111111111:role/portal/", "In the role ARN: IAM role names must be 1–64 characters"],
      ["arn:aws:iam::111111111111:role/bad name", "In the role ARN: IAM role names may contain only letters, digits and + = , . @ - _"],
      ["arn:aws:iam::111111111111:role/a b/name", "In the role ARN: IAM paths must be '/' or start and end with '/' (e.g. /portal/)"],
      ["arn:aws:sts::111111111111:assumed-role/x/y", "IAM role ARNs look like arn:aws:iam::123456789012:role/name"],
    ]);
  });
  it("external ids: 2–1224 of [\\w+=,.@:/-]", () => {
    valid(externalIdProblems, ["ab", "x".repeat(1224), "a:b/c=d"]);
    invalid(externalIdProblems, [
      ["a", "External ids must be 2–1224 characters"],
      ["a b", "External ids may contain only letters, digits and + = , . @ : / - _"],
    ]);
  });
});

describe("KMS", () => {
  it("aliases", () => {
    valid(kmsAliasProblems, ["alias/codepipeline-artifacts-us-east-1", "alias/a:b/c_d-e", `alias/${"x".repeat(250)}`]);
    invalid(kmsAliasProblems, [
      ["codepipeline", "KMS aliases must start with 'alias/' followed by a name"],
      ["alias/", "KMS aliases must start with 'alias/' followed by a name"],
      ["alias/aws/s3", "KMS aliases starting with 'alias/aws/' are reserved for AWS managed keys"],
      ["alias/has space", "KMS alias names may contain only letters, digits and : / _ -"],
      ["alias/a.b", "KMS alias names may contain only letters, digits and : / _ -"],
      [`alias/${"x".repeat(251)}`, "KMS aliases must be 1–256 characters"],
    ]);
  });
  it("key ARNs, never aliases", () => {
    valid(kmsKeyArnProblems, [
      "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      "arn:aws:kms:eu-west-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab",
    ]);
    const alias = "Use the KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), not an alias: an alias resolves only inside its own account";
    expect(kmsKeyArnProblems("alias/x")).toEqual([alias]);
    expect(kmsKeyArnProblems("arn:aws:kms:us-east-1:111111111111:alias/x")).toEqual([alias]);
    expect(kmsKeyArnProblems("1234abcd-12ab-34cd-56ef-1234567890ab")[0]).toMatch(/^KMS key ARNs look like/);
  });
});

describe("S3 bucket names", () => {
  it("accepts valid names", () => {
    valid(s3BucketNameProblems, [
      "abc",
      "codepipeline-artifacts-111111111111-us-east-1",
      "a.b-c",
      "1bucket",
      "x".repeat(63),
      "my.s3alias.bucket",
    ]);
  });
  it("rejects each rule with its own message", () => {
    invalid(s3BucketNameProblems, [
      ["ab", "Bucket names must be 3–63 characters"],
      ["x".repeat(64), "Bucket names must be 3–63 characters"],
      ["My-Bucket", "Bucket names may contain only lowercase letters, digits, '.' and '-'"],
      ["my_bucket", "Bucket names may contain only lowercase letters, digits, '.' and '-'"],
      ["-bucket", "Bucket names must start with a lowercase letter or digit"],
      [".bucket", "Bucket names must start with a lowercase letter or digit"],
      ["bucket-", "Bucket names must end with a lowercase letter or digit"],
      ["bucket.", "Bucket names must end with a lowercase letter or digit"],
      ["my..bucket", "Bucket names must not contain two adjacent periods"],
      ["192.168.5.4", "Bucket names must not look like an IP address"],
      ["xn--bucket", "Bucket names must not start with 'xn--' (reserved by AWS)"],
      ["sthree-bucket", "Bucket names must not start with 'sthree-' (reserved by AWS)"],
      ["amzn-s3-demo-bucket", "Bucket names must not start with 'amzn-s3-demo-' (reserved by AWS)"],
      ["bucket-s3alias", "Bucket names must not end with '-s3alias' (reserved by AWS)"],
      ["bucket--ol-s3", "Bucket names must not end with '--ol-s3' (reserved by AWS)"],
      ["bucket.mrap", "Bucket names must not end with '.mrap' (reserved by AWS)"],
      ["bucket--x-s3", "Bucket names must not end with '--x-s3' (reserved by AWS)"],
      ["bucket--table-s3", "Bucket names must not end with '--table-s3' (reserved by AWS)"],
    ]);
  });
  it("the zod schema reports the same messages", () => {
    const r = s3BucketNameSchema.safeParse("-B");
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual([
      "Bucket names must be 3–63 characters",
      "Bucket names may contain only lowercase letters, digits, '.' and '-'",
      "Bucket names must start with a lowercase letter or digit",
      "Bucket names must end with a lowercase letter or digit",
    ]);
    expect(s3BucketNameSchema.safeParse("good-bucket").success).toBe(true);
  });
});

describe("CodeCommit", () => {
  it("repository names: 1–100 of [\\w.-], not ending in .git", () => {
    valid(codeCommitRepositoryNameProblems, ["demo-service", "a.b_c", "x".repeat(100)]);
    invalid(codeCommitRepositoryNameProblems, [
      ["", "Repository names must be 1–100 characters"],
      ["x".repeat(101), "Repository names must be 1–100 characters"],
      ["a/b", "Repository names may contain only letters, digits, '.', '-' and '_'"],
      ["demo.git", "Repository names must not end with '.git'"],
    ]);
  });
  it("branch names: 1–256 and git's reference rules", () => {
    valid(branchNameProblems, ["main", "feature/x", "release-1.2", "x".repeat(256), "a@b"]);
    invalid(branchNameProblems, [
      ["", "Branch names must be 1–256 characters"],
      ["x".repeat(257), "Branch names must be 1–256 characters"],
      ["/main", "Branch names must not start or end with '/' or '.'"],
      ["main.", "Branch names must not start or end with '/' or '.'"],
      ["@", "A branch cannot be named '@'"],
      ["a..b", "Branch names must not contain '..'"],
      ["a//b", "Branch names must not contain '//'"],
      ["a@{b", "Branch names must not contain '@{'"],
      ["a b", "Branch names must not contain spaces or any of ~ ^ : ? * [ \\"],
      ["a~b", "Branch names must not contain spaces or any of ~ ^ : ? * [ \\"],
      ["a:b", "Branch names must not contain spaces or any of ~ ^ : ? * [ \\"],
      ["a\u0007b", "Branch names must not contain control characters"],
      ["main.lock", "Branch names must not end with '.lock'"],
    ]);
  });
});

describe("CodeBuild project names", () => {
  it("2–255, starting alphanumeric", () => {
    valid(codeBuildProjectNameProblems, ["ab", "demo-service-main-build", "A_b-1"]);
    expect(codeBuildProjectNameProblems("a")).toEqual(["CodeBuild project names must be 2–255 characters"]);
    expect(codeBuildProjectNameProblems("-ab")).toHaveLength(1);
    expect(codeBuildProjectNameProblems("a.b")).toHaveLength(1);
  });
});

describe("EventBridge", () => {
  it("rule names and target ids: 1–64 of [.-_A-Za-z0-9]", () => {
    for (const rule of [eventRuleNameProblems, eventTargetIdProblems]) {
      valid(rule, ["demo-service-main-forward-push", "a.b_c", "x".repeat(64)]);
      expect(rule("x".repeat(65))).toHaveLength(1);
      expect(rule("")).toHaveLength(1);
      expect(rule("a@b")).toHaveLength(1);
    }
    expect(eventRuleNameProblems("x".repeat(65))).toEqual(["EventBridge rule names must be 1–64 characters"]);
  });
  it("statement ids: 1–64 of [a-zA-Z0-9-_]", () => {
    valid(eventStatementIdProblems, ["portal-allow-222222222222", "x".repeat(64)]);
    invalid(eventStatementIdProblems, [
      ["x".repeat(65), "Event bus statement ids must be 1–64 characters"],
      ["a.b", "Event bus statement ids may contain only letters, digits, '-' and '_'"],
    ]);
  });
});

describe("validateName", () => {
  it("dispatches by kind", () => {
    expect(validateName("s3Bucket", "ok-bucket")).toEqual([]);
    expect(validateName("accountId", "1")).toEqual(["AWS account ids are exactly 12 digits"]);
  });
});
