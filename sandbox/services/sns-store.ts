/** SNS data shared with other services: topics, subscriptions, and the record of every delivery (for tests). */
import { authorize } from "../access";
import { servicePrincipal } from "../identity";
import { uuid } from "../ids";
import type { PolicyDocument } from "../policy/types";
import { type World, regionSlice } from "../state";

export interface SnsTag {
  Key: string;
  Value: string;
}

export interface SnsSubscription {
  arn: string;
  protocol: string;
  endpoint: string;
  /** Email subscriptions stay pending until the recipient follows the link of the confirmation message. */
  confirmed: boolean;
  token: string;
  owner: string;
}

export interface SnsTopic {
  name: string;
  arn: string;
  account: string;
  /** The access policy as set (JSON text); AWS's default policy until SetTopicAttributes changes it. */
  policy: string;
  attributes: Record<string, string>;
  tags: SnsTag[];
  subscriptions: SnsSubscription[];
  created: number;
}

/** One message SNS sent to one endpoint (or the confirmation request of a new email subscription). */
export interface SnsDelivery {
  id: string;
  at: string;
  topicArn: string;
  type: "Notification" | "SubscriptionConfirmation";
  protocol: string;
  endpoint: string;
  subscriptionArn: string | null;
  subject: string;
  message: string;
  /** Who published (e.g. the service principal codestar-notifications.amazonaws.com). */
  publishedBy: string;
}

export interface SnsState {
  topics: Record<string, SnsTopic>;
  deliveries: SnsDelivery[];
}

const DELIVERY_LIMIT = 1000;
/** SNS uses this subject for email when the publisher gives none. */
export const DEFAULT_EMAIL_SUBJECT = "AWS Notification Message";

export const snsState = (world: World, account: string, region: string) =>
  regionSlice<SnsState>(world, account, region, "sns", () => ({ topics: {}, deliveries: [] }));

export const topicArn = (region: string, account: string, name: string) => `arn:aws:sns:${region}:${account}:${name}`;

export function parseTopicArn(arn: unknown): { region: string; account: string; name: string } | undefined {
  const m = typeof arn === "string" ? /^arn:aws:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256})$/.exec(arn) : null;
  return m ? { region: m[1], account: m[2], name: m[3] } : undefined;
}

export function findTopic(world: World, arn: string): SnsTopic | undefined {
  const p = parseTopicArn(arn);
  if (!p || !world.accounts[p.account]) return undefined;
  return snsState(world, p.account, p.region).topics[p.name];
}

/** The policy SNS gives a new topic (SNS Developer Guide, "default access policy"): the owner account only. */
export function defaultTopicPolicy(arn: string, account: string): PolicyDocument {
  return {
    Version: "2008-10-17",
    Id: "__default_policy_ID",
    Statement: [
      {
        Sid: "__default_statement_ID",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: [
          "SNS:GetTopicAttributes",
          "SNS:SetTopicAttributes",
          "SNS:AddPermission",
          "SNS:RemovePermission",
          "SNS:DeleteTopic",
          "SNS:Subscribe",
          "SNS:ListSubscriptionsByTopic",
          "SNS:Publish",
        ],
        Resource: arn,
        Condition: { StringEquals: { "AWS:SourceOwner": account } },
      },
    ],
  } as unknown as PolicyDocument;
}

function record(world: World, topic: SnsTopic, d: Omit<SnsDelivery, "id" | "at" | "topicArn">, now: number): SnsDelivery {
  const p = parseTopicArn(topic.arn)!;
  const st = snsState(world, p.account, p.region);
  const delivery: SnsDelivery = { id: uuid(), at: new Date(now).toISOString(), topicArn: topic.arn, ...d };
  st.deliveries.push(delivery);
  if (st.deliveries.length > DELIVERY_LIMIT) st.deliveries.splice(0, st.deliveries.length - DELIVERY_LIMIT);
  return delivery;
}

/** The confirmation request SNS emails to a new email subscription (its link carries the token). */
export function sendConfirmation(world: World, topic: SnsTopic, sub: SnsSubscription, now: number): void {
  record(
    world,
    topic,
    {
      type: "SubscriptionConfirmation",
      protocol: sub.protocol,
      endpoint: sub.endpoint,
      subscriptionArn: null,
      subject: "AWS Notification - Subscription Confirmation",
      message: JSON.stringify({
        Type: "SubscriptionConfirmation",
        TopicArn: topic.arn,
        Token: sub.token,
        Message: `You have chosen to subscribe to the topic: ${topic.arn}`,
      }),
      publishedBy: "sns.amazonaws.com",
    },
    now,
  );
}

/** Fan-out of one published message: confirmed subscriptions only (pending ones receive nothing). */
export function fanOut(
  world: World,
  topic: SnsTopic,
  message: string,
  subject: string | undefined,
  publishedBy: string,
  now: number,
): number {
  let n = 0;
  for (const sub of topic.subscriptions.filter((s) => s.confirmed)) {
    record(
      world,
      topic,
      {
        type: "Notification",
        protocol: sub.protocol,
        endpoint: sub.endpoint,
        subscriptionArn: sub.arn,
        subject: subject ?? (sub.protocol === "email" || sub.protocol === "email-json" ? DEFAULT_EMAIL_SUBJECT : ""),
        message,
        publishedBy,
      },
      now,
    );
    n++;
  }
  return n;
}

/**
 * A service principal publishing to a topic (CodeStar Notifications): only the topic's access policy can allow it,
 * with aws:SourceAccount / aws:SourceArn of the resource acting for it.
 */
export function servicePublishAllowed(
  world: World,
  service: string,
  topic: SnsTopic,
  source: { account: string; arn: string },
  now: number,
): { ok: boolean; reason: string } {
  let policy: PolicyDocument;
  try {
    policy = JSON.parse(topic.policy) as PolicyDocument;
  } catch {
    return { ok: false, reason: "unparseable topic policy" };
  }
  const r = authorize(world, servicePrincipal(service), "sns:Publish", topic.arn, {
    resourcePolicy: policy,
    identityPolicies: [],
    requireBoth: false,
    now,
    context: { "aws:SourceAccount": source.account, "aws:SourceArn": source.arn },
  });
  return { ok: r.decision === "allow", reason: r.reason };
}

export function confirmByToken(world: World, token: string): SnsSubscription | undefined {
  for (const acct of Object.values(world.accounts)) {
    for (const services of Object.values(acct.regions ?? {})) {
      const st = services?.sns as SnsState | undefined;
      for (const t of Object.values(st?.topics ?? {})) {
        const sub = t.subscriptions.find((s) => s.token === token);
        if (sub) {
          sub.confirmed = true;
          return sub;
        }
      }
    }
  }
  return undefined;
}

/** Every delivery of every account and region, oldest first. */
export function allDeliveries(world: World): SnsDelivery[] {
  const out: SnsDelivery[] = [];
  for (const acct of Object.values(world.accounts)) {
    for (const services of Object.values(acct.regions ?? {})) out.push(...((services?.sns as SnsState | undefined)?.deliveries ?? []));
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}
