// Opt-in notifications end to end, through the portal's runner and the provisioning role's real grants: with
// notifications on, a pending approval and a failed execution each reach the subscribed (confirmed) email address
// through SNS, naming the pipeline and the execution; without the topic policy's statement for CodeStar
// Notifications nothing is delivered and the plan says why; turning notifications off deletes the rule and the topic.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CodePipelineClient,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
  PutApprovalResultCommand,
  StopPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import { CodestarNotificationsClient, DescribeNotificationRuleCommand } from "@aws-sdk/client-codestar-notifications";
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, SetTopicAttributesCommand, SNSClient } from "@aws-sdk/client-sns";
import { db } from "@/lib/db";
import { createOnboarding, planOnboarding, startApply, updateOnboarding } from "@/lib/onboarding/service";
import { claimRun, executeRun } from "@/lib/worker-main/runner";
import { notificationNames } from "@/lib/policies/notifications";
import { createRepository, ctxFor, endpoint, freshAccountId, registerAccount, rootClient, setFaults, testUser } from "../support/world";

const REPO = "222222222222";
const fastRetry = { retryableBudgetMs: 60_000, propagationBudgetMs: 60_000, baseDelayMs: 50, maxDelayMs: 2_000 };
const EMAIL = "oncall@example.com";

let engineer: Awaited<ReturnType<typeof testUser>>;
let repoDbId: string;
const ctx = () => ctxFor(engineer);

beforeAll(async () => {
  engineer = await testUser("engineer");
  repoDbId = (await registerAccount(REPO, "repo", "Demo repo")).id;
  await setFaults({ actionMs: 50 });
});
afterAll(async () => {
  await setFaults({});
});

async function apply(onboardingId: string) {
  const run = await startApply(onboardingId, ctx());
  expect(await claimRun(run.id, "notifications-test")).toBe(true);
  const outcome = await executeRun(run.id, { workerId: "notifications-test", retry: fastRetry, heartbeatMs: 200 });
  const failures = (await db.runStep.findMany({ where: { runId: run.id, status: "failed" } })).map(
    (s) => `${s.stepKey}: ${s.errorMessage}`,
  );
  expect({ outcome, failures }).toEqual({ outcome: "succeeded", failures: [] });
  return run.id;
}

interface Delivery {
  topicArn: string;
  type: string;
  endpoint: string;
  message: string;
  publishedBy: string;
}
const deliveries = async (topicArn: string) =>
  ((await (await fetch(`${endpoint()}/_sandbox/sns/deliveries`)).json()) as Delivery[]).filter((d) => d.topicArn === topicArn);
const notificationsFor = async (topicArn: string, executionId: string) =>
  (await deliveries(topicArn)).filter((d) => d.type === "Notification" && JSON.parse(d.message).detail?.["execution-id"] === executionId);

async function until<T>(fn: () => Promise<T>, pred: (v: T) => boolean, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (pred(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 1500)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function push(repositoryName: string, message: string): Promise<string> {
  const r = await fetch(`${endpoint()}/_sandbox/push`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ account: REPO, region: "us-east-1", repositoryName, branchName: "main", message, author: "Tester" }),
  });
  const body = (await r.json()) as { pipelineExecutionIds: string[] };
  expect(body.pipelineExecutionIds).toHaveLength(1);
  return body.pipelineExecutionIds[0];
}

/** Approves the execution once its approval is pending. */
async function approve(cp: CodePipelineClient, pipelineName: string, executionId: string) {
  const s = await until(
    () => cp.send(new GetPipelineStateCommand({ name: pipelineName })),
    (st) => {
      const a = st.stageStates?.find((x) => x.stageName === "Approval");
      return a?.latestExecution?.pipelineExecutionId === executionId && a.actionStates?.[0]?.latestExecution?.status === "InProgress";
    },
    `approval of ${executionId}`,
  );
  const token = s.stageStates!.find((x) => x.stageName === "Approval")!.actionStates![0].latestExecution!.token!;
  await cp.send(
    new PutApprovalResultCommand({
      pipelineName,
      stageName: "Approval",
      actionName: "Approve",
      token,
      result: { status: "Approved", summary: "ok" },
    }),
  );
}

