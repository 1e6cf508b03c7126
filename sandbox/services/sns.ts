/** Amazon SNS (query protocol, 2010-03-31): topics, access policy, email subscriptions, tags, Publish. */
import { AwsError } from "../errors";
import { uuid } from "../ids";
import { registerConditionKeys } from "../policy/conditions";
import { hasTags, requestTagContext } from "../policy/tags";
import { asList } from "../policy/types";
import { parsePolicyDocument } from "../policy/validate";
import { Flat } from "../protocols/xml";
import { type OpContext, defineService, op } from "../registry";
import {
  type SnsTag,
  type SnsTopic,
  allDeliveries,
  confirmByToken,
  defaultTopicPolicy,
  fanOut,
  findTopic,
  parseTopicArn,
  sendConfirmation,
  snsState,
  topicArn,
  type SnsState,
} from "./sns-store";
import { type TagRules, checkTagList, presentTags } from "./shared/validation";
import { peekRegion } from "../state";
import type { ResourceTagLookup } from "../resource-tags";

type In = Record<string, any>;

registerConditionKeys(["sns:Endpoint", "sns:Protocol"], ["sns:Subscribe"]);
registerConditionKeys(["aws:requesttag/*", "aws:TagKeys"], ["sns:CreateTopic", "sns:TagResource"]);

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
// RFC 5321 limits; SNS rejects an endpoint that is not an email address for protocol email.
const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$/;
/** Attributes the sandbox models; SetTopicAttributes of any other fails closed. */
const SETTABLE = new Set(["Policy", "DisplayName"]);

const invalid = (message: string) => new AwsError("InvalidParameter", `Invalid parameter: ${message}`, 400);
const notFound = (what = "Topic") => new AwsError("NotFound", `${what} does not exist`, 404);

const topicResource = (i: In, ctx: OpContext) =>
  typeof i.TopicArn === "string" ? i.TopicArn : topicArn(ctx.region, ctx.account, String(i.Name ?? "*"));
/** A subscription ARN is its topic's ARN plus ":<id>". */
const topicOfSubscription = (arn: unknown) =>
  typeof arn === "string" && arn.lastIndexOf(":") > 0 ? arn.slice(0, arn.lastIndexOf(":")) : String(arn);

/** The caller's own topic (other accounts' topics are not modelled: they fail closed as NotFound). */
function ownTopic(ctx: OpContext, arn: unknown): SnsTopic {
  const p = parseTopicArn(arn);
  if (!p) throw invalid("TopicArn");
  const t = p.account === ctx.account && p.region === ctx.region ? findTopic(ctx.world, String(arn)) : undefined;
  if (!t) throw notFound();
  return t;
}

const TAG_RULES: TagRules = {
  maxKeyLength: 128,
  maxValueLength: 256,
  maxTags: 50,
  tooMany: () => new AwsError("TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded", 400),
  badKey: () => invalid("Tags Reason: tag key must be 1-128 characters"),
  badValue: () => invalid("Tags Reason: tag value must be 0-256 characters"),
};
const checkTags = (tags: unknown): SnsTag[] => checkTagList(presentTags(tags), "Key", "Value", TAG_RULES);
const sameTags = (a: SnsTag[], b: SnsTag[]) =>
  a.length === b.length && a.every((t) => b.some((x) => x.Key === t.Key && x.Value === t.Value));

/** Query maps arrive as [{key, value}] (`Attributes.entry.N.key`). */
const mapOf = (entries: unknown): Record<string, string> =>
  Object.fromEntries(
    asList(entries as { key?: string; value?: string }[])
      .filter((e) => e?.key)
      .map((e) => [String(e.key), String(e.value ?? "")]),
  );
const xmlMap = (m: Record<string, string>) => ({ entry: new Flat(Object.entries(m).map(([key, value]) => ({ key, value }))) });

function setPolicy(t: SnsTopic, text: unknown): void {
  if (typeof text !== "string") throw invalid("Policy Error: null");
  try {
    parsePolicyDocument(text, "resource", "InvalidParameter");
  } catch (e) {
    throw invalid(`Policy Error: ${(e as Error).message}`);
  }
  t.policy = text;
}

/** aws:ResourceTag/<k> of topics. */
const resourceTags: ResourceTagLookup[] = [
  {
    arn: /^arn:aws:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]+)$/,
    tags: (world, m) => peekRegion<SnsState>(world, m[2], m[1], "sns")?.topics?.[m[3]]?.tags,
  },
];

