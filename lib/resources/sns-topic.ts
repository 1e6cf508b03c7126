import { GetTopicAttributesCommand, ListTagsForResourceCommand } from "@aws-sdk/client-sns";
import { deleteNotificationTopic, readTopic } from "@/lib/notifications/topic";
import { isAwsError } from "@/lib/core/aws-errors";
import type { LedgerRow, StepContext } from "@/lib/runs/types";
import { judged, MISSING, pairsOf } from "./common";
import { consoleUrlForArn } from "./console-url";
import { CREATE_TAGGED, MANAGED, PORTAL_CREATED } from "./grant-conditions";
import type { Inspection, ResourceKind } from "./types";

const topics = (a: string, p: string) => `arn:${p}:sns:*:${a}:crossline-*`;

async function inspectTopic(ctx: StepContext, r: LedgerRow): Promise<Inspection> {
  const sns = ctx.clients.tools.sns;
  try {
    await sns.send(new GetTopicAttributesCommand({ TopicArn: r.arn }));
  } catch (e) {
    if (isAwsError(e, "NotFoundException", "NotFound")) return MISSING;
    throw e;
  }
  const tags = await sns.send(new ListTagsForResourceCommand({ ResourceArn: r.arn }));
  return judged(ctx, r.arn, r.arn, pairsOf(tags.Tags));
}

/** The pipeline's notification topic (tools.notifications-topic, named crossline-*); its email subscriptions go with it. */
export const snsTopic: ResourceKind = {
  kind: "sns-topic",
  label: "SNS topic",
  service: "SNS",
  console: { url: consoleUrlForArn, example: "arn:aws:sns:us-east-1:111111111111:crossline-demo-service-main" },
  grants: [
    {
      section: "tools-inline",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "ReadTopics",
        Effect: "Allow",
        Action: ["sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource"],
        Resource: topics(a, p),
      }),
    },
    {
      section: "tools-inline",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "NewTopics",
        Effect: "Allow",
        Action: ["sns:CreateTopic", "sns:TagResource"],
        Resource: topics(a, p),
        Condition: CREATE_TAGGED,
      }),
    },
    {
      section: "tools-inline",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "EditTopics",
        Effect: "Allow",
        Action: ["sns:SetTopicAttributes", "sns:Subscribe", "sns:Unsubscribe"],
        Resource: topics(a, p),
        Condition: { StringEquals: MANAGED },
      }),
    },
    {
      section: "tools-inline",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "DropTopics",
        Effect: "Allow",
        Action: "sns:DeleteTopic",
        Resource: topics(a, p),
        Condition: PORTAL_CREATED,
      }),
    },
  ],
  applySteps: ["tools.notifications-topic"],
  ledgerEntry: (stepKey, ctx, out) =>
    stepKey === "tools.notifications-topic"
      ? { accountId: ctx.names.toolsAccountId, kind: "sns-topic", name: String(out.topicName), arn: String(out.topicArn), shared: false }
      : null,
  inspect: inspectTopic,
  async delete(ctx, r) {
    const got = await readTopic(ctx.clients.tools, r.arn, ctx.spec.onboardingId);
    if (!got || got.ownership !== "ours") return;
    await deleteNotificationTopic(ctx.clients.tools, r.arn);
  },
};
