/**
 * The provisioning role each registered account holds for the portal. The portal's own identity assumes it
 * with the account's ExternalId and SourceIdentity = the signed-in user. The permission policy covers exactly
 * the calls of domain.md's procedure, scoped to the names the portal derives:
 *   roles under /portal/, policies under /portal/, buckets codepipeline-artifacts-<account>-*,
 *   aliases alias/codepipeline-artifacts-*, the default event bus, the account's rules, pipelines, projects.
 * iam:PassRole is split per service with iam:PassedToService, and AttachRolePolicy is limited to /portal/
 * policies so the role cannot attach e.g. AdministratorAccess.
 */
import { POLICY_PATH, ROLE_PATH } from "@/lib/names/derive";
import { policy } from "./common";
import type { PolicyDocument, Statement } from "./types";

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

export function provisioningTrustPolicy(opts: { portalPrincipalArn: string; externalId: string }): PolicyDocument {
  return policy({
    Sid: "PortalAssumeWithExternalId",
    Effect: "Allow",
    Principal: { AWS: opts.portalPrincipalArn },
    Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
    Condition: { StringEquals: { "sts:ExternalId": opts.externalId } },
  });
}

const ROLE_ACTIONS = [
  "iam:GetRole",
  "iam:CreateRole",
  "iam:DeleteRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:TagRole",
  "iam:GetRolePolicy",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:ListRolePolicies",
  "iam:ListAttachedRolePolicies",
  "iam:DetachRolePolicy",
];

const MANAGED_POLICY_ACTIONS = [
  "iam:GetPolicy",
  "iam:GetPolicyVersion",
  "iam:CreatePolicy",
  "iam:CreatePolicyVersion",
  "iam:DeletePolicyVersion",
  "iam:ListPolicyVersions",
  "iam:DeletePolicy",
  "iam:TagPolicy",
];

function iamStatements(a: string, p: string, passRoles: { sid: string; suffix: string; service: string }[]): Statement[] {
  const roles = `arn:${p}:iam::${a}:role${ROLE_PATH}*`;
  const policies = `arn:${p}:iam::${a}:policy${POLICY_PATH}*`;
  return [
    { Sid: "PortalRoles", Effect: "Allow", Action: [...ROLE_ACTIONS], Resource: roles },
    // Reads on any role name: IAM checks GetRole on a missing role against role/NAME (no path), so without
    // this a "does it exist yet?" read answers AccessDenied instead of NoSuchEntity.
    { Sid: "ReadRoles", Effect: "Allow", Action: ["iam:GetRole", "iam:GetRolePolicy"], Resource: `arn:${p}:iam::${a}:role/*` },
    {
      Sid: "PortalRolesAttachPortalPolicies",
      Effect: "Allow",
      Action: "iam:AttachRolePolicy",
      Resource: roles,
      Condition: { ArnLike: { "iam:PolicyARN": policies } },
    },
    { Sid: "PortalManagedPolicies", Effect: "Allow", Action: [...MANAGED_POLICY_ACTIONS], Resource: policies },
    ...passRoles.map(
      (r): Statement => ({
        Sid: r.sid,
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: `arn:${p}:iam::${a}:role${ROLE_PATH}*${r.suffix}`,
        Condition: { StringEquals: { "iam:PassedToService": r.service } },
      }),
    ),
  ];
}

function eventStatements(a: string, p: string, withBusPermission: boolean): Statement[] {
  const out: Statement[] = [];
  out.push({
    Sid: withBusPermission ? "DefaultEventBus" : "DefaultEventBusRead",
    Effect: "Allow",
    Action: withBusPermission ? ["events:DescribeEventBus", "events:PutPermission", "events:RemovePermission"] : "events:DescribeEventBus",
    Resource: `arn:${p}:events:*:${a}:event-bus/default`,
  });
  out.push({
    Sid: "EventRules",
    Effect: "Allow",
    Action: [
      "events:DescribeRule",
      "events:PutRule",
      "events:DeleteRule",
      "events:PutTargets",
      "events:RemoveTargets",
      "events:ListTargetsByRule",
      "events:TagResource",
      "events:ListTagsForResource",
    ],
    Resource: `arn:${p}:events:*:${a}:rule/*`,
  });
  return out;
}

