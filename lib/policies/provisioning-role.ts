/**
 * The provisioning role each registered account holds for the portal, and the CloudFormation template that
 * creates it (after the permissions boundary, see permissions-boundary.ts). The portal's own identity assumes it
 * with the account's ExternalId and SourceIdentity = the signed-in user.
 *
 * The permission policy grants exactly the calls the portal makes (lib/), on the resource types AWS's Service
 * Authorization Reference lists for each action (an action with no resource type is on "*"):
 * - roles: created and changed only under /portal/ and only with the boundary (iam:PermissionsBoundary); the
 *   boundary can be neither removed from a role nor edited;
 * - KMS keys, pipelines, CodeBuild projects, EventBridge rules: created only with the request tag
 *   portal:managed-by = crossline-portal, changed only when the resource carries it (keys: only through the key
 *   policy statement written at CreateKey; rules: only under the portal's rule names; approvals and stage retries:
 *   only on the portal's pipelines, whose tags their stage and action ARNs carry); reads are unconditioned so a
 *   missing resource still reads as missing;
 * - nothing carrying portal:managed-by with another value (an administrator's "none") is ever tagged;
 * - artifact buckets: only codepipeline-artifacts-<account>-*, only in this account (aws:ResourceAccount); never
 *   Block Public Access (on by default for new buckets, so S3 refuses a public bucket policy);
 * - notification topics (crossline-*) and rules: created only tagged, changed only when tagged, deleted only when
 *   they carry the onboarding tag.
 */
import { ROLE_PATH } from "@/lib/names/derive";
import { policy } from "./common";
import { MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE } from "./managed-by-tag";
import { boundaryPolicyArn, permissionsBoundaryPolicy, BOUNDARY_POLICY_NAME, BOUNDARY_POLICY_PATH } from "./permissions-boundary";
import { PORTAL_TAG_KEY, type PolicyDocument, type Statement } from "./types";

export type ProvisioningPurpose = "tools" | "repo" | "both";

export interface ProvisioningPolicyOptions {
  accountId: string;
  purpose: ProvisioningPurpose;
  partition?: "aws";
}

const PURPOSE_LABEL: Record<ProvisioningPurpose, string> = {
  tools: "tools account",
  repo: "repository account",
  both: "tools and repository account",
};

export const DEFAULT_PROVISIONING_ROLE_NAME = "crossline-portal-provisioning";
export const PROVISIONING_POLICY_NAME = "portal-provisioning";

// ------------------------------------------------------------------ trust

/**
 * Who may assume the provisioning role: the portal's account root, narrowed with aws:PrincipalArn to the
 * portal's identity. Naming the account root keeps the trust valid when that identity is recreated, and lets
 * an assumed role be matched without knowing its IAM path.
 */
export interface TrustPrincipal {
  accountId: string;
  /** ArnLike patterns for aws:PrincipalArn. */
  principalArnPatterns: string[];
}

/**
 * The trust principal for the portal's identity, from PORTAL_PRINCIPAL_ARN or GetCallerIdentity's Arn.
 * GetCallerIdentity answers `arn:aws:sts::A:assumed-role/NAME/session` without the role's path (SSO roles live
 * under aws-reserved/sso.amazonaws.com/<region>/), while aws:PrincipalArn carries it: so a role known only by
 * its name matches `role/NAME` or `role/<any path>/NAME`. Users and roles given by their IAM ARN match exactly.
 * Null for anything that cannot assume a role (the account root, a malformed ARN).
 */
