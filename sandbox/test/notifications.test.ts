/**
 * SNS and CodeStar Notifications semantics: topics (idempotent by name, tags, access policy), email subscriptions
 * (pending until confirmed), notification rules on a pipeline, and deliveries when an execution fails or an approval
 * becomes pending: only through a topic whose policy allows codestar-notifications.amazonaws.com.
 */
import {
  CodestarNotificationsClient,
  CreateNotificationRuleCommand,
  DeleteNotificationRuleCommand,
  DescribeNotificationRuleCommand,
  ListNotificationRulesCommand,
  UpdateNotificationRuleCommand,
} from "@aws-sdk/client-codestar-notifications";
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand,
  SNSClient,
  SetTopicAttributesCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import { PutApprovalResultCommand } from "@aws-sdk/client-codepipeline";
import { afterEach, describe, expect, it } from "vitest";
import { createTopicInput, notificationNames, notificationRuleInput, notificationTopicPolicy } from "@/lib/policies/notifications";
import type { SandboxHandle } from "../index";
import { root } from "./clients";
import { failure } from "./clients";
import { type Provisioned, TOOLS, approvalToken, names, provision, push, spec, waitFor, waitStatus } from "./pipeline-exec-world";

let w: Provisioned | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const n = notificationNames(spec);
const cfg = (h: SandboxHandle) => ({ endpoint: h.url, region: spec.region, credentials: root(TOOLS), maxAttempts: 1 });
const sns = (h: SandboxHandle) => new SNSClient(cfg(h));
const csn = (h: SandboxHandle) => new CodestarNotificationsClient(cfg(h));

interface Delivery {
  topicArn: string;
  type: string;
  endpoint: string;
  subject: string;
  message: string;
  publishedBy: string;
}
const deliveries = async (h: SandboxHandle) => (await (await fetch(`${h.url}/_sandbox/sns/deliveries`)).json()) as Delivery[];
const decisions = async (h: SandboxHandle) =>
  (await (await fetch(`${h.url}/_sandbox/notifications/decisions`)).json()) as {
    eventTypeId: string;
    executionId: string;
    delivered: boolean;
    reason: string;
  }[];
async function confirm(h: SandboxHandle, email: string) {
  const c = (await deliveries(h)).filter((d) => d.type === "SubscriptionConfirmation" && d.endpoint === email).at(-1)!;
  const r = await fetch(`${h.url}/_sandbox/sns/confirm`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: JSON.parse(c.message).Token }),
  });
  expect(r.status).toBe(200);
}
const approve = (p: Provisioned, token: string) =>
  p.tools.cp.send(
    new PutApprovalResultCommand({
      pipelineName: spec.pipelineName,
      stageName: "Approval",
      actionName: "Approve",
      token,
      result: { status: "Approved", summary: "ok" },
    }),
  );
const notifications = async (h: SandboxHandle) => (await deliveries(h)).filter((d) => d.type === "Notification");