function toolsStatements(a: string, p: string): Statement[] {
  const keys = `arn:${p}:kms:*:${a}:key/*`;
  const aliases = `arn:${p}:kms:*:${a}:alias/codepipeline-artifacts-*`;
  const buckets = `arn:${p}:s3:::codepipeline-artifacts-${a}-*`;
  return [
    {
      Sid: "CreateSymmetricKey",
      Effect: "Allow",
      Action: "kms:CreateKey",
      Resource: "*",
      Condition: { StringEquals: { "kms:KeySpec": "SYMMETRIC_DEFAULT" } },
    },
    // ListKeys finds a key created just before a crash, before its alias existed.
    { Sid: "ListKeyAliases", Effect: "Allow", Action: ["kms:ListAliases", "kms:ListKeys"], Resource: "*" },
    {
      Sid: "ManageArtifactKeys",
      Effect: "Allow",
      Action: [
        "kms:DescribeKey",
        "kms:GetKeyPolicy",
        "kms:PutKeyPolicy",
        "kms:EnableKeyRotation",
        "kms:GetKeyRotationStatus",
        "kms:TagResource",
        "kms:ListResourceTags",
        "kms:CancelKeyDeletion",
        "kms:EnableKey",
        "kms:ScheduleKeyDeletion",
        "kms:CreateAlias",
        "kms:DeleteAlias",
      ],
      Resource: keys,
    },
    { Sid: "ManageArtifactKeyAliases", Effect: "Allow", Action: ["kms:CreateAlias", "kms:DeleteAlias"], Resource: aliases },
    {
      Sid: "ManageArtifactBuckets",
      Effect: "Allow",
      Action: [
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:ListBucket",
        "s3:ListBucketVersions",
        "s3:GetBucketLocation",
        "s3:GetBucketOwnershipControls",
        "s3:PutBucketOwnershipControls",
        "s3:GetBucketPublicAccessBlock",
        "s3:PutBucketPublicAccessBlock",
        "s3:GetEncryptionConfiguration",
        "s3:PutEncryptionConfiguration",
        "s3:GetBucketVersioning",
        "s3:PutBucketVersioning",
        "s3:GetBucketPolicy",
        "s3:PutBucketPolicy",
        "s3:GetBucketTagging",
        "s3:PutBucketTagging",
      ],
      Resource: buckets,
    },
    {
      Sid: "EmptyArtifactBuckets",
      Effect: "Allow",
      Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
      Resource: `${buckets}/*`,
    },
    {
      Sid: "Pipelines",
      Effect: "Allow",
      Action: [
        "codepipeline:GetPipeline",
        "codepipeline:CreatePipeline",
        "codepipeline:UpdatePipeline",
        "codepipeline:DeletePipeline",
        "codepipeline:TagResource",
        "codepipeline:ListTagsForResource",
        "codepipeline:GetPipelineState",
        "codepipeline:GetPipelineExecution",
        "codepipeline:ListPipelineExecutions",
        "codepipeline:ListActionExecutions",
        "codepipeline:StartPipelineExecution",
        "codepipeline:StopPipelineExecution",
        "codepipeline:RetryStageExecution",
        "codepipeline:PutApprovalResult",
      ],
      Resource: [`arn:${p}:codepipeline:*:${a}:*`],
    },
    { Sid: "ListPipelines", Effect: "Allow", Action: "codepipeline:ListPipelines", Resource: "*" },
    {
      Sid: "BuildProjects",
      Effect: "Allow",
      Action: ["codebuild:BatchGetProjects", "codebuild:CreateProject", "codebuild:UpdateProject", "codebuild:DeleteProject", "codebuild:BatchGetBuilds"],
      Resource: `arn:${p}:codebuild:*:${a}:project/*`,
    },
    { Sid: "ListBuildProjects", Effect: "Allow", Action: "codebuild:ListProjects", Resource: "*" },
  ];
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
    ...(repo ? repoStatements(a, p) : []),
    ...eventStatements(a, p, tools),
  );
}

export interface ProvisioningTemplateOptions extends ProvisioningPolicyOptions {
  /** Default for the PortalPrincipalArn parameter. */
  portalPrincipalArn?: string;
  /** Default for the ExternalId parameter. */
  externalId?: string;
  roleName?: string;
}

/** A CloudFormation template (JSON object) creating the provisioning role in the registered account. */
export function provisioningCloudFormationTemplate(opts: ProvisioningTemplateOptions) {
  const principalParam: Record<string, unknown> = {
    Type: "String",
    Description: "ARN of the portal's own identity (the principal that assumes this role)",
    AllowedPattern: "^arn:aws:(iam|sts)::\\d{12}:.+$",
  };
  if (opts.portalPrincipalArn) principalParam.Default = opts.portalPrincipalArn;
  const externalIdParam: Record<string, unknown> = {
    Type: "String",
    Description: "External id the portal presents when assuming this role",
    MinLength: 2,
    MaxLength: 1224,
    AllowedPattern: "^[\\w+=,.@:/-]+$",
    NoEcho: true,
  };
  if (opts.externalId) externalIdParam.Default = opts.externalId;
  const trust = provisioningTrustPolicy({ portalPrincipalArn: "__PRINCIPAL__", externalId: "__EXTERNAL_ID__" });
  const statement = trust.Statement[0];
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `Provisioning role for the crossline portal (${PURPOSE_LABEL[opts.purpose]})`,
    Parameters: {
      PortalPrincipalArn: principalParam,
      ExternalId: externalIdParam,
      RoleName: {
        Type: "String",
        Description: "Name of the provisioning role",
        Default: opts.roleName ?? DEFAULT_PROVISIONING_ROLE_NAME,
      },
    },
    Resources: {
      ProvisioningRole: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: { Ref: "RoleName" },
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: trust.Version,
            Statement: [
              {
                ...statement,
                Principal: { AWS: { Ref: "PortalPrincipalArn" } },
                Condition: { StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } } },
              },
            ],
          },
          Policies: [
            {
              PolicyName: "crossline-portal-provisioning",
              PolicyDocument: provisioningPermissionPolicy(opts),
            },
          ],
          Tags: [{ Key: "portal:purpose", Value: opts.purpose }],
        },
      },
    },
    Outputs: {
      RoleArn: { Description: "Register this ARN in the portal", Value: { "Fn::GetAtt": ["ProvisioningRole", "Arn"] } },
    },
  };
}
