// Answering another team's pipeline (issue 17, item 5): whoever holds the provisioning role tries, over the wire against
// the sandbox, to approve a pending production gate and to retry a failed stage of a pipeline the portal did not
// create, and to claim resources an administrator marked portal:managed-by=none. Each attempt is refused and the
// pipeline is left as it was; the same calls on a pipeline carrying the portal's tag still work.
import { beforeAll, describe, expect, it } from "vitest";
import {
  CodePipelineClient,
  CreatePipelineCommand,
  GetPipelineStateCommand,
  ListTagsForResourceCommand,
  PutApprovalResultCommand,
  RetryStageExecutionCommand,
  TagResourceCommand as PipelineTagResourceCommand,
  type ActionState,
} from "@aws-sdk/client-codepipeline";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateKeyCommand, KMSClient, ListResourceTagsCommand, TagResourceCommand as KmsTagResourceCommand } from "@aws-sdk/client-kms";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { accountClients, type AccountClients } from "@/lib/aws/clients";
import { ensureSandboxProvisioningRole, demoRoleArn } from "@/lib/demo/sandbox-world";
import { createRepository, endpoint, freshAccountId, rootClient } from "../support/world";
import { awsRefusal } from "../support/refusal";

const PORTAL_TAGS = [
  { key: "portal:managed-by", value: "crossline-portal" },
  { key: "portal:onboarding", value: "claimed" },
];

let tools: string;
let as: AccountClients;
let root: CodePipelineClient;
const REPO = "payments-service";
const BUCKET = () => `team-artifacts-${tools}`;