export function trustPrincipalFor(identityArn: string): TrustPrincipal | null {
  const assumed = /^arn:aws:sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/[\w+=,.@-]+$/.exec(identityArn);
  if (assumed) {
    const [, account, name] = assumed;
    return { accountId: account, principalArnPatterns: [`arn:aws:iam::${account}:role/${name}`, `arn:aws:iam::${account}:role/*/${name}`] };
  }
  const iam = /^arn:aws:iam::(\d{12}):(user|role)\/(?:[\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/.exec(identityArn);
  if (iam) return { accountId: iam[1], principalArnPatterns: [identityArn] };
  const federated = /^arn:aws:sts::(\d{12}):federated-user\/[\w+=,.@-]{2,32}$/.exec(identityArn);
  if (federated) return { accountId: federated[1], principalArnPatterns: [identityArn] };
  return null;
}

const trustStatements = (principal: unknown, patterns: unknown, externalId: unknown): Statement[] =>
  [
    {
      Sid: "PortalAssumeWithExternalId",
      Effect: "Allow",
      Principal: { AWS: principal },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": externalId }, ArnLike: { "aws:PrincipalArn": patterns } },
    },
    // AssumeRole with SourceIdentity is also authorized as sts:SetSourceIdentity, for which the reference lists
    // no sts:ExternalId: its own statement allows it whichever way IAM reads that key. It grants nothing alone.
    {
      Sid: "PortalSetsSourceIdentity",
      Effect: "Allow",
      Principal: { AWS: principal },
      Action: "sts:SetSourceIdentity",
      Condition: { ArnLike: { "aws:PrincipalArn": patterns } },
    },
  ] as unknown as Statement[];

export function provisioningTrustPolicy(opts: { principal: TrustPrincipal; externalId: string }): PolicyDocument {
  const patterns = opts.principal.principalArnPatterns.length === 1 ? opts.principal.principalArnPatterns[0] : opts.principal.principalArnPatterns;
  return policy(...trustStatements(`arn:aws:iam::${opts.principal.accountId}:root`, patterns, opts.externalId));
}

// ------------------------------------------------------------------ permissions

const MANAGED = { [`aws:ResourceTag/${MANAGED_BY_TAG_KEY}`]: MANAGED_BY_TAG_VALUE };
const REQUESTED = { [`aws:RequestTag/${MANAGED_BY_TAG_KEY}`]: MANAGED_BY_TAG_VALUE };

/** Condition of a creation (or its tagging action): tagged as the portal's, only portal tag keys, and never re-tagging a resource someone else marked. */
const CREATE_TAGGED = {
  StringEquals: REQUESTED,
  "ForAllValues:StringLike": { "aws:TagKeys": "portal:*" },
  StringEqualsIfExists: MANAGED,
};

/**
 * Role changes that could widen what a role may do: only with the boundary (the reference lists
 * iam:PermissionsBoundary for each). Removing a role's policies or the role itself only narrows it, so the
 * portal may retire a role it created before the boundary existed (see RetirePortalRoles).
 */
export const BOUNDED_ROLE_ACTIONS = [
  "iam:CreateRole",
  "iam:PutRolePolicy",
  "iam:AttachRolePolicy",
  "iam:UpdateAssumeRolePolicy",
  "iam:PutRolePermissionsBoundary",
];

/** Resources the portal created carry its onboarding tag (also those created before portal:managed-by existed). */
const PORTAL_CREATED = { Null: { [`aws:ResourceTag/${PORTAL_TAG_KEY}`]: "false" } };

function iamStatements(a: string, p: string, passRoles: { sid: string; suffix: string; service: string }[]): Statement[] {
  const roles = `arn:${p}:iam::${a}:role${ROLE_PATH}*`;
  const boundary = boundaryPolicyArn(a, p);
  return [
    // Reads on any role name: IAM checks GetRole on a missing role against role/NAME (no path), so without
    // this a "does it exist yet?" read answers AccessDenied instead of NoSuchEntity.
    { Sid: "ReadRoles", Effect: "Allow", Action: ["iam:GetRole", "iam:GetRolePolicy"], Resource: `arn:${p}:iam::${a}:role/*` },
    {
      Sid: "PortalRolesWithBoundary",
      Effect: "Allow",
      // PutRolePermissionsBoundary puts the boundary on a portal role created before it existed.
      Action: ["iam:CreateRole", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary"],
      Resource: roles,
      Condition: { StringEquals: { "iam:PermissionsBoundary": boundary } },
    },
    { Sid: "ListRolePolicies", Effect: "Allow", Action: ["iam:ListRolePolicies", "iam:ListAttachedRolePolicies"], Resource: roles },
    {
      Sid: "RetirePortalRoles",
      Effect: "Allow",
      Action: ["iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRole"],
      Resource: roles,
      Condition: PORTAL_CREATED,
    },
    {
      Sid: "TagPortalRoles",
      Effect: "Allow",
      Action: "iam:TagRole",
      Resource: roles,
      Condition: CREATE_TAGGED,
    },
    ...passRoles.map(
      (r): Statement => ({
        Sid: r.sid,
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: `arn:${p}:iam::${a}:role${ROLE_PATH}*${r.suffix}`,
        Condition: { StringEquals: { "iam:PassedToService": r.service } },
      }),
    ),
    // Denies hold whatever else the account attaches to this role.
    {
      Sid: "DenyRoleChangesWithoutBoundary",
      Effect: "Deny",
      Action: [...BOUNDED_ROLE_ACTIONS],
      Resource: "*",
      Condition: { StringNotEquals: { "iam:PermissionsBoundary": boundary } },
    },
    { Sid: "DenyBoundaryRemoval", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" },
    {
      Sid: "DenyBoundaryChanges",
      Effect: "Deny",
      Action: ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"],
      Resource: boundary,
    },
  ];
}

function toolsStatements(a: string, p: string): Statement[] {
  const keys = `arn:${p}:kms:*:${a}:key/*`;
  const pipelines = `arn:${p}:codepipeline:*:${a}:*`;
  const projects = `arn:${p}:codebuild:*:${a}:project/*`;
  return [
    {
      Sid: "CreateArtifactKey",
      Effect: "Allow",
      Action: "kms:CreateKey",
      Resource: "*",
      Condition: { StringEquals: { "kms:KeySpec": "SYMMETRIC_DEFAULT", ...REQUESTED }, "ForAllValues:StringLike": { "aws:TagKeys": "portal:*" } },
    },
    // KMS: tags given to CreateKey need kms:TagResource on every key of the account and region.
    { Sid: "TagArtifactKeys", Effect: "Allow", Action: "kms:TagResource", Resource: keys, Condition: CREATE_TAGGED },
    // ListKeys finds a key created just before a crash, before its alias existed.
    { Sid: "ListKeys", Effect: "Allow", Action: "kms:ListKeys", Resource: "*" },
    {
      Sid: "ReadKeys",
      Effect: "Allow",
      Action: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
      Resource: keys,
    },
    // A key policy written by this role never skips KMS's lockout safety check (it would let a policy lock the account out).
    {
      Sid: "DenyKeyLockoutBypass",
      Effect: "Deny",
      Action: ["kms:CreateKey", "kms:PutKeyPolicy"],
      Resource: "*",
      Condition: { Bool: { "kms:BypassPolicyLockoutSafetyCheck": "true" } },
    },
    // No IAM grant changes a key (PutKeyPolicy, ScheduleKeyDeletion, ...): the portal administers its keys through
    // the key policy statement written at CreateKey (provisioningRoleKeyAdministration), so tagging a foreign key
    // portal:managed-by (which kms:TagResource above cannot tell from tagging a new key) gains nothing.
    { Sid: "ArtifactKeyAliases", Effect: "Allow", Action: ["kms:CreateAlias", "kms:DeleteAlias"], Resource: `arn:${p}:kms:*:${a}:alias/codepipeline-artifacts-*` },
    {
      Sid: "ArtifactBuckets",
      Effect: "Allow",
      Action: [
        "s3:CreateBucket",
        "s3:ListBucket",
        "s3:GetBucketLocation",
        "s3:GetBucketOwnershipControls",
        "s3:PutBucketOwnershipControls",
        "s3:GetBucketPublicAccessBlock",
        "s3:GetEncryptionConfiguration",
        "s3:PutEncryptionConfiguration",
        "s3:GetBucketVersioning",
        "s3:PutBucketVersioning",
        "s3:GetBucketPolicy",
        "s3:PutBucketPolicy",
        "s3:GetBucketTagging",
        "s3:PutBucketTagging",
      ],
      Resource: `arn:${p}:s3:::codepipeline-artifacts-${a}-*`,
      Condition: { StringEquals: { "aws:ResourceAccount": a } },
    },
    // Offboarding with "delete the artifact bucket": every object version and delete marker, then the bucket.
    {
      Sid: "DeleteArtifactBuckets",
      Effect: "Allow",
      Action: ["s3:ListBucketVersions", "s3:DeleteBucket"],
      Resource: `arn:${p}:s3:::codepipeline-artifacts-${a}-*`,
      Condition: { StringEquals: { "aws:ResourceAccount": a } },
    },
    {
      Sid: "DeleteArtifactObjects",
      Effect: "Allow",
      Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
      Resource: `arn:${p}:s3:::codepipeline-artifacts-${a}-*/*`,
      Condition: { StringEquals: { "aws:ResourceAccount": a } },
    },
    {
      Sid: "ReadPipelines",
      Effect: "Allow",
      Action: [
        "codepipeline:GetPipeline",
        "codepipeline:ListTagsForResource",
        "codepipeline:GetPipelineState",
        "codepipeline:GetPipelineExecution",
        "codepipeline:ListPipelineExecutions",
        "codepipeline:ListActionExecutions",
      ],
      Resource: pipelines,
    },
    { Sid: "CreatePipelines", Effect: "Allow", Action: ["codepipeline:CreatePipeline", "codepipeline:TagResource"], Resource: pipelines, Condition: CREATE_TAGGED },
    {
      Sid: "OperatePortalPipelines",
      Effect: "Allow",
      Action: ["codepipeline:UpdatePipeline", "codepipeline:StartPipelineExecution", "codepipeline:StopPipelineExecution"],
      Resource: pipelines,
      Condition: { StringEquals: MANAGED },
    },
    {
      // Only the portal's pipelines' runs: the Service Authorization Reference lists aws:ResourceTag for the stage
      // (RetryStageExecution) and action (PutApprovalResult) resource types, which carry their pipeline's tags.
      Sid: "AnswerPortalPipelineRuns",
      Effect: "Allow",
      Action: ["codepipeline:RetryStageExecution", "codepipeline:PutApprovalResult"],
      Resource: `arn:${p}:codepipeline:*:${a}:*/*`,
      Condition: { StringEquals: MANAGED },
    },
    { Sid: "ReadBuildProjects", Effect: "Allow", Action: ["codebuild:BatchGetProjects", "codebuild:BatchGetBuilds"], Resource: projects },
    // No resource types: AWS authorizes these against "*" only.
    { Sid: "ListOnStar", Effect: "Allow", Action: ["codebuild:ListProjects", "codestar-notifications:ListNotificationRules"], Resource: "*" },
    { Sid: "CreateBuildProjects", Effect: "Allow", Action: "codebuild:CreateProject", Resource: projects, Condition: CREATE_TAGGED },
    { Sid: "UpdatePortalBuildProjects", Effect: "Allow", Action: "codebuild:UpdateProject", Resource: projects, Condition: { StringEquals: MANAGED } },
    { Sid: "RetirePortalBuildProjects", Effect: "Allow", Action: "codebuild:DeleteProject", Resource: projects, Condition: PORTAL_CREATED },
    { Sid: "DeletePortalPipelines", Effect: "Allow", Action: "codepipeline:DeletePipeline", Resource: pipelines, Condition: PORTAL_CREATED },
    // A failed build's log tail (explanations of failed runs): CodeBuild's default log groups only.
    { Sid: "ReadBuildLogs", Effect: "Allow", Action: "logs:GetLogEvents", Resource: `arn:${p}:logs:*:${a}:log-group:/aws/codebuild/*:log-stream:*` },
    { Sid: "ReadDefaultEventBus", Effect: "Allow", Action: "events:DescribeEventBus", Resource: `arn:${p}:events:*:${a}:event-bus/default` },
    // PutPermission has no resource type: AWS authorizes it against "*" only.
    { Sid: "EventBusPermission", Effect: "Allow", Action: ["events:PutPermission", "events:RemovePermission"], Resource: "*" },
  ];
}

/** What the provisioning role does to a portal key after CreateKey: granted only by the key policy statement below (no IAM grant changes a key). */
export const PORTAL_KEY_ADMIN_ACTIONS = ["kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:EnableKey", "kms:CancelKeyDeletion", "kms:ScheduleKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:TagResource"];

/**
 * The statement a portal key's policy carries from CreateKey on, naming the provisioning role: KMS applies a
 * tag change to authorization only after up to 5 minutes, so the IAM grant conditioned on
 * aws:ResourceTag/portal:managed-by may not yet cover a key created seconds ago. Allowed by the key policy
 * itself, the first apply does not wait for it. (A role ARN in a key policy must exist: this one does, the
 * portal acts through it.)
 */
export function provisioningRoleKeyAdministration(provisioningRoleArn: string): Statement {
  return { Sid: "PortalProvisioningRoleAdministers", Effect: "Allow", Principal: { AWS: provisioningRoleArn }, Action: [...PORTAL_KEY_ADMIN_ACTIONS], Resource: "*" };
}

/** Name suffixes of the portal's rules (lib/names/derive.ts keeps them through fitName). */
export const PORTAL_RULE_SUFFIXES = ["-start-on-push", "-forward-push"];

/**
 * Rules: read any; create, change and delete only the portal's names. PutRule creates or replaces, and IAM cannot
 * tell a tag-on-create from tagging an existing untagged rule (both lack aws:ResourceTag), so the name bounds
 * what the portal's tags could claim: a team's own rule with any other name is out of reach.
 */
function ruleStatements(a: string, p: string): Statement[] {
  const rules = `arn:${p}:events:*:${a}:rule/*`;
  const portalRules = PORTAL_RULE_SUFFIXES.map((suffix) => `arn:${p}:events:*:${a}:rule/*${suffix}`);
  return [
    { Sid: "ReadRules", Effect: "Allow", Action: ["events:DescribeRule", "events:ListTargetsByRule", "events:ListTagsForResource"], Resource: rules },
    { Sid: "CreateRules", Effect: "Allow", Action: ["events:PutRule", "events:TagResource"], Resource: portalRules, Condition: CREATE_TAGGED },
    { Sid: "ChangePortalRules", Effect: "Allow", Action: ["events:PutRule", "events:PutTargets"], Resource: portalRules, Condition: { StringEquals: MANAGED } },
    { Sid: "DeletePortalRules", Effect: "Allow", Action: ["events:RemoveTargets", "events:DeleteRule"], Resource: portalRules, Condition: PORTAL_CREATED },
  ];
}

/** Notifications (tools): the portal's topics are named crossline-*; rules get ids from AWS, so they are scoped by tag. */
function notificationStatements(a: string, p: string): Statement[] {
  const topics = `arn:${p}:sns:*:${a}:crossline-*`;
  const rules = `arn:${p}:codestar-notifications:*:${a}:notificationrule/*`;
  return [
    { Sid: "ReadTopics", Effect: "Allow", Action: ["sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource"], Resource: topics },
    { Sid: "NewTopics", Effect: "Allow", Action: ["sns:CreateTopic", "sns:TagResource"], Resource: topics, Condition: CREATE_TAGGED },
    { Sid: "EditTopics", Effect: "Allow", Action: ["sns:SetTopicAttributes", "sns:Subscribe", "sns:Unsubscribe"], Resource: topics, Condition: { StringEquals: MANAGED } },
    { Sid: "DropTopics", Effect: "Allow", Action: "sns:DeleteTopic", Resource: topics, Condition: PORTAL_CREATED },
    { Sid: "ReadNotifyRules", Effect: "Allow", Action: "codestar-notifications:DescribeNotificationRule", Resource: rules },
    { Sid: "NewNotifyRules", Effect: "Allow", Action: ["codestar-notifications:CreateNotificationRule", "codestar-notifications:TagResource"], Resource: rules, Condition: CREATE_TAGGED },
    { Sid: "EditNotifyRules", Effect: "Allow", Action: "codestar-notifications:UpdateNotificationRule", Resource: rules, Condition: { StringEquals: MANAGED } },
    { Sid: "DropNotifyRules", Effect: "Allow", Action: "codestar-notifications:DeleteNotificationRule", Resource: rules, Condition: PORTAL_CREATED },
  ];
}

/** Every action by which the provisioning role writes tags on an existing resource (its creations' tags included). */
export function taggingActions(purpose: ProvisioningPurpose): string[] {
  const tools = ["kms:TagResource", "codepipeline:TagResource", "sns:TagResource", "codestar-notifications:TagResource", "s3:PutBucketTagging"];
  return ["iam:TagRole", "events:TagResource", ...(purpose === "repo" ? [] : tools)];
}

/**
 * An administrator's opt-out: a resource carrying portal:managed-by with any other value (e.g. "none") is never
 * tagged by this role, whatever else the account attaches to it (or a key policy grants). Null keeps creation (no
 * resource tags yet) and untagged resources out of the Deny: StringNotEquals alone matches an absent key.
 */
function markedOutStatement(purpose: ProvisioningPurpose): Statement {
  const key = `aws:ResourceTag/${MANAGED_BY_TAG_KEY}`;
  return {
    Sid: "DenyTaggingMarkedOut",
    Effect: "Deny",
    Action: taggingActions(purpose),
    Resource: "*",
    Condition: { Null: { [key]: "false" }, StringNotEquals: { [key]: MANAGED_BY_TAG_VALUE } },
  };
}

function repoStatements(a: string, p: string): Statement[] {
  return [
    {
      Sid: "ReadRepositories",
      Effect: "Allow",
      Action: ["codecommit:GetRepository", "codecommit:GetBranch", "codecommit:ListBranches", "codecommit:GetCommit"],
      Resource: `arn:${p}:codecommit:*:${a}:*`,
    },
    { Sid: "ListRepositories", Effect: "Allow", Action: "codecommit:ListRepositories", Resource: "*" },
  ];
}

/**
 * The provisioning role's grants as they are deployed. IAM allows 10,240 characters of inline policy per role in
 * all, so the tools account's grants on the artifact store, pipelines, builds and logs live in a customer-managed
 * policy (6,144 characters) attached to the role; the rest is the role's inline policy.
 */
export function provisioningPolicyParts(opts: ProvisioningPolicyOptions): { inline: PolicyDocument; managed: PolicyDocument | null } {
  const all = provisioningPermissionPolicy(opts);
  const toolsSids = new Set(opts.purpose === "repo" ? [] : toolsStatements(opts.accountId, opts.partition ?? "aws").map((s) => s.Sid));
  const inline = all.Statement.filter((s) => !toolsSids.has(s.Sid));
  const managed = all.Statement.filter((s) => toolsSids.has(s.Sid));
  return { inline: policy(...inline), managed: managed.length ? policy(...managed) : null };
}

/** Name of the customer-managed policy holding the tools grants (path /portal/, like the boundary). */
export const toolsPolicyNameFor = (roleName: string) => `${roleName}-tools`;
export const toolsPolicyArnFor = (accountId: string, roleName: string, partition = "aws") => `arn:${partition}:iam::${accountId}:policy${BOUNDARY_POLICY_PATH}${toolsPolicyNameFor(roleName)}`;

/** Every grant of the provisioning role (inline and managed together): what the portal's calls need. */
export function provisioningPermissionPolicy(opts: ProvisioningPolicyOptions): PolicyDocument {
  const a = opts.accountId;
  const p = opts.partition ?? "aws";
  const tools = opts.purpose !== "repo";
  const repo = opts.purpose !== "tools";
  const passRoles = [
    ...(tools
      ? [
          { sid: "PassPipelineRoles", suffix: "-pipeline-role", service: "codepipeline.amazonaws.com" },
          { sid: "PassCodeBuildRoles", suffix: "-codebuild-role", service: "codebuild.amazonaws.com" },
          { sid: "PassStartOnPushRoles", suffix: "-start-on-push-role", service: "events.amazonaws.com" },
        ]
      : []),
    ...(repo ? [{ sid: "PassForwardPushRoles", suffix: "-forward-push-role", service: "events.amazonaws.com" }] : []),
  ];
  return policy(
    { Sid: "WhoAmI", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" },
    ...iamStatements(a, p, passRoles),
    ...(tools ? toolsStatements(a, p) : []),
    ...(tools ? notificationStatements(a, p) : []),
    ...(repo ? repoStatements(a, p) : []),
    ...ruleStatements(a, p),
    markedOutStatement(opts.purpose),
  );
}

// ------------------------------------------------------------------ template

export interface ProvisioningTemplateOptions extends ProvisioningPolicyOptions {
  /** Defaults for the trust parameters (the portal's identity), when known. */
  principal?: TrustPrincipal;
  /** Default for the ExternalId parameter: only in the template an admin downloads. */
  externalId?: string;
  roleName?: string;
}

const withDefault = (param: Record<string, unknown>, value: unknown) => (value === undefined ? param : { ...param, Default: value });

/**
 * A CloudFormation template (JSON object) creating, in the registered account, the permissions boundary and
 * then the provisioning role (whose policy names the boundary).
 */
export function provisioningCloudFormationTemplate(opts: ProvisioningTemplateOptions) {
  const parts = provisioningPolicyParts(opts);
  const trust = trustStatements(
    { "Fn::Sub": "arn:aws:iam::${PortalAccountId}:root" },
    { Ref: "PortalPrincipalArns" },
    { Ref: "ExternalId" },
  );
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `Permissions boundary and provisioning role for the crossline portal (${PURPOSE_LABEL[opts.purpose]})`,
    Parameters: {
      PortalAccountId: withDefault(
        { Type: "String", Description: "AWS account the portal's own identity belongs to", AllowedPattern: "^\\d{12}$" },
        opts.principal?.accountId,
      ),
      PortalPrincipalArns: withDefault(
        {
          Type: "CommaDelimitedList",
          Description: "aws:PrincipalArn patterns of the portal's identity (an IAM user or role ARN; role/*/NAME matches a role under any path)",
        },
        opts.principal?.principalArnPatterns.join(","),
      ),
      ExternalId: withDefault(
        {
          Type: "String",
          Description: "External id the portal presents when assuming this role",
          MinLength: 2,
          MaxLength: 1224,
          AllowedPattern: "^[\\w+=,.@:/-]+$",
          NoEcho: true,
        },
        opts.externalId,
      ),
      RoleName: { Type: "String", Description: "Name of the provisioning role", Default: opts.roleName ?? DEFAULT_PROVISIONING_ROLE_NAME },
    },
    Resources: {
      PermissionsBoundary: {
        Type: "AWS::IAM::ManagedPolicy",
        Properties: {
          ManagedPolicyName: BOUNDARY_POLICY_NAME,
          Path: BOUNDARY_POLICY_PATH,
          Description: "Caps every role the crossline portal creates",
          PolicyDocument: permissionsBoundaryPolicy(opts),
        },
      },
      ...(parts.managed
        ? {
            ToolsPermissions: {
              Type: "AWS::IAM::ManagedPolicy",
              Properties: {
                ManagedPolicyName: { "Fn::Sub": "${RoleName}-tools" },
                Path: BOUNDARY_POLICY_PATH,
                Description: "The crossline portal's grants in a tools account (artifact store, pipelines, builds, logs)",
                PolicyDocument: parts.managed,
              },
            },
          }
        : {}),
      ProvisioningRole: {
        Type: "AWS::IAM::Role",
        // The role's policy names the boundary's ARN: the boundary exists first.
        DependsOn: "PermissionsBoundary",
        Properties: {
          RoleName: { Ref: "RoleName" },
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: trust },
          Policies: [{ PolicyName: PROVISIONING_POLICY_NAME, PolicyDocument: parts.inline }],
          ...(parts.managed ? { ManagedPolicyArns: [{ Ref: "ToolsPermissions" }] } : {}),
          Tags: [{ Key: "portal:purpose", Value: opts.purpose }],
        },
      },
    },
    Outputs: {
      RoleArn: { Description: "Register this ARN in the portal", Value: { "Fn::GetAtt": ["ProvisioningRole", "Arn"] } },
      BoundaryArn: { Description: "Permissions boundary of every role the portal creates", Value: { Ref: "PermissionsBoundary" } },
    },
  };
}
