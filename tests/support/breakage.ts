// Ways to break a fully applied onboarding, each through direct AWS calls as the account's administrator (root
// credentials of the sandbox), the way a person editing the console would. Each returns what an explanation of the
// resulting failure must name: its kind, the account and the resource. Shared by the explain tests and the drill.
import {
  CodeCommitClient,
  CreateBranchCommand,
  DeleteBranchCommand,
  GetBranchCommand,
  UpdateDefaultBranchCommand,
} from "@aws-sdk/client-codecommit";
import {
  DescribeRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  RemovePermissionCommand,
  RemoveTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { GetRolePolicyCommand, IAMClient, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { GetKeyPolicyCommand, KMSClient, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { GetBucketPolicyCommand, PutBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import type { ResourceNames } from "@/lib/names/derive";
import type { ExplanationKind } from "@/lib/explain/types";
import { rootClient } from "./world";

export interface Breakage {
  kind: ExplanationKind;
  accountId: string;
  resourceArn: string;
  /** How the pipeline must be run to show the failure: a start (StartPipelineExecution) or a push. */
  trigger: "start" | "push";
}

interface Statementish {
  Sid?: string;
  Action?: string | string[];
}
const withoutSid = (doc: { Statement: Statementish[] }, sid: string) => ({ ...doc, Statement: doc.Statement.filter((s) => s.Sid !== sid) });
const withoutAction = (doc: { Statement: Statementish[] }, action: string) => ({
  ...doc,
  Statement: doc.Statement.map((s) => ({ ...s, Action: [s.Action ?? []].flat().filter((a) => a !== action) })).filter(
    (s) => s.Action.length > 0,
  ),
});
const decode = (text: string | undefined) => JSON.parse(decodeURIComponent(text ?? "{}"));

/** The artifact key's policy loses the repo accounts' statement: the Source action cannot encrypt the artifact. */
export async function removeKeyGrant(n: ResourceNames): Promise<Breakage> {
  const kms = rootClient(KMSClient, n.toolsAccountId, n.region);
  const key = n.artifactStore.kmsAlias;
  const policy = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: key, PolicyName: "default" }))).Policy!);
  await kms.send(
    new PutKeyPolicyCommand({ KeyId: key, PolicyName: "default", Policy: JSON.stringify(withoutSid(policy, n.sids.keyRepoAccountsUse)) }),
  );
  const { DescribeKeyCommand } = await import("@aws-sdk/client-kms");
  const arn = (await kms.send(new DescribeKeyCommand({ KeyId: key }))).KeyMetadata!.Arn!;
  return { kind: "kms-grant-missing", accountId: n.toolsAccountId, resourceArn: arn, trigger: "start" };
}

/** The bucket policy loses the cross-account role's object grant: the Source action cannot write the artifact. */
export async function removeBucketGrant(n: ResourceNames): Promise<Breakage> {
  const s3 = rootClient(S3Client, n.toolsAccountId, n.region);
  const Bucket = n.artifactStore.bucketName;
  const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy!);
  await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(withoutSid(policy, n.sids.bucketSourceRoleObjects)) }));
  return { kind: "bucket-grant-missing", accountId: n.toolsAccountId, resourceArn: n.artifactStore.bucketArn, trigger: "start" };
}

