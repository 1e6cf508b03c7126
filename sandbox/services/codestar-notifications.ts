/**
 * AWS CodeStar Notifications (REST-JSON, `POST /<operation>` paths of the 2019-10-15 model): notification rules on
 * pipelines with SNS targets, tags. Deliveries react to the pipeline engine's events (codestar-notifications-store.ts).
 */
import { assertAuthorized } from "../access";
import { AwsError, missingAuth } from "../errors";
import { sha1 } from "../ids";
import { registerConditionKeys } from "../policy/conditions";
import { assertSafeKeys } from "../protocols/safe-keys";
import { requestTagContext } from "../policy/tags";
import type { ConditionContext } from "../policy/types";
import { type OpContext, type Operation, defineService, op } from "../registry";
import {
  APPROVAL_NEEDED_TOPIC,
  type ApprovalNeededEvent,
  EXECUTION_FAILED_TOPIC,
  type ExecutionFailedEvent,
  parsePipelineArn,
} from "./codepipeline-store";
import {
  APPROVAL_NEEDED,
  EXECUTION_FAILED,
  MODELLED_EVENT_TYPES,
  type NotificationRule,
  type NotificationTarget,
  allDecisions,
  notificationsState,
  notify,
  parseRuleArn,
  ruleArn,
  targetStatus,
  type NotificationsState,
} from "./codestar-notifications-store";
import { type PageRules, offsetPage } from "./shared/pagination";
import { type TagRules, checkTagMap } from "./shared/validation";
import { peekRegion } from "../state";
import type { ResourceTagLookup } from "../resource-tags";

type In = Record<string, any>;

const RULE_ACTIONS = [
  "CreateNotificationRule",
  "DeleteNotificationRule",
  "DescribeNotificationRule",
  "UpdateNotificationRule",
  "Subscribe",
  "Unsubscribe",
].map((a) => `codestar-notifications:${a}`);
registerConditionKeys(["codestar-notifications:NotificationsForResource"], RULE_ACTIONS);
registerConditionKeys(
  ["aws:requesttag/*", "aws:TagKeys"],
  ["codestar-notifications:CreateNotificationRule", "codestar-notifications:TagResource"],
);

const validation = (message: string) => new AwsError("ValidationException", message, 400);
const notFound = (arn: unknown) => new AwsError("ResourceNotFoundException", `Notification rule ${String(arn)} does not exist.`, 404);
// API reference, CreateNotificationRule: Name 1-64 `[A-Za-z0-9\-_ ]+$`; Resource `^arn:aws[^:\s]*:[^:\s]+:[^:\s]+:[0-9]{12}:[^\s]+$`; at most 10 targets.
const NAME = /^[A-Za-z0-9\-_ ]{1,64}$/;
const RESOURCE = /^arn:aws[^:\s]*:[^:\s]+:[^:\s]+:[0-9]{12}:[^\s]+$/;
const MAX_TARGETS = 10;

/** Rule ids are 40 hex characters; the sandbox derives them from the name (unique per account and Region). */
const ruleId = (ctx: OpContext, name: unknown) => sha1(`${ctx.account}:${ctx.region}:${String(name)}`);
const createResource = (i: In, ctx: OpContext) => ruleArn(ctx.region, ctx.account, ruleId(ctx, i.Name));

function ownRule(ctx: OpContext, arn: unknown): NotificationRule {
  const p = parseRuleArn(arn);
  if (!p) throw validation("Arn is not a notification rule ARN.");
  const rule =
    p.account === ctx.account && p.region === ctx.region ? notificationsState(ctx.world, ctx.account, ctx.region).rules[p.id] : undefined;
  if (!rule) throw notFound(arn);
  return rule;
}
const forResource = (ctx: OpContext, arn: unknown): ConditionContext => {
  const p = parseRuleArn(arn);
  const rule = p ? notificationsState(ctx.world, p.account, p.region).rules[p.id] : undefined;
  return rule ? { "codestar-notifications:NotificationsForResource": rule.resource } : {};
};