export const snsService = defineService({
  name: "sns",
  resourceTags,
  protocol: "query",
  xmlns: "http://sns.amazonaws.com/doc/2010-03-31/",
  controlRoutes: { "GET /_sandbox/sns/deliveries": (world) => allDeliveries(world) },
  control(req, host) {
    // The recipient follows the link of the confirmation email: {"token": "..."} (the Token of the SubscriptionConfirmation delivery).
    if (req.method !== "POST" || req.path.replace(/\/+$/, "") !== "/_sandbox/sns/confirm") return undefined;
    const json = (status: number, value: unknown) => ({
      status,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(value),
    });
    let token: unknown;
    try {
      token = JSON.parse(req.body.toString("utf8") || "{}").token;
    } catch {
      return json(400, { error: 'body must be JSON {"token": "…"}' });
    }
    if (typeof token !== "string" || !token) return json(400, { error: 'expected {"token": "…"}' });
    const sub = confirmByToken(host.world(), token);
    if (!sub) return json(404, { error: "no pending subscription has that token" });
    host.persist();
    return json(200, { subscriptionArn: sub.arn, endpoint: sub.endpoint });
  },
  operations: {
    CreateTopic: op<In, unknown>({
      iamAction: "sns:CreateTopic",
      mutating: true,
      resources: topicResource,
      conditionContext: (i) => requestTagContext(i.Tags),
      // SNS: creating a topic with tags needs sns:TagResource too.
      alsoAuthorize: (i, ctx) =>
        hasTags(i.Tags) ? [{ action: "sns:TagResource", resource: topicResource(i, ctx), context: requestTagContext(i.Tags) }] : [],
      handler: (i, ctx) => {
        if (typeof i.Name !== "string" || !TOPIC_NAME.test(i.Name)) throw invalid("Topic Name");
        const tags = checkTags(i.Tags);
        const attrs = mapOf(i.Attributes);
        for (const k of Object.keys(attrs))
          if (!SETTABLE.has(k)) throw invalid(`Attributes Reason: the sandbox does not model the attribute ${k}`);
        const st = snsState(ctx.world, ctx.account, ctx.region);
        const existing = st.topics[i.Name];
        // CreateTopic is idempotent by name; the same name with other tags is refused.
        if (existing) {
          if (tags.length && !sameTags(tags, existing.tags)) throw invalid("Tags Reason: Topic already exists with different tags");
          return { TopicArn: existing.arn };
        }
        const arn = topicArn(ctx.region, ctx.account, i.Name);
        const t: SnsTopic = {
          name: i.Name,
          arn,
          account: ctx.account,
          policy: JSON.stringify(defaultTopicPolicy(arn, ctx.account)),
          attributes: {},
          tags,
          subscriptions: [],
          created: ctx.now,
        };
        if (attrs.Policy !== undefined) setPolicy(t, attrs.Policy);
        if (attrs.DisplayName !== undefined) t.attributes.DisplayName = attrs.DisplayName;
        st.topics[i.Name] = t;
        return { TopicArn: arn };
      },
    }),
    GetTopicAttributes: op<In, unknown>({
      iamAction: "sns:GetTopicAttributes",
      mutating: false,
      resources: topicResource,
      handler: (i, ctx) => {
        const t = ownTopic(ctx, i.TopicArn);
        const pending = t.subscriptions.filter((s) => !s.confirmed).length;
        return {
          Attributes: xmlMap({
            TopicArn: t.arn,
            Owner: t.account,
            Policy: t.policy,
            DisplayName: t.attributes.DisplayName ?? "",
            SubscriptionsConfirmed: String(t.subscriptions.length - pending),
            SubscriptionsPending: String(pending),
            SubscriptionsDeleted: "0",
          }),
        };
      },
    }),
    SetTopicAttributes: op<In, unknown>({
      iamAction: "sns:SetTopicAttributes",
      mutating: true,
      resources: topicResource,
      handler: (i, ctx) => {
        const t = ownTopic(ctx, i.TopicArn);
        if (!SETTABLE.has(i.AttributeName))
          throw invalid(`AttributeName Reason: the sandbox does not model the attribute ${i.AttributeName}`);
        if (i.AttributeName === "Policy") setPolicy(t, i.AttributeValue);
        else t.attributes.DisplayName = String(i.AttributeValue ?? "");
        return undefined;
      },
    }),
    Subscribe: op<In, unknown>({
      iamAction: "sns:Subscribe",
      mutating: true,
      resources: topicResource,
      conditionContext: (i) => ({ "sns:Protocol": i.Protocol, "sns:Endpoint": i.Endpoint }),
      handler: (i, ctx) => {
        const t = ownTopic(ctx, i.TopicArn);
        if (i.Protocol !== "email") throw invalid(`Protocol Reason: the sandbox models the email protocol only (got ${i.Protocol})`);
        if (typeof i.Endpoint !== "string" || !EMAIL.test(i.Endpoint)) throw invalid("Email address");
        let sub = t.subscriptions.find((s) => s.protocol === i.Protocol && s.endpoint === i.Endpoint);
        if (!sub) {
          sub = {
            arn: `${t.arn}:${uuid()}`,
            protocol: i.Protocol,
            endpoint: i.Endpoint,
            confirmed: false,
            token: uuid().replace(/-/g, ""),
            owner: ctx.account,
          };
          t.subscriptions.push(sub);
        }
        // A pending subscription is sent the confirmation again.
        if (!sub.confirmed) sendConfirmation(ctx.world, t, sub, ctx.now);
        const returnArn = i.ReturnSubscriptionArn === "true" || sub.confirmed;
        return { SubscriptionArn: returnArn ? sub.arn : "pending confirmation" };
      },
    }),
    ListSubscriptionsByTopic: op<In, unknown>({
      iamAction: "sns:ListSubscriptionsByTopic",
      mutating: false,
      resources: topicResource,
      handler: (i, ctx) => {
        const t = ownTopic(ctx, i.TopicArn);
        return {
          Subscriptions: t.subscriptions.map((s) => ({
            SubscriptionArn: s.confirmed ? s.arn : "PendingConfirmation",
            Owner: s.owner,
            Protocol: s.protocol,
            Endpoint: s.endpoint,
            TopicArn: t.arn,
          })),
        };
      },
    }),
    Unsubscribe: op<In, unknown>({
      iamAction: "sns:Unsubscribe",
      mutating: true,
      resources: (i) => topicOfSubscription(i.SubscriptionArn),
      handler: (i, ctx) => {
        if (i.SubscriptionArn === "PendingConfirmation" || i.SubscriptionArn === "pending confirmation")
          throw invalid("SubscriptionArn Reason: a pending subscription cannot be removed; it expires unless confirmed");
        const t = ownTopic(ctx, topicOfSubscription(i.SubscriptionArn));
        const before = t.subscriptions.length;
        t.subscriptions = t.subscriptions.filter((s) => s.arn !== i.SubscriptionArn);
        if (t.subscriptions.length === before) throw notFound("Subscription");
        return undefined;
      },
    }),
    DeleteTopic: op<In, unknown>({
      iamAction: "sns:DeleteTopic",
      mutating: true,
      resources: topicResource,
      handler: (i, ctx) => {
        const p = parseTopicArn(i.TopicArn);
        if (!p) throw invalid("TopicArn");
        // Deleting a topic that does not exist is not an error (SNS API Reference, DeleteTopic).
        if (p.account === ctx.account && p.region === ctx.region) delete snsState(ctx.world, ctx.account, ctx.region).topics[p.name];
        return undefined;
      },
    }),
    TagResource: op<In, unknown>({
      iamAction: "sns:TagResource",
      mutating: true,
      resources: (i) => String(i.ResourceArn ?? "*"),
      conditionContext: (i) => requestTagContext(i.Tags),
      handler: (i, ctx) => {
        const t = resourceTopic(ctx, i.ResourceArn);
        const add = checkTags(i.Tags);
        const merged = [...t.tags.filter((x) => !add.some((a) => a.Key === x.Key)), ...add];
        if (merged.length > 50)
          throw new AwsError("TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded", 400);
        t.tags = merged;
        return {};
      },
    }),
    ListTagsForResource: op<In, unknown>({
      iamAction: "sns:ListTagsForResource",
      mutating: false,
      resources: (i) => String(i.ResourceArn ?? "*"),
      handler: (i, ctx) => ({ Tags: resourceTopic(ctx, i.ResourceArn).tags }),
    }),
    Publish: op<In, unknown>({
      iamAction: "sns:Publish",
      mutating: true,
      resources: topicResource,
      handler: (i, ctx) => {
        const t = ownTopic(ctx, i.TopicArn);
        if (typeof i.Message !== "string" || !i.Message) throw invalid("Message");
        fanOut(ctx.world, t, i.Message, typeof i.Subject === "string" ? i.Subject : undefined, ctx.caller.arn, ctx.now);
        return { MessageId: uuid() };
      },
    }),
  },
});

function resourceTopic(ctx: OpContext, arn: unknown): SnsTopic {
  const p = parseTopicArn(arn);
  const t = p && p.account === ctx.account && p.region === ctx.region ? findTopic(ctx.world, String(arn)) : undefined;
  if (!t) throw new AwsError("ResourceNotFound", "Resource does not exist", 404);
  return t;
}