/** The cross-account role trusts only its own account: the pipeline role can no longer assume it. */
export async function changeCrossAccountTrust(n: ResourceNames): Promise<Breakage> {
  const iam = rootClient(IAMClient, n.repoAccountId);
  const trust = {
    Version: "2012-10-17",
    Statement: [
      { Sid: "OnlyThisAccount", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${n.repoAccountId}:root` }, Action: "sts:AssumeRole" },
    ],
  };
  await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: n.roles.crossAccount.name, PolicyDocument: JSON.stringify(trust) }));
  return { kind: "cross-account-trust-changed", accountId: n.repoAccountId, resourceArn: n.roles.crossAccount.arn, trigger: "start" };
}

/** The cross-account role's policy loses codecommit:GetBranch: the Source action cannot read the branch. */
export async function changeCrossAccountPolicy(n: ResourceNames): Promise<Breakage> {
  const iam = rootClient(IAMClient, n.repoAccountId);
  const q = { RoleName: n.roles.crossAccount.name, PolicyName: n.policyNames.crossAccount };
  const doc = decode((await iam.send(new GetRolePolicyCommand(q))).PolicyDocument);
  await iam.send(new PutRolePolicyCommand({ ...q, PolicyDocument: JSON.stringify(withoutAction(doc, "codecommit:GetBranch")) }));
  return { kind: "cross-account-policy-changed", accountId: n.repoAccountId, resourceArn: n.roles.crossAccount.arn, trigger: "start" };
}

/** The pipeline's branch is deleted (another branch becomes the default first, as CodeCommit requires). */
export async function deleteBranch(n: ResourceNames, keep = "keep-alive"): Promise<Breakage & { restore(): Promise<void> }> {
  const cc = rootClient(CodeCommitClient, n.repoAccountId, n.region);
  const repositoryName = n.repository.name;
  const tip = (await cc.send(new GetBranchCommand({ repositoryName, branchName: n.repository.branch }))).branch!.commitId!;
  await cc.send(new CreateBranchCommand({ repositoryName, branchName: keep, commitId: tip })).catch((e: Error) => {
    if (e.name !== "BranchNameExistsException") throw e;
  });
  await cc.send(new UpdateDefaultBranchCommand({ repositoryName, defaultBranchName: keep }));
  await cc.send(new DeleteBranchCommand({ repositoryName, branchName: n.repository.branch }));
  return {
    kind: "branch-deleted",
    accountId: n.repoAccountId,
    resourceArn: n.repository.arn,
    trigger: "start",
    restore: async () => {
      await cc.send(new CreateBranchCommand({ repositoryName, branchName: n.repository.branch, commitId: tip }));
      await cc.send(new UpdateDefaultBranchCommand({ repositoryName, defaultBranchName: n.repository.branch }));
    },
  };
}

/** The CodeBuild role's policy loses s3:PutObject: the build cannot upload its output artifact. */
export async function removeBuildRoleArtifactWrite(n: ResourceNames): Promise<Breakage> {
  const iam = rootClient(IAMClient, n.toolsAccountId);
  const q = { RoleName: n.roles.codeBuild!.name, PolicyName: n.policyNames.codeBuild };
  const doc = decode((await iam.send(new GetRolePolicyCommand(q))).PolicyDocument);
  await iam.send(new PutRolePolicyCommand({ ...q, PolicyDocument: JSON.stringify(withoutAction(doc, "s3:PutObject")) }));
  return { kind: "build-role-cannot-write-artifacts", accountId: n.toolsAccountId, resourceArn: n.roles.codeBuild!.arn, trigger: "start" };
}

/** The tools account's start rule is disabled (PutRule with State DISABLED): pushes no longer start the pipeline. */
export async function disableStartRule(n: ResourceNames): Promise<Breakage> {
  const eb = rootClient(EventBridgeClient, n.toolsAccountId, n.region);
  const rule = n.events.toolsRule;
  const current = await eb.send(new DescribeRuleCommand({ Name: rule.name, EventBusName: rule.eventBusName }));
  await eb.send(
    new PutRuleCommand({
      Name: rule.name,
      EventBusName: rule.eventBusName,
      EventPattern: current.EventPattern,
      State: "DISABLED",
      Description: current.Description,
    }),
  );
  return { kind: "pushes-not-reaching-pipeline", accountId: n.toolsAccountId, resourceArn: rule.arn, trigger: "push" };
}

/** The repo account's forwarding rule loses its target (the tools account's bus). */
export async function removeForwardTarget(n: ResourceNames): Promise<Breakage> {
  const eb = rootClient(EventBridgeClient, n.repoAccountId, n.region);
  const rule = n.events.repoRule;
  const { ListTargetsByRuleCommand } = await import("@aws-sdk/client-eventbridge");
  const targets = (await eb.send(new ListTargetsByRuleCommand({ Rule: rule.name, EventBusName: rule.eventBusName }))).Targets ?? [];
  await eb.send(new RemoveTargetsCommand({ Rule: rule.name, EventBusName: rule.eventBusName, Ids: targets.map((t) => t.Id!) }));
  return { kind: "pushes-not-reaching-pipeline", accountId: n.repoAccountId, resourceArn: rule.arn, trigger: "push" };
}

/** The tools account's default bus no longer lets the repo account put events. */
export async function removeBusPermission(n: ResourceNames): Promise<Breakage> {
  const eb = rootClient(EventBridgeClient, n.toolsAccountId, n.region);
  await eb.send(new RemovePermissionCommand({ EventBusName: "default", StatementId: n.events.statementId }));
  return { kind: "pushes-not-reaching-pipeline", accountId: n.toolsAccountId, resourceArn: n.events.toolsBusArn, trigger: "push" };
}

/** Every way to break an onboarding above, by name (the drill script picks from these). */
export const BREAKAGES = {
  removeKeyGrant,
  removeBucketGrant,
  changeCrossAccountTrust,
  changeCrossAccountPolicy,
  deleteBranch,
  removeBuildRoleArtifactWrite,
  disableStartRule,
  removeForwardTarget,
  removeBusPermission,
} as const satisfies Record<string, (n: ResourceNames) => Promise<Breakage>>;
