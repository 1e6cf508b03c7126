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
import { RESOURCE_KINDS } from "./index";
import { grantsOf, type Grant, type GrantSection } from "@/lib/resources/types";
import { policy } from "@/lib/policies/common";
import { MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE } from "@/lib/policies/managed-by-tag";
import {
  boundaryPolicyArn,
  permissionsBoundaryPolicy,
  BOUNDARY_POLICY_NAME,
  BOUNDARY_POLICY_PATH,
} from "@/lib/policies/permissions-boundary";
import type { PolicyDocument, Statement } from "@/lib/policies/types";
import { DEFAULT_PROVISIONING_ROLE_NAME, PROVISIONING_POLICY_NAME } from "@/lib/policies/provisioning-role-names";

import type { TrustPrincipal } from "@/lib/policies/trust-principal";
export { trustPrincipalFor, type TrustPrincipal } from "@/lib/policies/trust-principal";
export {
  DEFAULT_PROVISIONING_ROLE_NAME,
  PROVISIONING_POLICY_NAME,
  PORTAL_KEY_ADMIN_ACTIONS,
  provisioningRoleKeyAdministration,
} from "@/lib/policies/provisioning-role-names";

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

// ------------------------------------------------------------------ trust

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
  const patterns =
    opts.principal.principalArnPatterns.length === 1 ? opts.principal.principalArnPatterns[0] : opts.principal.principalArnPatterns;
  return policy(...trustStatements(`arn:aws:iam::${opts.principal.accountId}:root`, patterns, opts.externalId));
}

// ------------------------------------------------------------------ permissions

/**
 * Role changes that could widen what a role may do: only with the boundary (the reference lists
 * iam:PermissionsBoundary for each). Removing a role's policies or the role itself only narrows it, so the
 * portal may retire a role it created before the boundary existed (see RetirePortalRoles, lib/resources/iam-role.ts).
 */
export const BOUNDED_ROLE_ACTIONS = [
  "iam:CreateRole",
  "iam:PutRolePolicy",
  "iam:AttachRolePolicy",
  "iam:UpdateAssumeRolePolicy",
  "iam:PutRolePermissionsBoundary",
];

/**
 * Grants no resource kind owns: who the portal is, the boundary's guards, a failed build's log tail (explanations)
 * and the repositories an onboarding names. Every other grant is declared by its kind (lib/resources/<kind>.ts).
 */