/** A team's pipeline created by the account root (not the portal): CodeCommit source, then a manual approval gate. */
async function teamPipeline(name: string, tags: { key: string; value: string }[], branch = "main") {
  await root.send(
    new CreatePipelineCommand({
      pipeline: {
        name,
        roleArn: `arn:aws:iam::${tools}:role/team-pipeline-role`,
        artifactStore: { type: "S3", location: BUCKET() },
        stages: [
          {
            name: "Source",
            actions: [
              {
                name: "Source",
                actionTypeId: { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" },
                configuration: { RepositoryName: REPO, BranchName: branch, PollForSourceChanges: "false" },
                outputArtifacts: [{ name: "SourceOutput" }],
              },
            ],
          },
          {
            name: "ProductionGate",
            actions: [{ name: "Approve", actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" } }],
          },
        ],
      },
      tags,
    }),
  );
}

async function until<T>(read: () => Promise<T>, ok: (t: T) => boolean, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const state = (name: string) => root.send(new GetPipelineStateCommand({ name }));
const gate = async (name: string): Promise<ActionState | undefined> =>
  (await state(name)).stageStates?.find((s) => s.stageName === "ProductionGate")?.actionStates?.[0];
const pendingGate = (name: string) =>
  until(
    () => gate(name),
    (a) => a?.latestExecution?.status === "InProgress" && !!a.latestExecution.token,
    `${name}'s pending approval`,
  );
const approve = (c: CodePipelineClient, name: string, token: string) =>
  c.send(
    new PutApprovalResultCommand({
      pipelineName: name,
      stageName: "ProductionGate",
      actionName: "Approve",
      token,
      result: { status: "Approved", summary: "ship it" },
    }),
  );

beforeAll(async () => {
  tools = freshAccountId(8);
  await ensureSandboxProvisioningRole({ endpoint: endpoint(), accountId: tools, purpose: "both", externalId: `ext-${tools}` });
  as = accountClients({ roleArn: demoRoleArn(tools), externalId: `ext-${tools}`, actorEmail: "mallory@example.com", region: "us-east-1" });
  root = rootClient(CodePipelineClient, tools);
  // The team's own setup, all by the account root: repository, artifact bucket, and a pipeline role that may do anything.
  await createRepository(tools, REPO);
  await rootClient(S3Client, tools).send(new CreateBucketCommand({ Bucket: BUCKET() }));
  const iam = rootClient(IAMClient, tools);
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "codepipeline.amazonaws.com" }, Action: "sts:AssumeRole" }],
  };
  await iam.send(new CreateRoleCommand({ RoleName: "team-pipeline-role", AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const all = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
  await iam.send(new PutRolePolicyCommand({ RoleName: "team-pipeline-role", PolicyName: "all", PolicyDocument: JSON.stringify(all) }));
});

describe("answering a pipeline the portal did not create", () => {
  it("PutApprovalResult on a team's pending production gate (token read by its owner) is refused; the gate stays pending until the pipeline carries the portal's tag", async () => {
    await teamPipeline("payments-prod", [{ key: "team", value: "payments" }]);
    const pending = await pendingGate("payments-prod");
    const token = pending!.latestExecution!.token!;
    expect(await awsRefusal(approve(as.codepipeline, "payments-prod", token))).toMatch(/AccessDenied/);
    expect((await gate("payments-prod"))?.latestExecution).toMatchObject({ status: "InProgress", token });
    // The tag is all that stands between: once it is the portal's pipeline, the same call with the same token is answered.
    await root.send(
      new PipelineTagResourceCommand({ resourceArn: `arn:aws:codepipeline:us-east-1:${tools}:payments-prod`, tags: PORTAL_TAGS }),
    );
    await approve(as.codepipeline, "payments-prod", token);
    expect((await gate("payments-prod"))?.latestExecution?.status).toBe("Succeeded");
  });

  it("an untagged team pipeline's gate is refused too", async () => {
    await teamPipeline("ledger-prod", []);
    const token = (await pendingGate("ledger-prod"))!.latestExecution!.token!;
    expect(await awsRefusal(approve(as.codepipeline, "ledger-prod", token))).toMatch(/AccessDenied/);
    expect((await gate("ledger-prod"))?.latestExecution?.status).toBe("InProgress");
  });

  it("RetryStageExecution on a failed stage of a team's pipeline is refused; the stage stays Failed", async () => {
    // No such branch: the Source stage fails.
    await teamPipeline("payments-broken", [{ key: "team", value: "payments" }], "release");
    const failed = await until(
      () => state("payments-broken"),
      (s) => s.stageStates?.find((x) => x.stageName === "Source")?.latestExecution?.status === "Failed",
      "the Source stage to fail",
    );
    const id = failed.stageStates!.find((x) => x.stageName === "Source")!.latestExecution!.pipelineExecutionId!;
    const retry = (c: CodePipelineClient) =>
      c.send(
        new RetryStageExecutionCommand({
          pipelineName: "payments-broken",
          stageName: "Source",
          pipelineExecutionId: id,
          retryMode: "FAILED_ACTIONS",
        }),
      );
    expect(await awsRefusal(retry(as.codepipeline))).toMatch(/AccessDenied/);
    expect((await state("payments-broken")).stageStates?.find((x) => x.stageName === "Source")?.latestExecution?.status).toBe("Failed");
    // Its owner still may (the refusal is the role's, not the pipeline's state).
    expect((await retry(root)).pipelineExecutionId).toBe(id);
  });
});

describe("resources an administrator marked portal:managed-by=none", () => {
  it("a pipeline so marked cannot be tagged with the portal's tags; the mark stays", async () => {
    await teamPipeline("payments-optout", [{ key: "portal:managed-by", value: "none" }]);
    const arn = `arn:aws:codepipeline:us-east-1:${tools}:payments-optout`;
    expect(await awsRefusal(as.codepipeline.send(new PipelineTagResourceCommand({ resourceArn: arn, tags: PORTAL_TAGS })))).toMatch(
      /AccessDenied/,
    );
    expect((await root.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([
      { key: "portal:managed-by", value: "none" },
    ]);
  });

  it("a portal key so marked cannot be re-tagged, even though its key policy still names the role", async () => {
    const kmsRoot = rootClient(KMSClient, tools);
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${tools}:root` }, Action: "kms:*", Resource: "*" },
        {
          Sid: "PortalProvisioningRoleAdministers",
          Effect: "Allow",
          Principal: { AWS: demoRoleArn(tools) },
          Action: ["kms:PutKeyPolicy", "kms:TagResource"],
          Resource: "*",
        },
      ],
    });
    const key = (
      await as.kms.send(new CreateKeyCommand({ Policy: policy, Tags: PORTAL_TAGS.map((t) => ({ TagKey: t.key, TagValue: t.value })) }))
    ).KeyMetadata!;
    // The administrator takes the key out of the portal's reach.
    await kmsRoot.send(new KmsTagResourceCommand({ KeyId: key.Arn!, Tags: [{ TagKey: "portal:managed-by", TagValue: "none" }] }));
    const reclaim = [{ TagKey: "portal:managed-by", TagValue: "crossline-portal" }];
    expect(await awsRefusal(as.kms.send(new KmsTagResourceCommand({ KeyId: key.Arn!, Tags: reclaim })))).toMatch(/AccessDenied/);
    const tags = (await kmsRoot.send(new ListResourceTagsCommand({ KeyId: key.Arn! }))).Tags;
    expect(tags?.find((t) => t.TagKey === "portal:managed-by")?.TagValue).toBe("none");
  });
});