function checkEventTypes(ids: unknown): string[] {
  if (!Array.isArray(ids) || !ids.length) throw validation("EventTypeIds must name at least one event type.");
  for (const id of ids) {
    if (typeof id !== "string" || !/^codepipeline-pipeline-/.test(id))
      throw validation(`Event type ${String(id)} does not apply to resource type Pipeline.`);
    if (!MODELLED_EVENT_TYPES[id])
      throw validation(`Event type ${id}: the sandbox models only ${Object.keys(MODELLED_EVENT_TYPES).join(", ")}.`);
  }
  return [...new Set(ids as string[])];
}
function checkTargets(targets: unknown): NotificationTarget[] {
  if (!Array.isArray(targets) || targets.length > MAX_TARGETS)
    throw validation(`Targets must be a list of at most ${MAX_TARGETS} targets.`);
  return targets.map((t: In) => {
    if (typeof t?.TargetAddress !== "string" || !t.TargetAddress || t.TargetAddress.length > 320)
      throw validation("TargetAddress must be 1-320 characters.");
    if (t.TargetType !== "SNS") throw validation(`TargetType ${String(t?.TargetType)}: the sandbox models SNS targets only.`);
    return { TargetType: "SNS", TargetAddress: t.TargetAddress };
  });
}
const checkDetailType = (v: unknown) => {
  if (v !== "BASIC" && v !== "FULL") throw validation("DetailType must be BASIC or FULL.");
  return v;
};
const checkStatus = (v: unknown) => {
  if (v !== "ENABLED" && v !== "DISABLED") throw validation("Status must be ENABLED or DISABLED.");
  return v;
};
const TAG_RULES: TagRules = {
  maxKeyLength: 128,
  maxValueLength: 256,
  maxTags: 50,
  tooMany: () => validation("At most 50 tags."),
  badKey: (key) => validation(`Tag ${key} is not valid.`),
  badValue: (key) => validation(`Tag ${key} is not valid.`),
};
function checkTags(tags: unknown): Record<string, string> {
  if (tags === undefined) return {};
  if (typeof tags !== "object" || tags === null || Array.isArray(tags)) throw validation("Tags must be a map.");
  return checkTagMap(tags as Record<string, unknown>, TAG_RULES);
}
const PAGES: PageRules = {
  defaultLimit: 100,
  maxLimit: 100,
  badToken: () =>
    new AwsError(
      "InvalidNextTokenException",
      "The value for the enumeration token used in the request to return the next batch of the results is not valid.",
      400,
    ),
  badLimit: () => validation("MaxResults must be between 1 and 100."),
};
const tagList = (tags: unknown) => Object.entries((tags ?? {}) as Record<string, string>).map(([Key, Value]) => ({ Key, Value }));

function describe(ctx: OpContext, r: NotificationRule) {
  return {
    Arn: r.arn,
    Name: r.name,
    Resource: r.resource,
    DetailType: r.detailType,
    Status: r.status,
    CreatedBy: r.createdBy,
    CreatedTimestamp: r.created / 1000,
    LastModifiedTimestamp: r.lastModified / 1000,
    Tags: r.tags,
    EventTypes: r.eventTypeIds.map((EventTypeId) => ({ EventTypeId, ...MODELLED_EVENT_TYPES[EventTypeId] })),
    Targets: r.targets.map((t) => ({ ...t, TargetStatus: targetStatus(ctx.world, r, t, ctx.now).status })),
  };
}