const PORTAL_GRANTS: Grant[] = [
  {
    section: "iam",
    accounts: "both",
    statement: () => ({ Sid: "WhoAmI", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" }),
  },
  // Denies hold whatever else the account attaches to this role.
  {
    section: "iam",
    accounts: "both",
    statement: (a, p) => ({
      Sid: "DenyRoleChangesWithoutBoundary",
      Effect: "Deny",
      Action: [...BOUNDED_ROLE_ACTIONS],
      Resource: "*",
      Condition: { StringNotEquals: { "iam:PermissionsBoundary": boundaryPolicyArn(a, p) } },
    }),
  },
  {
    section: "iam",
    accounts: "both",
    statement: () => ({ Sid: "DenyBoundaryRemoval", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" }),
  },
  {
    section: "iam",
    accounts: "both",
    statement: (a, p) => ({
      Sid: "DenyBoundaryChanges",
      Effect: "Deny",
      Action: [
        "iam:CreatePolicyVersion",
        "iam:DeletePolicy",
        "iam:DeletePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:TagPolicy",
        "iam:UntagPolicy",
      ],
      Resource: boundaryPolicyArn(a, p),
    }),
  },
  // A failed build's log tail (explanations of failed runs): CodeBuild's default log groups only.
  {
    section: "tools-managed",
    accounts: "tools",
    statement: (a, p) => ({
      Sid: "ReadBuildLogs",
      Effect: "Allow",
      Action: "logs:GetLogEvents",
      Resource: `arn:${p}:logs:*:${a}:log-group:/aws/codebuild/*:log-stream:*`,
    }),
  },
  {
    section: "repo",
    accounts: "repo",
    statement: (a, p) => ({
      Sid: "ReadRepositories",
      Effect: "Allow",
      Action: ["codecommit:GetRepository", "codecommit:GetBranch", "codecommit:ListBranches", "codecommit:GetCommit"],
      Resource: `arn:${p}:codecommit:*:${a}:*`,
    }),
  },
  {
    section: "repo",
    accounts: "repo",
    statement: () => ({ Sid: "ListRepositories", Effect: "Allow", Action: "codecommit:ListRepositories", Resource: "*" }),
  },
];

const SECTIONS: GrantSection[] = ["iam", "tools-managed", "tools-inline", "repo", "rules"];

/**
 * The order of the statements as deployed (and as the fixtures lib/policies/__fixtures__ hold them, byte for byte).
 * A new kind's statements follow these within their section, in registry order.
 */
const DEPLOYED_ORDER = [
  "WhoAmI",
  "ReadRoles",
  "PortalRolesWithBoundary",
  "ListRolePolicies",
  "RetirePortalRoles",
  "TagPortalRoles",
  "PassPipelineRoles",
  "PassCodeBuildRoles",
  "PassStartOnPushRoles",
  "PassForwardPushRoles",
  "DenyRoleChangesWithoutBoundary",
  "DenyBoundaryRemoval",
  "DenyBoundaryChanges",
  "CreateArtifactKey",
  "TagArtifactKeys",
  "ListKeys",
  "ReadKeys",
  "DenyKeyLockoutBypass",
  "ArtifactKeyAliases",
  "ArtifactBuckets",
  "DeleteArtifactBuckets",
  "DeleteArtifactObjects",
  "ReadPipelines",
  "CreatePipelines",
  "OperatePortalPipelines",
  "AnswerPortalPipelineRuns",
  "ReadBuildProjects",
  "ListOnStar",
  "CreateBuildProjects",
  "UpdatePortalBuildProjects",
  "RetirePortalBuildProjects",
  "DeletePortalPipelines",
  "ReadBuildLogs",
  "ReadDefaultEventBus",
  "EventBusPermission",
  "ReadTopics",
  "NewTopics",
  "EditTopics",
  "DropTopics",
  "ReadNotifyRules",
  "NewNotifyRules",
  "EditNotifyRules",
  "DropNotifyRules",
  "ReadRepositories",
  "ListRepositories",
  "ReadRules",
  "CreateRules",
  "ChangePortalRules",
  "DeletePortalRules",
];

const appliesTo = (g: Grant, purpose: ProvisioningPurpose) => g.accounts === "both" || purpose === "both" || g.accounts === purpose;

/** Every grant the role of an account of `purpose` needs, as [section, statement], in the deployed order. */
function grantStatements(opts: ProvisioningPolicyOptions): { section: GrantSection; statement: Statement }[] {
  const a = opts.accountId;
  const p = opts.partition ?? "aws";
  const grants = [...PORTAL_GRANTS, ...RESOURCE_KINDS.flatMap(grantsOf)].filter((g) => appliesTo(g, opts.purpose));
  const rank = (s: Statement) => {
    const i = DEPLOYED_ORDER.indexOf(s.Sid ?? "");
    return i < 0 ? DEPLOYED_ORDER.length : i;
  };
  return SECTIONS.flatMap((section) =>
    grants
      .filter((g) => g.section === section)
      .map((g) => g.statement(a, p))
      .sort((x, y) => rank(x) - rank(y))
      .map((statement) => ({ section, statement })),
  );
}

export { PORTAL_RULE_SUFFIXES } from "@/lib/resources/eventbridge-rule";

/** Every action by which the provisioning role writes tags on an existing resource (its creations' tags included). */
export function taggingActions(purpose: ProvisioningPurpose): string[] {
  const allowed = grantStatements({ accountId: "000000000000", purpose })
    .map((g) => g.statement)
    .filter((st) => st.Effect === "Allow")
    .flatMap((st) => (Array.isArray(st.Action) ? st.Action : st.Action === undefined ? [] : [st.Action]))
    .filter((a) => TAGGING_ACTION.test(a));
  const rank = (a: string) => (DEPLOYED_TAGGING_ORDER.includes(a) ? DEPLOYED_TAGGING_ORDER.indexOf(a) : DEPLOYED_TAGGING_ORDER.length);
  return [...new Set(allowed)].sort((x, y) => rank(x) - rank(y));
}

const TAGGING_ACTION = /^[\w-]+:(Tag\w*|Put\w*Tagging)$/;
/** The order the deployed Deny lists them in (the fixtures hold it); a new kind's tagging action follows. */
const DEPLOYED_TAGGING_ORDER = [
  "iam:TagRole",
  "events:TagResource",
  "kms:TagResource",
  "codepipeline:TagResource",
  "sns:TagResource",
  "codestar-notifications:TagResource",
  "s3:PutBucketTagging",
];

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

/**
 * The provisioning role's grants as they are deployed. IAM allows 10,240 characters of inline policy per role in
 * all, so the tools account's grants on the artifact store, pipelines, builds and logs live in a customer-managed
 * policy (6,144 characters) attached to the role; the rest is the role's inline policy.
 */
export function provisioningPolicyParts(opts: ProvisioningPolicyOptions): { inline: PolicyDocument; managed: PolicyDocument | null } {
  const all = [...grantStatements(opts), { section: "iam" as const, statement: markedOutStatement(opts.purpose) }];
  const inline = all.filter((g) => g.section !== "tools-managed").map((g) => g.statement);
  const managed = all.filter((g) => g.section === "tools-managed").map((g) => g.statement);
  return { inline: policy(...inline), managed: managed.length ? policy(...managed) : null };
}

/** Name of the customer-managed policy holding the tools grants (path /portal/, like the boundary). */
export const toolsPolicyNameFor = (roleName: string) => `${roleName}-tools`;
export const toolsPolicyArnFor = (accountId: string, roleName: string, partition = "aws") =>
  `arn:${partition}:iam::${accountId}:policy${BOUNDARY_POLICY_PATH}${toolsPolicyNameFor(roleName)}`;

/** Every grant of the provisioning role (inline and managed together): what the portal's calls need. */
export function provisioningPermissionPolicy(opts: ProvisioningPolicyOptions): PolicyDocument {
  return policy(...grantStatements(opts).map((g) => g.statement), markedOutStatement(opts.purpose));
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
          Description:
            "aws:PrincipalArn patterns of the portal's identity (an IAM user or role ARN; role/*/NAME matches a role under any path)",
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
