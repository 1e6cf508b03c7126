/**
 * Name rules for every AWS name the portal writes or accepts (docs/aws-domain.md#name-rules, botocore models,
 * S3 bucket naming rules). Each rule is a pure `problems(value) => string[]` function (empty = valid) and a
 * zod schema built from it, so forms, server actions and the policy builders share one source of truth.
 */
import { z } from "zod";
import { COMMERCIAL_REGIONS, isCommercialRegion } from "./regions";

export { COMMERCIAL_REGIONS, COMMERCIAL_REGION_IDS, isCommercialRegion, regionDisplayName } from "./regions";
export type { CommercialRegion, RegionInfo } from "./regions";

export type ProblemsFn = (value: string) => string[];

function lengthProblem(value: string, min: number, max: number, what: string): string[] {
  if (value.length < min || value.length > max) {
    return [min === max ? `${what} must be exactly ${min} characters` : `${what} must be ${min}–${max} characters`];
  }
  return [];
}

function charsetProblem(value: string, re: RegExp, what: string, allowed: string): string[] {
  return value.length > 0 && !re.test(value) ? [`${what} may contain only ${allowed}`] : [];
}

// ---------------------------------------------------------------- account, region

export const accountIdProblems: ProblemsFn = (v) => (/^\d{12}$/.test(v) ? [] : ["AWS account ids are exactly 12 digits"]);

export const regionProblems: ProblemsFn = (v) => (isCommercialRegion(v) ? [] : [`"${v}" is not an AWS commercial region (e.g. us-east-1)`]);

// ---------------------------------------------------------------- CodePipeline

const PIPELINE_CHARSET = /^[A-Za-z0-9.@\-_]+$/;
const PIPELINE_ALLOWED = "letters, digits, '.', '@', '-' and '_'";

export const pipelineNameProblems: ProblemsFn = (v) => [
  ...lengthProblem(v, 1, 100, "Pipeline names"),
  ...charsetProblem(v, PIPELINE_CHARSET, "Pipeline names", PIPELINE_ALLOWED),
];
export const stageNameProblems: ProblemsFn = (v) => [
  ...lengthProblem(v, 1, 100, "Stage names"),
  ...charsetProblem(v, PIPELINE_CHARSET, "Stage names", PIPELINE_ALLOWED),
];
export const actionNameProblems: ProblemsFn = (v) => [
  ...lengthProblem(v, 1, 100, "Action names"),
  ...charsetProblem(v, PIPELINE_CHARSET, "Action names", PIPELINE_ALLOWED),
];
export const artifactNameProblems: ProblemsFn = (v) => [
  ...lengthProblem(v, 1, 100, "Artifact names"),
  ...charsetProblem(v, /^[a-zA-Z0-9_\-]+$/, "Artifact names", "letters, digits, '-' and '_'"),
];

// ---------------------------------------------------------------- IAM

const IAM_CHARSET = /^[\w+=,.@-]+$/;
const IAM_ALLOWED = "letters, digits and + = , . @ - _";

export const iamRoleNameProblems: ProblemsFn = (v) => [
  ...lengthProblem(v, 1, 64, "IAM role names"),
  ...charsetProblem(v, IAM_CHARSET, "IAM role names", IAM_ALLOWED),
];
export const iamPolicyNameProblems: ProblemsFn = (v) => [
  ...lengthProblem(v, 1, 128, "IAM policy names"),
  ...charsetProblem(v, IAM_CHARSET, "IAM policy names", IAM_ALLOWED),
];
export const iamPathProblems: ProblemsFn = (v) => {
  const p = lengthProblem(v, 1, 512, "IAM paths");
  if (v !== "/" && !/^\/[\u0021-\u007E]+\/$/.test(v)) p.push("IAM paths must be '/' or start and end with '/' (e.g. /portal/)");
  return p;
};

/** `arn:aws:iam::<12 digits>:role/<path/>name` */
export const iamRoleArnProblems: ProblemsFn = (v) => {
  const m = /^arn:(aws|aws-cn|aws-us-gov):iam::([^:]*):role(\/.*)$/.exec(v);
  if (!m) return ["IAM role ARNs look like arn:aws:iam::123456789012:role/name"];
  const problems = accountIdProblems(m[2]).map((p) => `In the role ARN: ${p}`);
  const rest = m[3];
  const slash = rest.lastIndexOf("/");
  const path = rest.slice(0, slash + 1);
  const name = rest.slice(slash + 1);
  if (path !== "/") problems.push(...iamPathProblems(path).map((p) => `In the role ARN: ${p}`));
  problems.push(...iamRoleNameProblems(name).map((p) => `In the role ARN: ${p}`));
  return problems;
};