describe("SNS topics and email subscriptions", () => {
  it("CreateTopic is idempotent by name, refuses other tags, and starts with AWS's owner-only default policy", async () => {
    w = await provision();
    const c = sns(w.h);
    const a = await c.send(new CreateTopicCommand(createTopicInput(spec, n)));
    expect(a.TopicArn).toBe(n.topicArn);
    expect((await c.send(new CreateTopicCommand(createTopicInput(spec, n)))).TopicArn).toBe(n.topicArn);
    const other = await failure(
      c.send(new CreateTopicCommand({ Name: n.topicName, Tags: [{ Key: "portal:onboarding", Value: "someone-else" }] })),
    );
    expect(other.name).toBe("InvalidParameterException");
    const attrs = (await c.send(new GetTopicAttributesCommand({ TopicArn: n.topicArn }))).Attributes!;
    expect(JSON.parse(attrs.Policy!).Statement[0].Condition).toEqual({ StringEquals: { "AWS:SourceOwner": TOOLS } });
    expect((await c.send(new ListTagsForResourceCommand({ ResourceArn: n.topicArn }))).Tags).toEqual(createTopicInput(spec, n).Tags);
    const bad = await failure(
      c.send(new SetTopicAttributesCommand({ TopicArn: n.topicArn, AttributeName: "Policy", AttributeValue: "{not json" })),
    );
    expect(bad.name).toBe("InvalidParameterException");
    const kms = await failure(
      c.send(new SetTopicAttributesCommand({ TopicArn: n.topicArn, AttributeName: "KmsMasterKeyId", AttributeValue: "alias/aws/sns" })),
    );
    expect(kms.message).toContain("does not model");
  });

  it("an email subscription is pending until the recipient confirms; only then can it be removed by ARN", async () => {
    w = await provision();
    const c = sns(w.h);
    await c.send(new CreateTopicCommand(createTopicInput(spec, n)));
    expect(
      (await c.send(new SubscribeCommand({ TopicArn: n.topicArn, Protocol: "email", Endpoint: "ops@example.com" }))).SubscriptionArn,
    ).toBe("pending confirmation");
    expect(
      (await failure(c.send(new SubscribeCommand({ TopicArn: n.topicArn, Protocol: "email", Endpoint: "not-an-address" })))).name,
    ).toBe("InvalidParameterException");
    expect(
      (await failure(c.send(new SubscribeCommand({ TopicArn: n.topicArn, Protocol: "https", Endpoint: "https://example.com" })))).name,
    ).toBe("InvalidParameterException");
    let subs = (await c.send(new ListSubscriptionsByTopicCommand({ TopicArn: n.topicArn }))).Subscriptions!;
    expect(subs.map((s) => [s.Endpoint, s.SubscriptionArn])).toEqual([["ops@example.com", "PendingConfirmation"]]);
    await confirm(w.h, "ops@example.com");
    subs = (await c.send(new ListSubscriptionsByTopicCommand({ TopicArn: n.topicArn }))).Subscriptions!;
    expect(subs[0].SubscriptionArn).toMatch(new RegExp(`^${n.topicArn}:`));
    await c.send(new UnsubscribeCommand({ SubscriptionArn: subs[0].SubscriptionArn }));
    expect((await c.send(new ListSubscriptionsByTopicCommand({ TopicArn: n.topicArn }))).Subscriptions).toEqual([]);
    await c.send(new DeleteTopicCommand({ TopicArn: n.topicArn }));
    await c.send(new DeleteTopicCommand({ TopicArn: n.topicArn })); // a missing topic is not an error
    expect((await failure(c.send(new GetTopicAttributesCommand({ TopicArn: n.topicArn })))).name).toBe("NotFoundException");
  });
});