const operations = {
  CreateNotificationRule: op<In, unknown>({
    iamAction: "codestar-notifications:CreateNotificationRule",
    mutating: true,
    resources: createResource,
    conditionContext: (i) => ({
      ...requestTagContext(tagList(i.Tags)),
      ...(typeof i.Resource === "string" ? { "codestar-notifications:NotificationsForResource": i.Resource } : {}),
    }),
    handler: (i, ctx) => {
      if (typeof i.Name !== "string" || !NAME.test(i.Name))
        throw validation("Name must be 1-64 characters of letters, digits, spaces, '-' and '_'.");
      if (typeof i.Resource !== "string" || !RESOURCE.test(i.Resource)) throw validation("Resource must be the ARN of a resource.");
      const pipeline = parsePipelineArn(i.Resource);
      if (!pipeline) throw validation(`Resource ${i.Resource}: the sandbox models notification rules on pipelines only.`);
      const st = notificationsState(ctx.world, ctx.account, ctx.region);
      const cp = ctx.world.accounts[pipeline.account]?.regions?.[pipeline.region]?.codepipeline as
        { pipelines?: Record<string, unknown> } | undefined;
      if (pipeline.account !== ctx.account || pipeline.region !== ctx.region || !cp?.pipelines?.[pipeline.name]) throw notFound(i.Resource);
      const eventTypeIds = checkEventTypes(i.EventTypeIds);
      const targets = checkTargets(i.Targets);
      const tags = checkTags(i.Tags);
      const id = ruleId(ctx, i.Name);
      const existing = st.rules[id];
      if (existing) {
        // The same ClientRequestToken repeats the creation (idempotent); otherwise the name is taken.
        if (i.ClientRequestToken && existing.clientRequestToken === i.ClientRequestToken) return { Arn: existing.arn };
        throw new AwsError(
          "ResourceAlreadyExistsException",
          `A notification rule named ${i.Name} already exists in this account and Region.`,
          409,
        );
      }
      st.rules[id] = {
        id,
        arn: ruleArn(ctx.region, ctx.account, id),
        name: i.Name,
        resource: i.Resource,
        eventTypeIds,
        targets,
        tags,
        detailType: checkDetailType(i.DetailType),
        status: i.Status === undefined ? "ENABLED" : checkStatus(i.Status),
        createdBy: ctx.caller.arn,
        created: ctx.now,
        lastModified: ctx.now,
        clientRequestToken: i.ClientRequestToken,
      };
      return { Arn: st.rules[id].arn };
    },
  }),
  DescribeNotificationRule: op<In, unknown>({
    iamAction: "codestar-notifications:DescribeNotificationRule",
    mutating: false,
    resources: (i) => String(i.Arn ?? "*"),
    conditionContext: (i, ctx) => forResource(ctx, i.Arn),
    handler: (i, ctx) => describe(ctx, ownRule(ctx, i.Arn)),
  }),
  UpdateNotificationRule: op<In, unknown>({
    iamAction: "codestar-notifications:UpdateNotificationRule",
    mutating: true,
    resources: (i) => String(i.Arn ?? "*"),
    conditionContext: (i, ctx) => forResource(ctx, i.Arn),
    handler: (i, ctx) => {
      const r = ownRule(ctx, i.Arn);
      if (i.Name !== undefined && i.Name !== r.name) throw validation("The sandbox does not model renaming a notification rule.");
      if (i.EventTypeIds !== undefined) r.eventTypeIds = checkEventTypes(i.EventTypeIds);
      if (i.Targets !== undefined) r.targets = checkTargets(i.Targets);
      if (i.DetailType !== undefined) r.detailType = checkDetailType(i.DetailType);
      if (i.Status !== undefined) r.status = checkStatus(i.Status);
      r.lastModified = ctx.now;
      return {};
    },
  }),
  DeleteNotificationRule: op<In, unknown>({
    iamAction: "codestar-notifications:DeleteNotificationRule",
    mutating: true,
    resources: (i) => String(i.Arn ?? "*"),
    conditionContext: (i, ctx) => forResource(ctx, i.Arn),
    handler: (i, ctx) => {
      const p = parseRuleArn(i.Arn);
      if (!p) throw validation("Arn is not a notification rule ARN.");
      // The API reference lists no ResourceNotFoundException for DeleteNotificationRule: deleting a missing rule succeeds.
      if (p.account === ctx.account && p.region === ctx.region) delete notificationsState(ctx.world, ctx.account, ctx.region).rules[p.id];
      return { Arn: i.Arn };
    },
  }),
  ListNotificationRules: op<In, unknown>({
    // No resource types in the reference: authorized against "*".
    iamAction: "codestar-notifications:ListNotificationRules",
    mutating: false,
    resources: () => "*",
    handler: (i, ctx) => {
      const filters = Array.isArray(i.Filters) ? (i.Filters as { Name?: string; Value?: string }[]) : [];
      for (const f of filters)
        if (!["RESOURCE", "TARGET_ADDRESS", "EVENT_TYPE_ID", "CREATED_BY"].includes(String(f.Name)))
          throw validation(`Filter ${String(f.Name)} is not valid.`);
      const rules = Object.values(notificationsState(ctx.world, ctx.account, ctx.region).rules).filter((r) =>
        filters.every((f) =>
          f.Name === "RESOURCE"
            ? r.resource === f.Value
            : f.Name === "TARGET_ADDRESS"
              ? r.targets.some((t) => t.TargetAddress === f.Value)
              : f.Name === "EVENT_TYPE_ID"
                ? r.eventTypeIds.includes(String(f.Value))
                : r.createdBy === f.Value,
        ),
      );
      const page = offsetPage(rules, i.NextToken, i.MaxResults, PAGES);
      return { NotificationRules: page.items.map((r) => ({ Id: r.id, Arn: r.arn })), NextToken: page.next };
    },
  }),
  TagResource: op<In, unknown>({
    iamAction: "codestar-notifications:TagResource",
    mutating: true,
    resources: (i) => String(i.Arn ?? "*"),
    conditionContext: (i) => requestTagContext(tagList(i.Tags)),
    handler: (i, ctx) => {
      const r = ownRule(ctx, i.Arn);
      const merged = { ...r.tags, ...checkTags(i.Tags) };
      if (Object.keys(merged).length > 50) throw new AwsError("LimitExceededException", "At most 50 tags.", 400);
      r.tags = merged;
      return { Tags: r.tags };
    },
  }),
  ListTagsForResource: op<In, unknown>({
    iamAction: "codestar-notifications:ListTagsForResource",
    mutating: false,
    resources: (i) => String(i.Arn ?? "*"),
    handler: (i, ctx) => ({ Tags: ownRule(ctx, i.Arn).tags }),
  }),
};

