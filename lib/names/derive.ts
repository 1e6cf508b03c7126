/**
 * Deterministic, rule-compliant names and ARNs for everything one onboarding creates.
 * Same input, same names: the provisioning steps find what they created by these names.
 */
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
  artifactStore: { bucketName: string; bucketArn: string; kmsAlias: string; kmsAliasArn: string; legacyBucketName: string };
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
  /** Sids of the statements the portal writes in the key policy and in this onboarding's bucket policy. */
  sids: {
    /** Key policy, shared by every onboarding of the tools account + region: one statement for all repo accounts. */
    keyRepoAccountsUse: string;
    /**
     * Key policy, before issue 17: ONE statement naming every existing project's service role, unconditioned. Kept
     * only to remove this onboarding's role from it (the statement below replaces it).
     */
    keyExistingBuildRolesUse: string;
    /** Key policy: this onboarding's existing project's service role, limited to this onboarding's bucket. */
    keyExistingBuildRoleUse: string;
    bucketSourceRoleObjects: string;
    bucketSourceRoleList: string;
    bucketExistingBuildRoleObjects: string;
    bucketDenyOtherPortalRoles: string;
    /** Bucket policy: every principal of the tools account but this onboarding's roles and the administrators is denied. */
    bucketDenyOtherToolsPrincipals: string;
  };
  /** The permissions boundary every role the portal creates carries (created by the provisioning template). */
  permissionsBoundaryArn: { tools: string; repo: string };
  /** Sids this onboarding wrote in the SHARED bucket and key policies before per-onboarding buckets (naming v1). */
  legacySids: { keyPipelineRoleUse: string; keyRepoRoleUse: string; bucketRepoObjects: string; bucketRepoList: string };
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

/**
 * Where a project's builds log. The portal's own projects log under `/aws/codebuild/portal/` (set in the project's
 * logsConfig), so the permissions boundary can allow writing those groups and no other project's; an existing
 * project keeps CodeBuild's default `/aws/codebuild/<project>`.
 */
export const PORTAL_BUILD_LOG_PREFIX = "/aws/codebuild/portal/";
export function buildLogGroupName(projectName: string, createdByPortal: boolean): string {
  return createdByPortal ? `${PORTAL_BUILD_LOG_PREFIX}${projectName}` : `/aws/codebuild/${projectName}`;
}

/** Default CodeBuild project name for a pipeline: `<pipeline>-build`. */
export function defaultCodeBuildProjectName(pipelineName: string): string {
  return fitName(pipelineName, "-build", 150, sanitizeProjectName);
}

export function kmsAliasFor(region: string): string {
  return `alias/codepipeline-artifacts-${region}`;
}

/** The shared artifact bucket of naming v1 (one per tools account + region), kept only to migrate away from it. */
export function legacyArtifactBucketNameFor(toolsAccountId: string, region: string): string {
  return `codepipeline-artifacts-${toolsAccountId}-${region}`;
}

/**
 * One artifact bucket per onboarding: `codepipeline-artifacts-<tools>-<region>-<8 hex>` (at most 59 characters).
 * The hash covers the pipeline name, unique per tools account and region, so the name is stable across applies.
 * Names are predictable, so every S3 call carries ExpectedBucketOwner.
 */
export function artifactBucketNameFor(toolsAccountId: string, region: string, pipelineName: string): string {
  return `codepipeline-artifacts-${toolsAccountId}-${region}-${shortHash(`${toolsAccountId}/${region}/${pipelineName}`)}`;
}

/** The managed policy every portal-created role carries as its permissions boundary. */
export const PERMISSIONS_BOUNDARY_NAME = "crossline-portal-boundary";