/** sts:ExternalId: 2–1224 characters, `[\w+=,.@:/-]`. */
export const externalIdProblems: ProblemsFn = (v) => [
  ...lengthProblem(v, 2, 1224, "External ids"),
  ...charsetProblem(v, /^[\w+=,.@:\/-]+$/, "External ids", "letters, digits and + = , . @ : / - _"),
];

// ---------------------------------------------------------------- KMS

export const kmsAliasProblems: ProblemsFn = (v) => {
  const p: string[] = [];
  if (!v.startsWith("alias/") || v.length <= "alias/".length) p.push("KMS aliases must start with 'alias/' followed by a name");
  p.push(...lengthProblem(v, 1, 256, "KMS aliases"));
  if (v.startsWith("alias/") && !/^alias\/[a-zA-Z0-9:/_-]*$/.test(v)) {
    p.push("KMS alias names may contain only letters, digits and : / _ -");
  }
  if (v.startsWith("alias/aws/")) p.push("KMS aliases starting with 'alias/aws/' are reserved for AWS managed keys");
  return p;
};

/** A KMS key ARN (never an alias, never a bare key id: cross-account references need the ARN). */
export const kmsKeyArnProblems: ProblemsFn = (v) => {
  if (/^arn:[^:]+:kms:[^:]*:[^:]*:alias\//.test(v) || v.startsWith("alias/")) {
    return ["Use the KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), not an alias: an alias resolves only inside its own account"];
  }
  const m = /^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):key\/([A-Za-z0-9-]+)$/.exec(v);
  return m ? [] : ["KMS key ARNs look like arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"];
};

// ---------------------------------------------------------------- S3

const BUCKET_FORBIDDEN_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;
const BUCKET_FORBIDDEN_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] as const;

export const s3BucketNameProblems: ProblemsFn = (v) => {
  const p: string[] = [...lengthProblem(v, 3, 63, "Bucket names")];
  if (!/^[a-z0-9.-]*$/.test(v)) p.push("Bucket names may contain only lowercase letters, digits, '.' and '-'");
  if (v.length > 0 && !/^[a-z0-9]/.test(v)) p.push("Bucket names must start with a lowercase letter or digit");
  if (v.length > 0 && !/[a-z0-9]$/.test(v)) p.push("Bucket names must end with a lowercase letter or digit");
  if (v.includes("..")) p.push("Bucket names must not contain two adjacent periods");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v)) p.push("Bucket names must not look like an IP address");
  for (const prefix of BUCKET_FORBIDDEN_PREFIXES) {
    if (v.startsWith(prefix)) p.push(`Bucket names must not start with '${prefix}' (reserved by AWS)`);
  }
  for (const suffix of BUCKET_FORBIDDEN_SUFFIXES) {
    if (v.endsWith(suffix)) p.push(`Bucket names must not end with '${suffix}' (reserved by AWS)`);
  }
  return p;
};

// ---------------------------------------------------------------- CodeCommit, CodeBuild

export const codeCommitRepositoryNameProblems: ProblemsFn = (v) => {
  const p = [
    ...lengthProblem(v, 1, 100, "Repository names"),
    ...charsetProblem(v, /^[\w.-]+$/, "Repository names", "letters, digits, '.', '-' and '_'"),
  ];
  if (v.endsWith(".git")) p.push("Repository names must not end with '.git'");
  return p;
};

