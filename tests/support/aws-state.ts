// What AWS (the sandbox) holds for an onboarding's names, read as each account's root: the proof of a teardown
// is AWS's state, not the ledger's.
import { CodePipelineClient, GetPipelineCommand } from "@aws-sdk/client-codepipeline";
import { CodeBuildClient, BatchGetProjectsCommand } from "@aws-sdk/client-codebuild";
import { DescribeRuleCommand, EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import type { ResourceNames } from "@/lib/names/derive";
import { rootClient } from "./world";

const exists = (p: Promise<unknown>) =>
  p.then(
    () => true,
    () => false,
  );

/** Which of the onboarding's portal-created resources still exist in AWS (names of those left). */
export async function portalResourcesLeft(n: ResourceNames): Promise<string[]> {
  const toolsIam = rootClient(IAMClient, n.toolsAccountId);
  const repoIam = rootClient(IAMClient, n.repoAccountId);
  const checks: [string, Promise<boolean>][] = [
    [
      `pipeline ${n.pipeline.name}`,
      exists(rootClient(CodePipelineClient, n.toolsAccountId).send(new GetPipelineCommand({ name: n.pipeline.name }))),
    ],
    [
      `bucket ${n.artifactStore.bucketName}`,
      exists(rootClient(S3Client, n.toolsAccountId).send(new HeadBucketCommand({ Bucket: n.artifactStore.bucketName }))),
    ],
    [
      `tools rule ${n.events.toolsRule.name}`,
      exists(rootClient(EventBridgeClient, n.toolsAccountId).send(new DescribeRuleCommand({ Name: n.events.toolsRule.name }))),
    ],
    [
      `repo rule ${n.events.repoRule.name}`,
      exists(rootClient(EventBridgeClient, n.repoAccountId).send(new DescribeRuleCommand({ Name: n.events.repoRule.name }))),
    ],
    [
      `project ${n.codeBuild.projectName}`,
      n.codeBuild.createdByPortal
        ? rootClient(CodeBuildClient, n.toolsAccountId)
            .send(new BatchGetProjectsCommand({ names: [n.codeBuild.projectName] }))
            .then((r) => (r.projects ?? []).length > 0)
        : Promise.resolve(false),
    ],
    ...[n.roles.pipeline, n.roles.codeBuild, n.roles.startOnPush]
      .filter((r) => r !== null)
      .map((r): [string, Promise<boolean>] => [`tools role ${r.name}`, exists(toolsIam.send(new GetRoleCommand({ RoleName: r.name })))]),
    ...[n.roles.crossAccount, n.roles.forwardPush].map((r): [string, Promise<boolean>] => [
      `repo role ${r.name}`,
      exists(repoIam.send(new GetRoleCommand({ RoleName: r.name }))),
    ]),
  ];
  const results = await Promise.all(checks.map(([, p]) => p));
  return checks.filter((_, i) => results[i]).map(([name]) => name);
}
