/**
 * The permissions boundary every role the portal creates carries: a customer-managed policy the provisioning
 * template creates before the provisioning role, which may create or change roles only with it attached.
 * It is the union of what the portal's five role kinds need (docs/aws-domain.md#resources-and-their-documents), so a role the portal's identity
 * creates can never hold more, whatever inline policy it is given:
 *   pipeline service role   artifacts, key use, sts:AssumeRole on portal roles, StartBuild/BatchGetBuilds
 *   CodeBuild service role  artifacts, key use, logs of /aws/codebuild/portal/* (the portal's projects' log groups)
 *   cross-account role      artifacts (in a tools account), key use, CodeCommit source reads + UploadArchive
 *   forward-push role       events:PutEvents on a default bus
 *   start-on-push role      codepipeline:StartPipelineExecution on pipelines the portal tagged
 * A tools account's roles reach only its own artifact buckets and keys. A repository account's roles reach
 * artifact buckets and keys in other (tools) accounts, whose bucket and key policies decide which role may.
 * Narrowed so that a role created under /portal/ with the boundary (whatever its own policy and trust) cannot act
 * as another team's build (tests/integration/boundary-escape.int.test.ts):
 *   keys       only keys tagged portal:managed-by = crossline-portal (the artifact keys the portal creates or adopted)
 *   roles      only the repo accounts' source roles made for THIS tools account (`*-<tools>-<region>-xacct-source`)
 *   logs       only the portal's projects' log groups, `/aws/codebuild/portal/*` (lib/names/derive.ts)
 *   builds     StartBuild only on projects tagged portal:managed-by = crossline-portal, and never with an override
 *              of the source, the buildspec, the image or the service role (denied whatever else allows it; the
 *              condition keys come from the Service Authorization Reference, see sandbox/README.md)
 */
import { POLICY_PATH, PORTAL_BUILD_LOG_PREFIX, ROLE_PATH } from "@/lib/names/derive";
import { KMS_USAGE_ACTIONS, policy } from "./common";
import { MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE } from "./managed-by-tag";
import type { PolicyDocument, Statement } from "./types";

/**
 * StartBuild condition keys (Service Authorization Reference) present when a build overrides its project's source,
 * buildspec, image or service role. A Null block ANDs its keys, so each key gets its own Deny.
 */
export const BUILD_OVERRIDE_KEYS = [
  "codebuild:source",
  "codebuild:source.buildspec",
  "codebuild:source.location",
  "codebuild:secondarySources",
  "codebuild:environment.image",
  "codebuild:serviceRole",
] as const;

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
    {
      Sid: "ArtifactKeyUse",
      Effect: "Allow",
      Action: [...KMS_USAGE_ACTIONS],
      Resource: `arn:${p}:kms:*:${bucketAccount}:key/*`,
      Condition: { StringEquals: { [`aws:ResourceTag/${MANAGED_BY_TAG_KEY}`]: MANAGED_BY_TAG_VALUE } },
    },
  ];
  if (tools) {
    statements.push(
      // The pipeline role assumes the repo account's source role, named `<pipeline>-<tools>-<region>-xacct-source`.
      {
        Sid: "AssumeSourceRoles",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: `arn:${p}:iam::*:role${ROLE_PATH}*-${a}-*-xacct-source`,
      },
      {
        Sid: "RunPortalBuilds",
        Effect: "Allow",
        Action: "codebuild:StartBuild",
        Resource: `arn:${p}:codebuild:*:${a}:project/*`,
        Condition: { StringEquals: { [`aws:ResourceTag/${MANAGED_BY_TAG_KEY}`]: MANAGED_BY_TAG_VALUE } },
      },
      { Sid: "ReadBuilds", Effect: "Allow", Action: "codebuild:BatchGetBuilds", Resource: `arn:${p}:codebuild:*:${a}:project/*` },
      ...BUILD_OVERRIDE_KEYS.map((key, n): Statement => ({
        Sid: `DenyBuildOverride${n + 1}`,
        Effect: "Deny",
        Action: "codebuild:StartBuild",
        Resource: "*",
        Condition: { Null: { [key]: "false" } },
      })),
      {
        Sid: "BuildLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [
          `arn:${p}:logs:*:${a}:log-group:${PORTAL_BUILD_LOG_PREFIX}*`,
          `arn:${p}:logs:*:${a}:log-group:${PORTAL_BUILD_LOG_PREFIX}*:*`,
        ],
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
