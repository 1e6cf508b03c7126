/**
 * Opt-in notifications: the SNS topic (AWS's documented access policy for CodeStar Notifications, the email
 * subscriptions of the onboarding form) and the notification rule on the pipeline. Enabled only while the onboarding
 * opts in; when it opts out, the retire step deletes what these created (retire-unused.ts).
 */
import {
  CreateTopicCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import {
  notificationNames,
  createTopicInput,
  notificationTopicPolicy,
  NOTIFICATIONS_SERVICE_PRINCIPAL,
} from "@/lib/policies/notifications";
import { notificationTopicCli } from "@/lib/policies/cli-commands";
import { policyEquals } from "@/lib/policies/merge";
import type { OnboardingSpec } from "@/lib/policies/types";
import { readTopic, type TopicState } from "@/lib/notifications/topic";
import { assertMayConverge } from "../ownership";
import { actionFor, item, ownershipReason, plainDocument, policyDocument } from "../plan-item";
import type { StepContext, StepDefinition } from "@/lib/runs/types";
import { notificationRuleStep } from "./notification-rule";

export const notificationsEnabled = (spec: OnboardingSpec) => !!spec.notifications;
const namesOf = (ctx: StepContext) => notificationNames({ ...ctx.spec, partition: ctx.names.partition });

interface SubscriptionChange {
  add: string[];
  remove: { endpoint: string; arn: string }[];
  pending: string[];
}

/** Emails to subscribe, confirmed subscriptions to remove; pending ones cannot be removed (SNS lets them expire). */
function subscriptionChange(current: TopicState | null, emails: string[]): SubscriptionChange {
  const subs = (current?.subscriptions ?? []).filter((s) => s.protocol === "email");
  const want = new Set(emails.map((e) => e.toLowerCase()));
  return {
    add: emails.filter((e) => !subs.some((s) => s.endpoint.toLowerCase() === e.toLowerCase())),
    remove: subs.filter((s) => s.arn && !want.has(s.endpoint.toLowerCase())).map((s) => ({ endpoint: s.endpoint, arn: s.arn! })),
    pending: subs.filter((s) => !s.arn).map((s) => s.endpoint),
  };
}

const subscriptionView = (current: TopicState | null) =>
  current && current.subscriptions.map((s) => `${s.protocol} ${s.endpoint} (${s.arn ? "confirmed" : "pending confirmation"})`);

export const notificationTopicStep: StepDefinition = {
  key: "tools.notifications-topic",
  title: "Notifications topic (SNS)",
  account: "tools",
  dependsOn: [],
  enabled: notificationsEnabled,
  async plan(ctx) {
    const n = namesOf(ctx);
    const emails = ctx.spec.notifications?.emails ?? [];
    const current = await readTopic(ctx.clients.tools, n.topicArn, ctx.spec.onboardingId);
    const desired = notificationTopicPolicy(ctx.spec, n.topicArn);
    const policySame = !!current?.policy && policyEquals(current.policy, desired);
    const change = subscriptionChange(current, emails);
    const changed = !policySame || change.add.length > 0 || change.remove.length > 0;
    const reason = !current
      ? "does not exist"
      : (ownershipReason(current.ownership, current.marked) ??
        (!policySame
          ? `its access policy does not let ${NOTIFICATIONS_SERVICE_PRINCIPAL} publish as AWS documents: nothing would be delivered`
          : changed
            ? "email subscriptions differ"
            : "matches"));
    return item(notificationTopicStep, ctx, {
      kind: "sns-topic",
      name: n.topicName,
      arn: n.topicArn,
      action: actionFor(current?.ownership ?? null, changed),
      reason: change.pending.length && !changed ? `${reason}; awaiting confirmation by ${change.pending.join(", ")}` : reason,
      documents: [
        policyDocument("Topic access policy", current?.policy ?? null, desired),
        plainDocument(
          "Email subscriptions",
          subscriptionView(current),
          emails.map((e) => `email ${e}`),
          !change.add.length && !change.remove.length,
        ),
      ],
      cli: notificationTopicCli(ctx.spec, n, emails),
    });
  },
  async apply(ctx) {
    const n = namesOf(ctx);
    const sns = ctx.clients.tools.sns;
    const current = await readTopic(ctx.clients.tools, n.topicArn, ctx.spec.onboardingId);
    if (current)
      assertMayConverge(ctx, notificationTopicStep, current.ownership, `The SNS topic ${n.topicName}`, {
        marked: current.marked,
        account: ctx.names.toolsAccountId,
      });
    if (!current) await sns.send(new CreateTopicCommand(createTopicInput(ctx.spec, n)));
    else if (current.ownership !== "ours")
      await sns.send(new TagResourceCommand({ ResourceArn: n.topicArn, Tags: createTopicInput(ctx.spec, n).Tags }));
    const desired = notificationTopicPolicy(ctx.spec, n.topicArn);
    if (!current?.policy || !policyEquals(current.policy, desired)) {
      await sns.send(
        new SetTopicAttributesCommand({ TopicArn: n.topicArn, AttributeName: "Policy", AttributeValue: JSON.stringify(desired) }),
      );
    }
    const change = subscriptionChange(current, ctx.spec.notifications?.emails ?? []);
    for (const email of change.add) await sns.send(new SubscribeCommand({ TopicArn: n.topicArn, Protocol: "email", Endpoint: email }));
    for (const s of change.remove) await sns.send(new UnsubscribeCommand({ SubscriptionArn: s.arn }));
    return {
      topicArn: n.topicArn,
      topicName: n.topicName,
      subscribed: change.add.length,
      origin: !current || current.ownership === "ours" ? "created" : "adopted",
    };
  },
};

export { notificationRuleStep };