/** CodeCommit branch names: 1–256 characters and git's reference rules. */
export const branchNameProblems: ProblemsFn = (v) => {
  const p = lengthProblem(v, 1, 256, "Branch names");
  if (v.length === 0) return p;
  if (/^[/.]|[/.]$/.test(v)) p.push("Branch names must not start or end with '/' or '.'");
  if (v === "@") p.push("A branch cannot be named '@'");
  if (v.includes("..")) p.push("Branch names must not contain '..'");
  if (v.includes("//")) p.push("Branch names must not contain '//'");
  if (v.includes("@{")) p.push("Branch names must not contain '@{'");
  if (/[\s~^:?*[\\]/.test(v)) p.push("Branch names must not contain spaces or any of ~ ^ : ? * [ \\");
  if (/[\u0000-\u001f\u007f]/.test(v)) p.push("Branch names must not contain control characters");
  if (v.endsWith(".lock")) p.push("Branch names must not end with '.lock'");
  return p;
};

/** CodeBuild project names: 2–255 characters, `[A-Za-z0-9][A-Za-z0-9\-_]*`. */
export const codeBuildProjectNameProblems: ProblemsFn = (v) => {
  const p = lengthProblem(v, 2, 255, "CodeBuild project names");
  if (v.length > 0 && !/^[A-Za-z0-9][A-Za-z0-9\-_]*$/.test(v)) {
    p.push("CodeBuild project names must start with a letter or digit and contain only letters, digits, '-' and '_'");
  }
  return p;
};

// ---------------------------------------------------------------- EventBridge

export const eventRuleNameProblems: ProblemsFn = (v) => [
  ...lengthProblem(v, 1, 64, "EventBridge rule names"),
  ...charsetProblem(v, /^[.\-_A-Za-z0-9]+$/, "EventBridge rule names", "letters, digits, '.', '-' and '_'"),
];
export const eventTargetIdProblems: ProblemsFn = (v) => [
  ...lengthProblem(v, 1, 64, "EventBridge target ids"),
  ...charsetProblem(v, /^[.\-_A-Za-z0-9]+$/, "EventBridge target ids", "letters, digits, '.', '-' and '_'"),
];
export const eventStatementIdProblems: ProblemsFn = (v) => [
  ...lengthProblem(v, 1, 64, "Event bus statement ids"),
  ...charsetProblem(v, /^[a-zA-Z0-9\-_]+$/, "Event bus statement ids", "letters, digits, '-' and '_'"),
];

// ---------------------------------------------------------------- zod schemas

/** A zod string schema whose issues are exactly the rule's human-readable problems. */
export function schemaFrom(problems: ProblemsFn) {
  return z.string().superRefine((value, ctx) => {
    for (const message of problems(value)) ctx.addIssue({ code: "custom", message });
  });
}

export const accountIdSchema = schemaFrom(accountIdProblems);
export const regionSchema = schemaFrom(regionProblems);
export const pipelineNameSchema = schemaFrom(pipelineNameProblems);
export const stageNameSchema = schemaFrom(stageNameProblems);
export const actionNameSchema = schemaFrom(actionNameProblems);
export const artifactNameSchema = schemaFrom(artifactNameProblems);
export const iamRoleNameSchema = schemaFrom(iamRoleNameProblems);
export const iamPolicyNameSchema = schemaFrom(iamPolicyNameProblems);
export const iamPathSchema = schemaFrom(iamPathProblems);
export const iamRoleArnSchema = schemaFrom(iamRoleArnProblems);
export const externalIdSchema = schemaFrom(externalIdProblems);
export const kmsAliasSchema = schemaFrom(kmsAliasProblems);
export const kmsKeyArnSchema = schemaFrom(kmsKeyArnProblems);
export const s3BucketNameSchema = schemaFrom(s3BucketNameProblems);
export const codeCommitRepositoryNameSchema = schemaFrom(codeCommitRepositoryNameProblems);
export const branchNameSchema = schemaFrom(branchNameProblems);
export const codeBuildProjectNameSchema = schemaFrom(codeBuildProjectNameProblems);
export const eventRuleNameSchema = schemaFrom(eventRuleNameProblems);
export const eventTargetIdSchema = schemaFrom(eventTargetIdProblems);
export const eventStatementIdSchema = schemaFrom(eventStatementIdProblems);

/** Every rule by kind, for generic callers (`validateName("s3Bucket", name)`). */
export const NAME_RULES = {
  accountId: accountIdProblems,
  region: regionProblems,
  pipeline: pipelineNameProblems,
  stage: stageNameProblems,
  action: actionNameProblems,
  artifact: artifactNameProblems,
  iamRole: iamRoleNameProblems,
  iamPolicy: iamPolicyNameProblems,
  iamPath: iamPathProblems,
  iamRoleArn: iamRoleArnProblems,
  externalId: externalIdProblems,
  kmsAlias: kmsAliasProblems,
  kmsKeyArn: kmsKeyArnProblems,
  s3Bucket: s3BucketNameProblems,
  codeCommitRepository: codeCommitRepositoryNameProblems,
  branch: branchNameProblems,
  codeBuildProject: codeBuildProjectNameProblems,
  eventRule: eventRuleNameProblems,
  eventTargetId: eventTargetIdProblems,
  eventStatementId: eventStatementIdProblems,
} as const satisfies Record<string, ProblemsFn>;

export type NameKind = keyof typeof NAME_RULES;

/** Problems with `value` as a `kind` name; empty when valid. */
export function validateName(kind: NameKind, value: string): string[] {
  return NAME_RULES[kind](value);
}

export const regionOptions = COMMERCIAL_REGIONS.map((r) => ({ value: r.id, label: `${r.name} · ${r.id}` }));
