/** The notifications SNS topic as AWS has it, and its idempotent deleter (teardown, notifications turned off). */
import {
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-sns";
import type { AccountClients } from "@/lib/aws/clients";
import { markedManaged, ownershipOf, type Ownership } from "@/lib/policies/common";
import { parsePolicyDocument } from "@/lib/policies/merge";
import type { PolicyDocument } from "@/lib/policies/types";
import { deleteUnlessGone, isAwsError } from "@/lib/core/aws-errors";

export interface TopicSubscription {
  endpoint: string;
  protocol: string;
  /** null while the recipient has not confirmed (SNS lists it as "PendingConfirmation"). */
  arn: string | null;
}

export interface TopicState {
  arn: string;
  policy: PolicyDocument | null;
  ownership: Ownership;
  marked: boolean;
  subscriptions: TopicSubscription[];
}

type Clients = Pick<AccountClients, "sns">;

/** Email subscriptions of a topic, confirmed or pending (one page of 100 is all a portal topic ever holds). */
export async function topicSubscriptions(clients: Clients, topicArn: string): Promise<TopicSubscription[]> {
  const out: TopicSubscription[] = [];
  let NextToken: string | undefined;
  do {
    const page = await clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }));
    for (const s of page.Subscriptions ?? []) {
      const pending = !s.SubscriptionArn || s.SubscriptionArn === "PendingConfirmation";
      out.push({ endpoint: s.Endpoint ?? "", protocol: s.Protocol ?? "", arn: pending ? null : s.SubscriptionArn! });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

/** null when the topic does not exist. */
export async function readTopic(clients: Clients, topicArn: string, onboardingId: string): Promise<TopicState | null> {
  let attrs: Record<string, string>;
  try {
    attrs = (await clients.sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes ?? {};
  } catch (e) {
    if (isAwsError(e, "NotFoundException", "NotFound")) return null;
    throw e;
  }
  const [tags, subscriptions] = await Promise.all([
    clients.sns.send(new ListTagsForResourceCommand({ ResourceArn: topicArn })),
    topicSubscriptions(clients, topicArn),
  ]);
  const pairs = (tags.Tags ?? []).map((t): [string, string | undefined] => [t.Key ?? "", t.Value]);
  const parsed = attrs.Policy ? parsePolicyDocument(attrs.Policy) : null;
  return {
    arn: topicArn,
    policy: parsed?.ok ? parsed.document : null,
    ownership: ownershipOf(pairs, onboardingId),
    marked: markedManaged(pairs),
    subscriptions,
  };
}

/** Deletes the topic and with it its subscriptions. A topic that is already gone succeeds (SNS: DeleteTopic is idempotent). */
export async function deleteNotificationTopic(clients: Clients, topicArn: string): Promise<void> {
  await deleteUnlessGone(() => clients.sns.send(new DeleteTopicCommand({ TopicArn: topicArn })), "NotFoundException", "NotFound");
}
