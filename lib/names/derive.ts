/**
 * Deterministic, rule-compliant names and ARNs for everything one onboarding creates.
 * Same input, same names: the provisioning steps find what they created by these names.
 */
import type { OnboardingSpec } from "@/lib/policies/types";
import { shortHash } from "./hash";

/** Every IAM role the portal creates lives under this path, so the provisioning role can be scoped to it. */
export const ROLE_PATH = "/portal/";
/** Every customer-managed IAM policy the portal creates lives under this path. */
export const POLICY_PATH = "/portal/";

export interface RoleRef {
  name: string;
  path: string;
  arn: string;
}

export interface EventRuleRef {
  name: string;
  arn: string;
  /** Event bus the rule lives on (always the account's default bus). */
  eventBusName: "default";
  targetId: string;
}

export interface ResourceNames {
  partition: "aws";
  region: string;
  toolsAccountId: string;
  repoAccountId: string;
  artifactStore: { bucketName: string; bucketArn: string; kmsAlias: string; kmsAliasArn: string };
  pipeline: { name: string; arn: string };
  repository: { name: string; arn: string; branch: string };
  roles: {
    /** tools: CodePipeline service role */
    pipeline: RoleRef;
    /** tools: CodeBuild service role; null when an existing project is used */
    codeBuild: RoleRef | null;
    /** repo: role the Source action assumes */
    crossAccount: RoleRef;
    /** repo: role EventBridge uses to forward the push event to the tools bus */
    forwardPush: RoleRef;
    /** tools: role EventBridge uses to start the pipeline */
    startOnPush: RoleRef;
  };
  /** Inline policy name on each role. */
  policyNames: { pipeline: string; codeBuild: string; crossAccount: string; forwardPush: string; startOnPush: string };
  codeBuild: { projectName: string; projectArn: string; logGroupName: string; logGroupArn: string; createdByPortal: boolean };
  events: {
    toolsBusArn: string;
    /** Sid of the tools default bus statement allowing the repo account (PutPermission StatementId). */
    statementId: string;
    repoRule: EventRuleRef;
    toolsRule: EventRuleRef;
  };
  /** Sids of the statements this onboarding owns in the SHARED key and bucket policies. */
  sids: {
    keyPipelineRoleUse: string;
    keyRepoRoleUse: string;
    bucketRepoObjects: string;
    bucketRepoList: string;
  };
}

// ---------------------------------------------------------------- helpers

const HASH_LEN = 8;

/**
 * `base + suffix` when it fits `max` and `sanitize` left `base` unchanged; otherwise `base` sanitized,
 * truncated, then `-<8 hex hash of the original base+suffix>` and the suffix. The suffix is always kept
 * so names stay recognisable (and matchable by the provisioning role's resource patterns).
 */
export function fitName(base: string, suffix: string, max: number, sanitize: (s: string) => string = (s) => s): string {
  const clean = sanitize(base);
  if (clean === base && clean.length + suffix.length <= max) return clean + suffix;
  const room = Math.max(0, max - suffix.length - HASH_LEN - 1);
  const head = clean.slice(0, room).replace(/[-._@]+$/, "");
  const hash = shortHash(base + suffix);
  return head ? `${head}-${hash}${suffix}` : `${hash}${suffix}`;
}

/** EventBridge rule names allow `[.\-_A-Za-z0-9]`: pipeline names may also hold '@'. */
const sanitizeRuleName = (s: string) => s.replace(/[^.\-_A-Za-z0-9]/g, "-");
/** CodeBuild project names: `[A-Za-z0-9][A-Za-z0-9\-_]*`. */
const sanitizeProjectName = (s: string) => s.replace(/[^A-Za-z0-9\-_]/g, "-").replace(/^[^A-Za-z0-9]+/, "");

/**
 * Alphanumeric token for a pipeline name, used inside Sids (IAM-style Sids are alphanumeric).
 * Lower-case kebab names map injectively to PascalCase ("demo-service-main" → "DemoServiceMain");
 * anything else gets the 8-hex hash appended so two pipelines never share a Sid.
 */
export function sidToken(pipelineName: string): string {
  const pascal = pipelineName
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join("");
  return /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/.test(pipelineName) ? pascal : `${pascal}${shortHash(pipelineName)}`;
}

/**
 * A pipeline name for a repository and branch: `<repo>-<branch>`, each run of characters a pipeline name
 * cannot hold (e.g. '/' in `feature/x`) replaced by '-', truncated with a hash suffix beyond 100 characters.
 */