describe("CodeStar Notifications rules on a pipeline", () => {
  it("a failed execution and a pending approval reach confirmed email subscribers only when the topic policy allows the service", async () => {
    w = await provision();
    const c = sns(w.h);
    const rules = csn(w.h);
    await c.send(new CreateTopicCommand(createTopicInput(spec, n)));
    await c.send(new SubscribeCommand({ TopicArn: n.topicArn, Protocol: "email", Endpoint: "ops@example.com" }));
    await c.send(new SubscribeCommand({ TopicArn: n.topicArn, Protocol: "email", Endpoint: "pending@example.com" }));
    await confirm(w.h, "ops@example.com");
    const { Arn } = await rules.send(new CreateNotificationRuleCommand(notificationRuleInput(spec, n, names.pipeline.arn)));
    expect(Arn).toMatch(/^arn:aws:codestar-notifications:us-east-1:111111111111:notificationrule\/[0-9a-f]{40}$/);

    // The default policy does not allow the service: the target is unreachable and a failure delivers nothing.
    expect((await rules.send(new DescribeNotificationRuleCommand({ Arn }))).Targets).toEqual([
      { TargetType: "SNS", TargetAddress: n.topicArn, TargetStatus: "UNREACHABLE" },
    ]);
    const first = (await push(w.h, "Broken [fail]")).body.pipelineExecutionIds[0];
    await approve(w, await approvalToken(w.tools.cp, first));
    await waitStatus(w.tools.cp, first, "Failed");
    const d1 = await waitFor(
      () => decisions(w!.h),
      (d) => d.filter((x) => x.executionId === first).length === 2,
      5000,
      "decisions",
    );
    expect(d1.map((x) => [x.eventTypeId, x.delivered])).toEqual([
      ["codepipeline-pipeline-manual-approval-needed", false],
      ["codepipeline-pipeline-pipeline-execution-failed", false],
    ]);
    expect(d1[0].reason).toContain("does not allow codestar-notifications.amazonaws.com to sns:Publish");
    expect(await notifications(w.h)).toEqual([]);

    // AWS's documented statement: now the service may publish.
    await c.send(
      new SetTopicAttributesCommand({
        TopicArn: n.topicArn,
        AttributeName: "Policy",
        AttributeValue: JSON.stringify(notificationTopicPolicy(spec, n.topicArn)),
      }),
    );
    expect((await rules.send(new DescribeNotificationRuleCommand({ Arn }))).Targets![0].TargetStatus).toBe("ACTIVE");
    const second = (await push(w.h, "Broken again [fail]")).body.pipelineExecutionIds[0];
    const token = await approvalToken(w.tools.cp, second);
    const [pending] = await waitFor(
      () => notifications(w!.h),
      (d) => d.length >= 1,
      5000,
      "approval delivery",
    );
    expect(pending).toMatchObject({
      topicArn: n.topicArn,
      endpoint: "ops@example.com",
      publishedBy: "codestar-notifications.amazonaws.com",
      subject: "AWS Notification Message",
    });
    const approval = JSON.parse(pending.message);
    expect(approval).toMatchObject({
      detailType: "CodePipeline Action Execution State Change",
      notificationRuleArn: Arn,
      resources: [names.pipeline.arn],
    });
    expect(approval.detail).toMatchObject({
      pipeline: spec.pipelineName,
      "execution-id": second,
      stage: "Approval",
      action: "Approve",
      state: "STARTED",
    });

    await approve(w, token);
    await waitStatus(w.tools.cp, second, "Failed");
    const all = await waitFor(
      () => notifications(w!.h),
      (d) => d.length >= 2,
      5000,
      "failure delivery",
    );
    const m = JSON.parse(all[1].message);
    expect(m).toMatchObject({ detailType: "CodePipeline Pipeline Execution State Change", notificationRuleArn: Arn });
    expect(m.detail).toMatchObject({ pipeline: spec.pipelineName, "execution-id": second, state: "FAILED" });
    expect(m.additionalAttributes.failedStage).toBe("Build");
    expect(all).toHaveLength(2);
    // The pending subscription received only its confirmation request.
    expect(all.filter((d) => d.endpoint === "pending@example.com")).toEqual([]);
  }, 30_000);

  it("names are unique per account, a missing pipeline is not found, unmodelled event types fail closed, delete is idempotent", async () => {
    w = await provision();
    const rules = csn(w.h);
    await sns(w.h).send(new CreateTopicCommand(createTopicInput(spec, n)));
    const input = notificationRuleInput(spec, n, names.pipeline.arn);
    const { Arn } = await rules.send(new CreateNotificationRuleCommand({ ...input, ClientRequestToken: "tok-1" }));
    expect((await rules.send(new CreateNotificationRuleCommand({ ...input, ClientRequestToken: "tok-1" }))).Arn).toBe(Arn);
    expect((await failure(rules.send(new CreateNotificationRuleCommand({ ...input, ClientRequestToken: "tok-2" })))).name).toBe(
      "ResourceAlreadyExistsException",
    );
    expect(
      (await failure(rules.send(new CreateNotificationRuleCommand({ ...input, Name: "other", Resource: `${names.pipeline.arn}-missing` }))))
        .name,
    ).toBe("ResourceNotFoundException");
    expect(
      (
        await failure(
          rules.send(
            new CreateNotificationRuleCommand({ ...input, Name: "other", EventTypeIds: ["codepipeline-pipeline-stage-execution-started"] }),
          ),
        )
      ).message,
    ).toContain("models only");
    const listed = await rules.send(new ListNotificationRulesCommand({ Filters: [{ Name: "RESOURCE", Value: names.pipeline.arn }] }));
    expect(listed.NotificationRules).toEqual([{ Id: Arn!.split("/")[1], Arn }]);
    await rules.send(new UpdateNotificationRuleCommand({ Arn, Status: "DISABLED" }));
    const described = await rules.send(new DescribeNotificationRuleCommand({ Arn }));
    expect([described.Status, described.Name, described.DetailType, described.Tags]).toEqual(["DISABLED", n.ruleName, "FULL", input.Tags]);
    await rules.send(new DeleteNotificationRuleCommand({ Arn }));
    await rules.send(new DeleteNotificationRuleCommand({ Arn }));
    expect((await failure(rules.send(new DescribeNotificationRuleCommand({ Arn })))).name).toBe("ResourceNotFoundException");
  });
});
