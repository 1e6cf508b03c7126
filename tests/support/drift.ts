// Drift injectors: what an administrator of an account does by hand in the console or the CLI, as direct AWS
// calls with that account's own (root) credentials against the sandbox. One function per drift kind; each takes the
// two accounts' clients and the onboarding's names, and says which step's resource it changed and which change a
// verify must report. Used by tests/integration/drift*.int.test.ts, the e2e spec and `npm run drill:lifecycle`.
import { CodeBuildClient, UpdateProjectCommand } from "@aws-sdk/client-codebuild";
import { CodePipelineClient, GetPipelineCommand, UpdatePipelineCommand } from "@aws-sdk/client-codepipeline";
import {
  DescribeRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  RemovePermissionCommand,
  RemoveTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { GetBucketPolicyCommand, PutBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import type { ResourceNames } from "@/lib/names/derive";
import { sandboxRootClient } from "@/lib/aws/client-factory";

export interface AdminClients {
  iam: IAMClient;
  kms: KMSClient;
  s3: S3Client;
  eventbridge: EventBridgeClient;
  codepipeline: CodePipelineClient;
  codebuild: CodeBuildClient;
}

/** An account's root credentials on the sandbox (`SANDBOXROOT<account>`), as its administrator acts. */
export function adminClients(endpoint: string, accountId: string, region = "us-east-1"): AdminClients {
  const root = <T>(C: new (cfg: never) => T) => sandboxRootClient(C, accountId, { endpoint, region });
  return {
    iam: root(IAMClient),
    kms: root(KMSClient),
    s3: root(S3Client),
    eventbridge: root(EventBridgeClient),
    codepipeline: root(CodePipelineClient),
    codebuild: root(CodeBuildClient),
  };
}

export interface DriftTarget {
  tools: AdminClients;
  repo: AdminClients;
  names: ResourceNames;
}

export interface InjectedDrift {
  kind: string;
  /** The step whose resource changed. */
  stepKey: string;
  /** What a verify must report for it. */
  status: "drifted" | "missing";
  /** A change line the verify must list for it. */
  change: RegExp;
}

type Statement = { Sid?: string; [k: string]: unknown };
type Doc = { Version?: string; Statement: Statement[] };
const parse = (text: string | undefined): Doc => JSON.parse(decodeURIComponent(text ?? "{}")) as Doc;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export async function removeKeyPolicyStatement(t: DriftTarget): Promise<InjectedDrift> {
  const key = await t.tools.kms.send(new DescribeKeyCommand({ KeyId: t.names.artifactStore.kmsAlias }));
  const keyId = key.KeyMetadata!.Arn!;
  const doc = parse((await t.tools.kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: "default" }))).Policy);
  const sid = t.names.sids.keyRepoAccountsUse;
  if (!doc.Statement.some((s) => s.Sid === sid)) throw new Error(`the key policy has no statement ${sid}`);
  doc.Statement = doc.Statement.filter((s) => s.Sid !== sid);
  await t.tools.kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: "default", Policy: JSON.stringify(doc) }));
  return {
    kind: "key-policy-statement-removed",
    stepKey: "tools.key-policy",
    status: "drifted",
    change: new RegExp(`statement ${escape(sid)} removed`),
  };
}

export async function removeBucketPolicyStatement(t: DriftTarget): Promise<InjectedDrift> {
  const bucket = t.names.artifactStore.bucketName;
  const doc = parse((await t.tools.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy);
  const sid = t.names.sids.bucketSourceRoleObjects;
  if (!doc.Statement.some((s) => s.Sid === sid)) throw new Error(`the bucket policy has no statement ${sid}`);
  doc.Statement = doc.Statement.filter((s) => s.Sid !== sid);
  await t.tools.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(doc) }));
  return {
    kind: "bucket-policy-statement-removed",
    stepKey: "tools.bucket-policy",
    status: "drifted",
    change: new RegExp(`statement ${escape(sid)} removed`),
  };
}

/** The cross-account role now trusts any role of the tools account, not just the pipeline's. */
export async function changeRoleTrust(t: DriftTarget): Promise<InjectedDrift> {
  const name = t.names.roles.crossAccount.name;
  const doc = parse((await t.repo.iam.send(new GetRoleCommand({ RoleName: name }))).Role!.AssumeRolePolicyDocument);
  doc.Statement = doc.Statement.map((s) => {
    const { Condition: _c, ...rest } = s;
    return rest;
  });
  await t.repo.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: JSON.stringify(doc) }));
  return {
    kind: "role-trust-changed",
    stepKey: "repo.cross-account-role",
    status: "drifted",
    change: /^Trust policy: statement .+ changed$/,
  };
}

/** The pipeline role's inline policy loses its first statement. */
export async function changeRoleInlinePolicy(t: DriftTarget): Promise<InjectedDrift> {
  const role = t.names.roles.pipeline.name;
  const policyName = t.names.policyNames.pipeline;
  const doc = parse((await t.tools.iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: policyName }))).PolicyDocument);
  const [dropped, ...rest] = doc.Statement;
  doc.Statement = rest;
  await t.tools.iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: policyName, PolicyDocument: JSON.stringify(doc) }));
  return {
    kind: "role-inline-policy-changed",
    stepKey: "tools.pipeline-role",
    status: "drifted",
    change: new RegExp(`^Inline policy ${escape(policyName)}: statement ${escape(String(dropped.Sid))} removed$`),
  };
}

