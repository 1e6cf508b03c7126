/**
 * The permissions boundary every role the portal creates carries: a customer-managed policy the provisioning
 * template creates before the provisioning role, which may create or change roles only with it attached.
 * It is the union of what the portal's five role kinds need (domain.md), so a role the portal's identity
 * creates can never hold more, whatever inline policy it is given:
 *   pipeline service role   artifacts, key use, sts:AssumeRole on portal roles, StartBuild/BatchGetBuilds
 *   CodeBuild service role  artifacts, key use, logs of /aws/codebuild/*
 *   cross-account role      artifacts (in a tools account), key use, CodeCommit source reads + UploadArchive
 *   forward-push role       events:PutEvents on a default bus
 *   start-on-push role      codepipeline:StartPipelineExecution on pipelines the portal tagged
 * A tools account's roles reach only its own artifact buckets and keys. A repository account's roles reach
 * artifact buckets and keys in other (tools) accounts, whose bucket and key policies decide which role may.
 */
import { POLICY_PATH, ROLE_PATH } from "@/lib/names/derive";
import { KMS_USAGE_ACTIONS, policy } from "./common";
import { MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE } from "./managed-by-tag";
import type { PolicyDocument, Statement } from "./types";

export type BoundaryPurpose = "tools" | "repo" | "both";

export const BOUNDARY_POLICY_NAME = "crossline-portal-boundary";
export const BOUNDARY_POLICY_PATH = POLICY_PATH;


/** IAM managed-policy size quota (characters, whitespace not counted; we count the compact JSON). */
export const MANAGED_POLICY_MAX_CHARS = 6_144;

export function boundaryPolicyArn(accountId: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:policy${BOUNDARY_POLICY_PATH}${BOUNDARY_POLICY_NAME}`;
}

export function permissionsBoundaryPolicy(opts: { accountId: string; purpose: BoundaryPurpose; partition?: "aws" }): PolicyDocument {
  const a = opts.accountId;
  const p = opts.partition ?? "aws";
  const tools = opts.purpose !== "repo";
  const repo = opts.purpose !== "tools";
  // Roles of a repo account use artifacts held by tools accounts the template cannot know in advance.
  const bucketAccount = repo ? "*" : a;
  const buckets = repo ? `arn:${p}:s3:::codepipeline-artifacts-*` : `arn:${p}:s3:::codepipeline-artifacts-${a}-*`;
  const ownBuckets: Statement["Condition"] = repo ? undefined : { StringEquals: { "aws:ResourceAccount": a } };
  const s3 = (sid: string, action: string[], resource: string): Statement => ({
    Sid: sid,
    Effect: "Allow",
    Action: action,
    Resource: resource,
    ...(ownBuckets ? { Condition: ownBuckets } : {}),
  });
  const statements: Statement[] = [
    s3("ArtifactObjects", ["s3:GetObject*", "s3:PutObject", "s3:PutObjectAcl"], `${buckets}/*`),
    s3("ArtifactBuckets", ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketVersioning"], buckets),
    { Sid: "ArtifactKeyUse", Effect: "Allow", Action: [...KMS_USAGE_ACTIONS], Resource: `arn:${p}:kms:*:${bucketAccount}:key/*` },
  ];
  if (tools) {
    statements.push(
      { Sid: "AssumePortalRoles", Effect: "Allow", Action: "sts:AssumeRole", Resource: `arn:${p}:iam::*:role${ROLE_PATH}*` },
      { Sid: "RunBuilds", Effect: "Allow", Action: ["codebuild:StartBuild", "codebuild:BatchGetBuilds"], Resource: `arn:${p}:codebuild:*:${a}:project/*` },
      {
        Sid: "BuildLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [`arn:${p}:logs:*:${a}:log-group:/aws/codebuild/*`, `arn:${p}:logs:*:${a}:log-group:/aws/codebuild/*:*`],
      },
      {
        Sid: "StartPortalPipelines",
        Effect: "Allow",
        Action: "codepipeline:StartPipelineExecution",
        Resource: `arn:${p}:codepipeline:*:${a}:*`,
        Condition: { StringEquals: { [`aws:ResourceTag/${MANAGED_BY_TAG_KEY}`]: MANAGED_BY_TAG_VALUE } },
      },
    );
  }
  if (repo) {
    statements.push(
      {
        Sid: "SourceFromRepositories",
        Effect: "Allow",
        Action: [
          "codecommit:GetBranch",
          "codecommit:GetCommit",
          "codecommit:GetRepository",
          "codecommit:UploadArchive",
          "codecommit:GetUploadArchiveStatus",
          "codecommit:CancelUploadArchive",
        ],
        Resource: `arn:${p}:codecommit:*:${a}:*`,
      },
      { Sid: "ForwardPushEvents", Effect: "Allow", Action: "events:PutEvents", Resource: `arn:${p}:events:*:*:event-bus/default` },
    );
  }
  return policy(...statements);
}