/** `/createNotificationRule` → CreateNotificationRule. */
const opName = (path: string) => {
  const seg = path.replace(/^\/+|\/+$/g, "");
  const name = seg.charAt(0).toUpperCase() + seg.slice(1);
  return name in operations ? name : undefined;
};

/** aws:ResourceTag/<k> of notification rules (stored as a map). */
const resourceTags: ResourceTagLookup[] = [
  {
    arn: /^arn:aws:codestar-notifications:([a-z0-9-]+):(\d{12}):notificationrule\/(.+)$/,
    tags: (world, m) => {
      const rule = peekRegion<NotificationsState>(world, m[2], m[1], "codestar-notifications")?.rules?.[m[3]];
      return rule ? Object.entries(rule.tags ?? {}).map(([Key, Value]) => ({ Key, Value: String(Value) })) : undefined;
    },
  },
];

export const notificationsService = defineService({
  name: "codestar-notifications",
  resourceTags,
  protocol: "rest-json",
  jsonContentType: "application/json",
  operations,
  classify: (req) => (req.method === "POST" ? opName(req.path) : undefined),
  attach(host) {
    const deliver = (eventTypeId: string) => (payload: unknown) => {
      // Delivered after the engine's transition, as AWS does (asynchronously).
      setImmediate(() => {
        const n = notify(host.world(), eventTypeId, payload as ExecutionFailedEvent | ApprovalNeededEvent, Date.now());
        if (n.length) host.persist();
      });
    };
    host.subscribe(EXECUTION_FAILED_TOPIC, deliver(EXECUTION_FAILED));
    host.subscribe(APPROVAL_NEEDED_TOPIC, deliver(APPROVAL_NEEDED));
  },
  controlRoutes: { "GET /_sandbox/notifications/decisions": (world) => allDecisions(world) },
  async rawHandler(req, base) {
    const json = (status: number, value: unknown) => ({
      status,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(value ?? {}),
    });
    const name = req.method === "POST" ? opName(req.path) : undefined;
    if (!name)
      throw new AwsError(
        "UnknownOperationException",
        `The sandbox does not implement ${req.method} ${req.path} of codestar-notifications`,
        404,
      );
    const o = notificationsService.operations[name] as Operation;
    let input: In = {};
    const text = req.body.toString("utf8");
    if (text.trim()) {
      try {
        input = JSON.parse(text);
      } catch {
        throw validation("The request body is not valid JSON.");
      }
      if (typeof input !== "object" || input === null || Array.isArray(input)) throw validation("The request body must be a JSON object.");
      assertSafeKeys(input);
    }
    if (!base.caller?.account) throw missingAuth();
    const ctx: OpContext = { ...base, caller: base.caller, account: base.caller.account };
    for (const r of [o.resources(input, ctx)].flat())
      assertAuthorized(ctx.world, ctx.caller, o.iamAction, r, {
        region: ctx.region,
        now: ctx.now,
        context: o.conditionContext?.(input, ctx),
      });
    return json(200, await o.handler(input, ctx));
  },
});