export async function deleteRoleInlinePolicy(t: DriftTarget): Promise<InjectedDrift> {
  const role = t.names.roles.codeBuild!.name;
  const policyName = t.names.policyNames.codeBuild;
  await t.tools.iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: policyName }));
  return {
    kind: "role-inline-policy-deleted",
    stepKey: "tools.codebuild-role",
    status: "drifted",
    change: new RegExp(`^Inline policy ${escape(policyName)}: the policy does not exist$`),
  };
}

/** The start rule is disabled (`aws events put-rule --state DISABLED` with its pattern; the sandbox has no DisableRule). */
export async function disableRule(t: DriftTarget): Promise<InjectedDrift> {
  const rule = t.names.events.toolsRule;
  const got = await t.tools.eventbridge.send(new DescribeRuleCommand({ Name: rule.name, EventBusName: rule.eventBusName }));
  await t.tools.eventbridge.send(
    new PutRuleCommand({ Name: rule.name, EventBusName: rule.eventBusName, EventPattern: got.EventPattern, State: "DISABLED" }),
  );
  return {
    kind: "rule-disabled",
    stepKey: "tools.start-on-push-rule",
    status: "drifted",
    change: /^Rule and target: State: DISABLED \(desired ENABLED\)$/,
  };
}

export async function removeRuleTarget(t: DriftTarget): Promise<InjectedDrift> {
  const rule = t.names.events.repoRule;
  await t.repo.eventbridge.send(new RemoveTargetsCommand({ Rule: rule.name, EventBusName: rule.eventBusName, Ids: [rule.targetId] }));
  return {
    kind: "rule-target-removed",
    stepKey: "repo.forward-push-rule",
    status: "drifted",
    change: /^Rule and target: Targets: 0 entries \(desired 1\)$/,
  };
}

export async function removeBusPermission(t: DriftTarget): Promise<InjectedDrift> {
  await t.tools.eventbridge.send(new RemovePermissionCommand({ EventBusName: "default", StatementId: t.names.events.statementId }));
  return { kind: "bus-permission-removed", stepKey: "tools.event-bus-permission", status: "missing", change: /does not exist/ };
}

/** Someone edits the pipeline in the console: the source branch changes. */
export async function editPipeline(t: DriftTarget, branch = "console-edit"): Promise<InjectedDrift> {
  const got = await t.tools.codepipeline.send(new GetPipelineCommand({ name: t.names.pipeline.name }));
  const pipeline = structuredClone(got.pipeline!);
  const source = pipeline.stages![0].actions![0];
  source.configuration = { ...source.configuration, BranchName: branch };
  await t.tools.codepipeline.send(new UpdatePipelineCommand({ pipeline }));
  return {
    kind: "pipeline-edited",
    stepKey: "tools.pipeline",
    status: "drifted",
    change: new RegExp(
      `^Pipeline declaration: stages\\[0\\]\\.actions\\[0\\]\\.configuration\\.BranchName: ${escape(branch)} \\(desired ${escape(t.names.repository.branch)}\\)$`,
    ),
  };
}

/** Someone switches the build image of the portal's CodeBuild project. */
export async function changeCodeBuildProject(t: DriftTarget, image = "aws/codebuild/standard:6.0"): Promise<InjectedDrift> {
  await t.tools.codebuild.send(
    new UpdateProjectCommand({
      name: t.names.codeBuild.projectName,
      environment: { type: "LINUX_CONTAINER", computeType: "BUILD_GENERAL1_SMALL", image, imagePullCredentialsType: "CODEBUILD" },
    }),
  );
  return {
    kind: "codebuild-project-changed",
    stepKey: "tools.codebuild-project",
    status: "drifted",
    change: new RegExp(`^Project: environment\\.image: ${escape(image)} \\(desired `),
  };
}

/** The push-forwarding role is deleted (inline policy first, as IAM requires). */
export async function deleteRole(t: DriftTarget): Promise<InjectedDrift> {
  const name = t.names.roles.forwardPush.name;
  await t.repo.iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: t.names.policyNames.forwardPush }));
  await t.repo.iam.send(new DeleteRoleCommand({ RoleName: name }));
  return { kind: "role-deleted", stepKey: "repo.forward-push-role", status: "missing", change: /does not exist/ };
}

/** Every kind, each on a different resource: all can be injected into one onboarding at once, in this order. */
export const DRIFT_INJECTORS: ((t: DriftTarget) => Promise<InjectedDrift>)[] = [
  // First: AWS validates a pipeline's and a project's roles when they are updated, before those roles are broken.
  editPipeline,
  changeCodeBuildProject,
  removeKeyPolicyStatement,
  removeBucketPolicyStatement,
  changeRoleTrust,
  changeRoleInlinePolicy,
  deleteRoleInlinePolicy,
  disableRule,
  removeRuleTarget,
  removeBusPermission,
  deleteRole,
];