describe("notifications of failed runs and pending approvals", () => {
  let toolsId: string;
  let onboardingId: string;
  let repositoryName: string;
  let pipelineName: string;
  let topicArn: string;
  let ruleArn: string;
  let cp: CodePipelineClient;
  let sns: SNSClient;

  beforeAll(async () => {
    toolsId = freshAccountId(6);
    const tools = await registerAccount(toolsId, "tools");
    repositoryName = `notify-${Date.now().toString(36)}`;
    await createRepository(REPO, repositoryName);
    pipelineName = `${repositoryName}-main`;
    const o = await createOnboarding(
      {
        toolsAccountId: tools.id,
        repoAccountId: repoDbId,
        region: "us-east-1",
        repositoryName,
        branchName: "main",
        pipelineName,
        pipelineType: "V1",
        buildMode: "create",
        buildProject: `${pipelineName}-build`,
        approval: true,
        notifications: true,
        notificationEmails: [EMAIL],
      },
      ctx(),
    );
    onboardingId = o.id;
    await apply(o.id);
    cp = rootClient(CodePipelineClient, toolsId);
    sns = rootClient(SNSClient, toolsId);
    // The execution CreatePipeline started would hold the Approval stage: abandon it, so each test drives its own.
    for (const e of (await cp.send(new ListPipelineExecutionsCommand({ pipelineName }))).pipelineExecutionSummaries ?? []) {
      if (e.status === "InProgress")
        await cp.send(
          new StopPipelineExecutionCommand({
            pipelineName,
            pipelineExecutionId: e.pipelineExecutionId,
            abandon: true,
            reason: "test setup",
          }),
        );
    }
  }, 120_000);

  it("the apply creates the tagged topic with AWS's policy, subscribes the address (pending confirmation), creates the rule, and records both", async () => {
    const o = await db.onboarding.findUniqueOrThrow({ where: { id: onboardingId }, include: { resources: true } });
    topicArn = notificationNames({ pipelineName, region: "us-east-1", toolsAccountId: toolsId }).topicArn;
    expect(o.notificationTopicArn).toBe(topicArn);
    const kinds = Object.fromEntries(
      o.resources.filter((r) => r.kind === "sns-topic" || r.kind === "notification-rule").map((r) => [r.kind, r]),
    );
    expect(kinds["sns-topic"]).toMatchObject({ arn: topicArn, origin: "created" });
    ruleArn = kinds["notification-rule"].arn;
    const policy = JSON.parse((await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes!.Policy!);
    expect(policy.Statement).toEqual([
      {
        Sid: "AWSCodeStarNotifications_publish",
        Effect: "Allow",
        Principal: { Service: "codestar-notifications.amazonaws.com" },
        Action: "SNS:Publish",
        Resource: topicArn,
        Condition: { StringEquals: { "aws:SourceAccount": toolsId } },
      },
    ]);
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions!;
    expect(subs.map((s) => [s.Endpoint, s.SubscriptionArn])).toEqual([[EMAIL, "PendingConfirmation"]]);
    const rule = await rootClient(CodestarNotificationsClient, toolsId).send(new DescribeNotificationRuleCommand({ Arn: ruleArn }));
    expect(rule.Targets).toEqual([{ TargetType: "SNS", TargetAddress: topicArn, TargetStatus: "ACTIVE" }]);
    expect(rule.Tags).toEqual({ "portal:managed-by": "crossline-portal", "portal:onboarding": onboardingId });

    // The recipient follows the link in the confirmation email.
    const confirmation = (await deliveries(topicArn)).find((d) => d.type === "SubscriptionConfirmation" && d.endpoint === EMAIL)!;
    const r = await fetch(`${endpoint()}/_sandbox/sns/confirm`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: JSON.parse(confirmation.message).Token }),
    });
    expect(r.status).toBe(200);
  });

  it("a pending approval and then a failed execution each produce an SNS delivery to the subscribed address, naming the pipeline and execution", async () => {
    const id = await push(repositoryName, "Break the tests [fail]");
    const [pending] = await until(
      () => notificationsFor(topicArn, id),
      (d) => d.length >= 1,
      "the approval notification",
    );
    expect(pending).toMatchObject({ endpoint: EMAIL, publishedBy: "codestar-notifications.amazonaws.com" });
    expect(JSON.parse(pending.message)).toMatchObject({
      detailType: "CodePipeline Action Execution State Change",
      notificationRuleArn: ruleArn,
      detail: { pipeline: pipelineName, "execution-id": id, stage: "Approval", state: "STARTED", type: { category: "Approval" } },
    });
    await approve(cp, pipelineName, id);
    const both = await until(
      () => notificationsFor(topicArn, id),
      (d) => d.length >= 2,
      "the failure notification",
    );
    expect(both).toHaveLength(2);
    expect(both[1].endpoint).toBe(EMAIL);
    expect(JSON.parse(both[1].message)).toMatchObject({
      detailType: "CodePipeline Pipeline Execution State Change",
      resources: [`arn:aws:codepipeline:us-east-1:${toolsId}:${pipelineName}`],
      detail: { pipeline: pipelineName, "execution-id": id, state: "FAILED" },
      additionalAttributes: { failedStage: "Build" },
    });
  });

  it("without the topic policy's statement nothing is delivered, and the plan shows the policy and the unreachable target", async () => {
    // Someone replaces the topic policy by hand with one that leaves the service out.
    const ownerOnly = {
      Version: "2012-10-17",
      Statement: [
        { Sid: "Owner", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${toolsId}:root` }, Action: "SNS:Publish", Resource: topicArn },
      ],
    };
    await sns.send(
      new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: "Policy", AttributeValue: JSON.stringify(ownerOnly) }),
    );
    const id = await push(repositoryName, "Another try [fail]");
    await approve(cp, pipelineName, id);
    const decided = await until(
      async () =>
        (
          (await (await fetch(`${endpoint()}/_sandbox/notifications/decisions`)).json()) as {
            executionId: string;
            delivered: boolean;
            reason: string;
          }[]
        ).filter((d) => d.executionId === id),
      (d) => d.length >= 2,
      "both decisions",
    );
    expect(decided.map((d) => d.delivered)).toEqual([false, false]);
    expect(await notificationsFor(topicArn, id)).toEqual([]);

    const plan = await planOnboarding(onboardingId, ctx());
    const topic = plan.items.find((i) => i.stepKey === "tools.notifications-topic")!;
    const rule = plan.items.find((i) => i.stepKey === "tools.notifications-rule")!;
    expect(topic.action).toBe("update");
    expect(topic.reason).toContain("does not let codestar-notifications.amazonaws.com publish");
    expect(topic.documents[0].diff).toContain("AWSCodeStarNotifications_publish");
    expect(rule.action).toBe("update");
    expect(rule.reason).toContain("UNREACHABLE");

    // Re-applying restores the statement: the next failure is delivered again.
    await apply(onboardingId);
    const again = await push(repositoryName, "Third try [fail]");
    await until(
      () => notificationsFor(topicArn, again),
      (d) => d.length >= 1,
      "the approval notification after the repair",
    );
  }, 60_000);

  it("turning notifications off: the plan lists the rule and the topic for deletion, the apply deletes them", async () => {
    await updateOnboarding(
      {
        id: onboardingId,
        branchName: "main",
        pipelineType: "V1",
        buildMode: "create",
        buildProject: `${pipelineName}-build`,
        approval: true,
        notifications: false,
        notificationEmails: [],
      },
      ctx(),
    );
    const plan = await planOnboarding(onboardingId, ctx());
    expect(plan.items.some((i) => i.stepKey.startsWith("tools.notifications-"))).toBe(false);
    // One "delete" item per retired resource.
    const retired = plan.items.filter((i) => i.stepKey === "tools.retire-unused" && i.action === "delete");
    expect(retired.map((i) => i.kind).sort()).toEqual(["notification-rule", "sns-topic"]);

    await apply(onboardingId);
    const rules = rootClient(CodestarNotificationsClient, toolsId);
    await expect(rules.send(new DescribeNotificationRuleCommand({ Arn: ruleArn }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
    await expect(sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).rejects.toMatchObject({ name: "NotFoundException" });
    const o = await db.onboarding.findUniqueOrThrow({ where: { id: onboardingId }, include: { resources: true } });
    expect(o.notificationTopicArn).toBeNull();
    expect(o.resources.filter((r) => r.kind === "sns-topic" || r.kind === "notification-rule")).toEqual([]);
  }, 60_000);
});