export function defaultPipelineName(repositoryName: string, branchName: string): string {
  const raw = `${repositoryName}-${branchName}`;
  const clean = raw.replace(/[^A-Za-z0-9.@\-_]+/g, "-");
  if (clean.length <= 100) return clean;
  return `${clean.slice(0, 100 - HASH_LEN - 1).replace(/[-._@]+$/, "")}-${shortHash(raw)}`;
}

/** Default CodeBuild project name for a pipeline: `<pipeline>-build`. */
export function defaultCodeBuildProjectName(pipelineName: string): string {
  return fitName(pipelineName, "-build", 150, sanitizeProjectName);
}

export function kmsAliasFor(region: string): string {
  return `alias/codepipeline-artifacts-${region}`;
}

export function artifactBucketNameFor(toolsAccountId: string, region: string): string {
  return `codepipeline-artifacts-${toolsAccountId}-${region}`;
}

export function eventBusStatementIdFor(repoAccountId: string): string {
  return `portal-allow-${repoAccountId}`;
}

export function roleArn(accountId: string, name: string, path: string = ROLE_PATH, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:role${path}${name}`;
}

function roleRef(accountId: string, name: string, partition: string): RoleRef {
  return { name, path: ROLE_PATH, arn: roleArn(accountId, name, ROLE_PATH, partition) };
}

// ---------------------------------------------------------------- derivation

export function deriveResourceNames(spec: OnboardingSpec): ResourceNames {
  const partition = spec.partition ?? "aws";
  const { region, toolsAccountId: tools, repoAccountId: repo, pipelineName } = spec;
  const bucketName = artifactBucketNameFor(tools, region);
  const kmsAlias = kmsAliasFor(region);
  const projectName = spec.build.projectName;
  const role = (suffix: string) => fitName(pipelineName, suffix, 64);
  const token = sidToken(pipelineName);
  const repoRuleName = fitName(pipelineName, "-forward-push", 64, sanitizeRuleName);
  const toolsRuleName = fitName(pipelineName, "-start-on-push", 64, sanitizeRuleName);

  return {
    partition,
    region,
    toolsAccountId: tools,
    repoAccountId: repo,
    artifactStore: {
      bucketName,
      bucketArn: `arn:${partition}:s3:::${bucketName}`,
      kmsAlias,
      kmsAliasArn: `arn:${partition}:kms:${region}:${tools}:${kmsAlias}`,
    },
    pipeline: { name: pipelineName, arn: `arn:${partition}:codepipeline:${region}:${tools}:${pipelineName}` },
    repository: {
      name: spec.repositoryName,
      arn: `arn:${partition}:codecommit:${region}:${repo}:${spec.repositoryName}`,
      branch: spec.branchName,
    },
    roles: {
      pipeline: roleRef(tools, role("-pipeline-role"), partition),
      codeBuild: spec.build.mode === "create" ? roleRef(tools, role("-codebuild-role"), partition) : null,
      crossAccount: roleRef(repo, role("-xacct-source"), partition),
      forwardPush: roleRef(repo, role("-forward-push-role"), partition),
      startOnPush: roleRef(tools, role("-start-on-push-role"), partition),
    },
    policyNames: {
      pipeline: "portal-pipeline-access",
      codeBuild: "portal-codebuild-access",
      crossAccount: "portal-source-access",
      forwardPush: "portal-forward-push",
      startOnPush: "portal-start-pipeline",
    },
    codeBuild: {
      projectName,
      projectArn: `arn:${partition}:codebuild:${region}:${tools}:project/${projectName}`,
      logGroupName: `/aws/codebuild/${projectName}`,
      logGroupArn: `arn:${partition}:logs:${region}:${tools}:log-group:/aws/codebuild/${projectName}`,
      createdByPortal: spec.build.mode === "create",
    },
    events: {
      toolsBusArn: `arn:${partition}:events:${region}:${tools}:event-bus/default`,
      statementId: eventBusStatementIdFor(repo),
      repoRule: {
        name: repoRuleName,
        arn: `arn:${partition}:events:${region}:${repo}:rule/${repoRuleName}`,
        eventBusName: "default",
        targetId: "tools-default-bus",
      },
      toolsRule: {
        name: toolsRuleName,
        arn: `arn:${partition}:events:${region}:${tools}:rule/${toolsRuleName}`,
        eventBusName: "default",
        targetId: "codepipeline",
      },
    },
    sids: {
      keyPipelineRoleUse: `PortalPipelineRoleUse${token}`,
      keyRepoRoleUse: `PortalRepoAccount${repo}Use${token}`,
      bucketRepoObjects: `PortalRepoAccount${repo}Objects${token}`,
      bucketRepoList: `PortalRepoAccount${repo}List${token}`,
    },
  };
}