export function permissionsBoundaryArn(accountId: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:policy${POLICY_PATH}${PERMISSIONS_BOUNDARY_NAME}`;
}

/**
 * IAM role names are account-global while pipelines are regional: tools-side names carry the region, repo-side
 * names the tools account and the region, so the same pipeline name in two regions or two tools accounts never
 * shares a role. Too long → truncated head + hash, the suffix kept (the provisioning role matches on it).
 */
export function toolsRoleName(pipelineName: string, region: string, kind: string): string {
  return fitName(pipelineName, `-${region}-${kind}`, 64);
}

export function repoRoleName(pipelineName: string, toolsAccountId: string, region: string, kind: string): string {
  return fitName(pipelineName, `-${toolsAccountId}-${region}-${kind}`, 64);
}

/**
 * The repo-side push-forwarding rule. Rules are regional but the repo account may serve several tools accounts, and
 * each tools account may name its pipeline alike (`<repo>-<branch>`): the name carries the tools account, as the
 * repo-side role names do. Onboardings applied before it did keep a rule without it until their next apply creates
 * this one and `tools.retire-unused` deletes the old one (lib/provisioning/steps/retire-unused.ts).
 */
export function repoRuleNameFor(pipelineName: string, toolsAccountId: string): string {
  return fitName(pipelineName, `-${toolsAccountId}-forward-push`, 64, sanitizeRuleName);
}

/** Event bus statement of an Organization-wide grant (account setting): one statement, whatever the repo accounts. */
export const ORGANIZATION_STATEMENT_ID = "portal-allow-organization";

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

/**
 * What the names derive from: the fields of an onboarding's spec (lib/policies/types.ts OnboardingSpec, which
 * satisfies this). Declared here so names, which policies build on, import nothing from policies.
 */
export interface NamingInput {
  partition?: "aws";
  region: string;
  toolsAccountId: string;
  repoAccountId: string;
  repositoryName: string;
  branchName: string;
  pipelineName: string;
  build: { mode: "create" | "existing"; projectName: string };
  pinnedPipelineRoleName?: string;
  organizationId?: string;
}

export function deriveResourceNames<S extends NamingInput>(spec: S): ResourceNames {
  const partition = spec.partition ?? "aws";
  const { region, toolsAccountId: tools, repoAccountId: repo, pipelineName } = spec;
  const bucketName = artifactBucketNameFor(tools, region, pipelineName);
  const kmsAlias = kmsAliasFor(region);
  const projectName = spec.build.projectName;
  const toolsRole = (kind: string) => roleRef(tools, toolsRoleName(pipelineName, region, kind), partition);
  const repoRole = (kind: string) => roleRef(repo, repoRoleName(pipelineName, tools, region, kind), partition);
  const token = sidToken(pipelineName);
  const repoRuleName = repoRuleNameFor(pipelineName, tools);
  const logGroupName = buildLogGroupName(projectName, spec.build.mode === "create");
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
      legacyBucketName: legacyArtifactBucketNameFor(tools, region),
    },
    pipeline: { name: pipelineName, arn: `arn:${partition}:codepipeline:${region}:${tools}:${pipelineName}` },
    repository: {
      name: spec.repositoryName,
      arn: `arn:${partition}:codecommit:${region}:${repo}:${spec.repositoryName}`,
      branch: spec.branchName,
    },
    roles: {
      // A pipeline's service role cannot be changed once the pipeline exists: naming-v1 onboardings keep theirs.
      pipeline: spec.pinnedPipelineRoleName ? roleRef(tools, spec.pinnedPipelineRoleName, partition) : toolsRole("pipeline-role"),
      codeBuild: spec.build.mode === "create" ? toolsRole("codebuild-role") : null,
      crossAccount: repoRole("xacct-source"),
      forwardPush: repoRole("forward-push-role"),
      startOnPush: toolsRole("start-on-push-role"),
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
      logGroupName,
      logGroupArn: `arn:${partition}:logs:${region}:${tools}:log-group:${logGroupName}`,
      createdByPortal: spec.build.mode === "create",
    },
    events: {
      toolsBusArn: `arn:${partition}:events:${region}:${tools}:event-bus/default`,
      statementId: spec.organizationId ? ORGANIZATION_STATEMENT_ID : eventBusStatementIdFor(repo),
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
      keyRepoAccountsUse: "PortalRepoAccountsUse",
      keyExistingBuildRolesUse: "PortalExistingBuildRolesUse",
      keyExistingBuildRoleUse: `PortalExistingBuildRoleUse${token}`,
      bucketSourceRoleObjects: "PortalSourceRoleObjects",
      bucketSourceRoleList: "PortalSourceRoleList",
      bucketExistingBuildRoleObjects: "PortalExistingBuildRoleObjects",
      bucketDenyOtherPortalRoles: "PortalDenyOtherPortalRoles",
      bucketDenyOtherToolsPrincipals: "PortalDenyOtherToolsPrincipals",
    },
    permissionsBoundaryArn: { tools: permissionsBoundaryArn(tools, partition), repo: permissionsBoundaryArn(repo, partition) },
    legacySids: {
      keyPipelineRoleUse: `PortalPipelineRoleUse${token}`,
      keyRepoRoleUse: `PortalRepoAccount${repo}Use${token}`,
      bucketRepoObjects: `PortalRepoAccount${repo}Objects${token}`,
      bucketRepoList: `PortalRepoAccount${repo}List${token}`,
    },
  };
}
