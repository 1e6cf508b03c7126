/** EventBridge (JSON 1.1, `AWSEvents.<Op>`): default bus policy, rules, targets, tags, PutEvents and delivery. */
import { assertAuthorized, authorize, canServiceAssumeRole } from "../access";
import { AwsError, validationError } from "../errors";
import { rootPrincipal } from "../identity";
import { uuid } from "../ids";
import { registerConditionKeys } from "../policy/conditions";
import { hasTags, requestTagContext as tagContext, tagKeysContext } from "../policy/tags";
import { type PolicyDocument, type PolicyStatement, asList } from "../policy/types";
import { parsePolicyDocument } from "../policy/validate";
import { type OpContext, defineService, op } from "../registry";
import { REFERENCE_CHANGE_TOPIC, type ReferenceChangeEvent } from "./codecommit-store";
import { parsePipelineArn } from "./codepipeline-store";
import {
  EVENTS_SERVICE_PRINCIPAL,
  type EventEnvelope,
  busPolicyProblem,
  codecommitEvent,
  deliveryLog,
  processEvent,
} from "./events-delivery";
import { parseEventPattern } from "./events-pattern";
import {
  type EventRule,
  type EventTarget,
  type Tag,
  busArn,
  eventsState,
  findBus,
  parseBusArn,
  ruleArn,
  type EventsState,
} from "./events-store";
import { markerPage } from "./shared/pagination";
import { type TagRules, checkTagList, constraint, presentTags } from "./shared/validation";
import { peekRegion } from "../state";
import type { ResourceTagLookup } from "../resource-tags";

type In = Record<string, any>;

// Set by PutEvents from each entry; PutRule's events:source/detail-type (from the pattern) are not modelled.
registerConditionKeys(["events:source", "events:detail-type"], ["events:PutEvents"]);

const notFound = (message: string) => new AwsError("ResourceNotFoundException", message, 400);
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const TARGET_ID = /^[.\-_A-Za-z0-9]{1,64}$/;
const STATEMENT_ID = /^[a-zA-Z0-9-_]{1,64}$/;
const POLICY_LIMIT = 10240;
const MAX_TARGETS_PER_RULE = 5;

/** EventBusName (name or ARN) → the caller's bus name; only the default bus exists. */
function busName(i: In, ctx: OpContext, field = "EventBusName"): string {
  const raw = i[field] ?? "default";
  if (typeof raw !== "string" || !raw) throw constraint(field, raw, "Member must have length greater than or equal to 1");
  let name = raw;
  if (raw.startsWith("arn:")) {
    const p = parseBusArn(raw);
    if (!p || p.account !== ctx.account || p.region !== ctx.region) throw notFound(`Event bus ${raw} does not exist.`);
    name = p.name;
  }
  if (!findBus(ctx.world, ctx.account, ctx.region, name)) throw notFound(`Event bus ${name} does not exist.`);
  return name;
}
const busResource = (i: In, ctx: OpContext) => {
  const raw = typeof i.EventBusName === "string" && i.EventBusName ? i.EventBusName : "default";
  return raw.startsWith("arn:") ? raw : busArn(ctx.region, ctx.account, raw);
};
const ruleResource = (i: In, ctx: OpContext) => {
  const raw = typeof i.EventBusName === "string" && i.EventBusName ? i.EventBusName : "default";
  const bus = raw.startsWith("arn:") ? (parseBusArn(raw)?.name ?? raw) : raw;
  return ruleArn(ctx.region, ctx.account, String(i.Name ?? i.Rule ?? "*"), bus);
};

function checkRuleName(v: unknown, field = "name"): string {
  if (typeof v !== "string" || !RULE_NAME.test(v)) {
    if (typeof v === "string" && v.length > 64) throw constraint(field, v, "Member must have length less than or equal to 64");
    throw constraint(field, v, "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
  }
  return v;
}

function getRule(ctx: OpContext, i: In, field: "Name" | "Rule"): EventRule {
  const bus = busName(i, ctx);
  const name = checkRuleName(i[field], field.toLowerCase());
  const rule = eventsState(ctx.world, ctx.account, ctx.region).rules[`${bus}/${name}`];
  if (!rule) throw notFound(`Rule ${name} does not exist on EventBus ${bus}.`);
  return rule;
}

const TAG_RULES: TagRules = {
  maxKeyLength: 128,
  maxValueLength: 256,
  maxTags: 50,
  tooMany: () => validationError("Tags exceed the maximum of 50."),
  badKey: (key) => constraint("tags.member.key", key, "Member must have length less than or equal to 128"),
  badValue: (_key, value) => constraint("tags.member.value", value, "Member must have length less than or equal to 256"),
};
const checkTags = (tags: unknown): Tag[] => checkTagList(presentTags(tags), "Key", "Value", TAG_RULES);
const mergeTags = (current: Tag[], add: Tag[]) => [...current.filter((t) => !add.some((a) => a.Key === t.Key)), ...add];

/** Caller must be allowed iam:PassRole on a role handed to EventBridge (thrown, as AWS does). */
function assertPassRole(ctx: OpContext, roleArn: unknown, field: string): void {
  if (roleArn === undefined) return;
  if (typeof roleArn !== "string" || !/^arn:aws:iam::\d{12}:role\/.+$/.test(roleArn))
    throw validationError(`Parameter ${field} is not valid.`);
  assertAuthorized(ctx.world, ctx.caller, "iam:PassRole", roleArn, {
    region: ctx.region,
    now: ctx.now,
    context: { "iam:PassedToService": EVENTS_SERVICE_PRINCIPAL },
  });
}

const ruleJson = (r: EventRule) => ({
  Name: r.name,
  Arn: r.arn,
  EventPattern: r.eventPattern,
  ScheduleExpression: r.scheduleExpression,
  State: r.state,
  Description: r.description,
  RoleArn: r.roleArn,
  EventBusName: r.eventBusName,
});

const policyText = (p: PolicyDocument) => JSON.stringify(p);

/** Tagged resources: rules (rule/NAME, rule/BUS/NAME) and the default bus. */
function taggable(ctx: OpContext, arn: unknown): { tags: Tag[]; set(t: Tag[]): void } {
  if (typeof arn !== "string") throw constraint("resourceARN", arn, "Member must have length greater than or equal to 1");
  const m = /^arn:aws:events:([a-z0-9-]+):(\d{12}):rule\/(?:([^/]+)\/)?([^/]+)$/.exec(arn);
  if (m && m[1] === ctx.region && m[2] === ctx.account) {
    const r = eventsState(ctx.world, ctx.account, ctx.region).rules[`${m[3] ?? "default"}/${m[4]}`];
    if (r)
      return {
        tags: r.tags,
        set: (t) => {
          r.tags = t;
        },
      };
    throw notFound(`Rule ${m[4]} does not exist on EventBus ${m[3] ?? "default"}.`);
  }
  const b = parseBusArn(arn);
  if (b && b.region === ctx.region && b.account === ctx.account && findBus(ctx.world, b.account, b.region, b.name)) {
    const bus = findBus(ctx.world, b.account, b.region, b.name)! as { tags?: Tag[] };
    return {
      tags: bus.tags ?? [],
      set: (t) => {
        bus.tags = t;
      },
    };
  }
  throw notFound(`Resource ${arn} does not exist.`);
}

/** PutTargets' per-entry checks; a problem is reported in FailedEntries, not thrown. */
function targetProblem(ctx: OpContext, rule: EventRule, t: EventTarget): { code: string; message: string } | undefined {
  const bus = parseBusArn(t.Arn);
  if (bus && (bus.account !== ctx.account || bus.region !== ctx.region)) {
    const dest = findBus(ctx.world, bus.account, bus.region, bus.name);
    if (!dest) return { code: "ResourceNotFoundException", message: `Event bus ${t.Arn} does not exist.` };
    // The destination bus must already allow this account: EventBridge checks when the target is created.
    const denied = busPolicyProblem(
      ctx.world,
      dest.policy,
      rootPrincipal(ctx.account),
      t.Arn,
      { source: "*", "detail-type": "*" },
      ctx.now,
    );
    if (denied) return { code: "AccessDeniedException", message: `Access to the resource ${t.Arn} is denied: ${denied}.` };
    const role = assumable(ctx, rule, t.RoleArn);
    if (role) return role;
  }
  if (parsePipelineArn(t.Arn)) {
    const role = assumable(ctx, rule, t.RoleArn);
    if (role) return role;
  }
  return undefined;
}
function assumable(ctx: OpContext, rule: EventRule, roleArn: string | undefined): { code: string; message: string } | undefined {
  if (!roleArn) return { code: "ValidationException", message: "RoleArn is required for this target." };
  const r = canServiceAssumeRole(ctx.world, EVENTS_SERVICE_PRINCIPAL, roleArn, {
    now: ctx.now,
    iamPropagationDelayMs: ctx.faults.iamPropagationDelayMs,
    sourceAccount: ctx.account,
    sourceArn: rule.arn,
  });
  if (!r.ok) return { code: "AccessDeniedException", message: `EventBridge is not authorized to assume the role ${roleArn}.` };
  return undefined;
}

/** aws:ResourceTag/<k> of rules (on the default or a named bus). */
const resourceTags: ResourceTagLookup[] = [
  {
    arn: /^arn:aws:events:([a-z0-9-]+):(\d{12}):rule\/(?:([^/]+)\/)?([^/]+)$/,
    tags: (world, m) => peekRegion<EventsState>(world, m[2], m[1], "events")?.rules?.[`${m[3] ?? "default"}/${m[4]}`]?.tags,
  },
];

export const eventsService = defineService({
  name: "events",
  resourceTags,
  protocol: "json",
  targetPrefix: "AWSEvents",
  jsonContentType: "application/x-amz-json-1.1",
  attach(host) {
    host.subscribe(REFERENCE_CHANGE_TOPIC, (payload) => {
      const e = payload as ReferenceChangeEvent;
      const event = codecommitEvent(e);
      // Delivered after the CodeCommit response, as AWS does (asynchronously).
      setImmediate(() => {
        processEvent(host.world(), event, e.account, e.region, {
          now: Date.now(),
          iamPropagationDelayMs: host.faults().iamPropagationDelayMs,
        });
        host.persist();
      });
    });
  },
  controlRoutes: { "GET /_sandbox/events": (world) => deliveryLog(world) },
  operations: {
    DescribeEventBus: op<In, unknown>({
      iamAction: "events:DescribeEventBus",
      mutating: false,
      resources: (i, ctx) => busResource({ EventBusName: i.Name }, ctx),
      handler: (i, ctx) => {
        const name = busName(i, ctx, "Name");
        const bus = eventsState(ctx.world, ctx.account, ctx.region).buses[name];
        return {
          Name: bus.name,
          Arn: bus.arn,
          Policy: bus.policy ? policyText(bus.policy) : undefined,
          CreationTime: bus.createdAt / 1000,
        };
      },
    }),
    PutPermission: op<In, unknown>({
      // The reference gives PutPermission no resource types: it is authorized against "*" only.
      iamAction: "events:PutPermission",
      mutating: true,
      resources: () => "*",
      handler: (i, ctx) => {
        const bus = eventsState(ctx.world, ctx.account, ctx.region).buses[busName(i, ctx)];
        let next: PolicyDocument;
        if (i.Policy !== undefined) {
          if (i.Action !== undefined || i.Principal !== undefined || i.StatementId !== undefined)
            throw validationError("Policy cannot be combined with Action, Principal or StatementId.");
          try {
            next = parsePolicyDocument(i.Policy, "resource", "ValidationException");
          } catch (e) {
            throw validationError(`The policy is not valid: ${(e as Error).message}`);
          }
        } else {
          if (i.Action !== "events:PutEvents") throw validationError(`Provided value in parameter 'action' is not supported.`);
          if (typeof i.Principal !== "string" || (i.Principal !== "*" && !/^\d{12}$/.test(i.Principal)))
            throw validationError(`Parameter Principal is not valid. Reason: the principal must be an account id or "*".`);
          if (typeof i.StatementId !== "string" || !STATEMENT_ID.test(i.StatementId)) {
            throw constraint(
              "statementId",
              i.StatementId,
              i.StatementId?.length > 64
                ? "Member must have length less than or equal to 64"
                : "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+",
            );
          }
          const st: PolicyStatement = {
            Sid: i.StatementId,
            Effect: "Allow",
            Principal: i.Principal === "*" ? "*" : { AWS: `arn:aws:iam::${i.Principal}:root` },
            Action: "events:PutEvents",
            Resource: bus.arn,
          };
          if (i.Condition) {
            const c = i.Condition as { Type?: string; Key?: string; Value?: string };
            if (c.Type !== "StringEquals" || c.Key !== "aws:PrincipalOrgID" || typeof c.Value !== "string")
              throw validationError("Condition must be Type StringEquals, Key aws:PrincipalOrgID.");
            st.Condition = { StringEquals: { [c.Key]: c.Value } };
          }
          const current = asList(bus.policy?.Statement).filter((s) => s.Sid !== i.StatementId);
          next = { Version: "2012-10-17", Statement: [...current, st] };
        }
        if (policyText(next).length > POLICY_LIMIT)
          throw new AwsError("PolicyLengthExceededException", "Policy size would be larger than the maximum allowed.", 400);
        bus.policy = next;
        return {};
      },
    }),
    RemovePermission: op<In, unknown>({
      iamAction: "events:RemovePermission",
      mutating: true,
      resources: () => "*",
      handler: (i, ctx) => {
        const bus = eventsState(ctx.world, ctx.account, ctx.region).buses[busName(i, ctx)];
        if (i.RemoveAllPermissions === true) {
          delete bus.policy;
          return {};
        }
        if (typeof i.StatementId !== "string" || !STATEMENT_ID.test(i.StatementId))
          throw constraint("statementId", i.StatementId, "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+");
        if (!bus.policy) throw notFound("EventBus does not have a policy.");
        const list = asList(bus.policy.Statement);
        if (!list.some((s) => s.Sid === i.StatementId)) throw notFound("Statement with the provided id does not exist.");
        const rest = list.filter((s) => s.Sid !== i.StatementId);
        if (rest.length) bus.policy = { ...bus.policy, Statement: rest };
        else delete bus.policy;
        return {};
      },
    }),
    PutRule: op<In, unknown>({
      iamAction: "events:PutRule",
      mutating: true,
      resources: ruleResource,
      conditionContext: (i) => tagContext(i.Tags),
      // Creating a rule with tags also needs events:TagResource on it.
      alsoAuthorize: (i, ctx) =>
        hasTags(i.Tags) ? [{ action: "events:TagResource", resource: ruleResource(i, ctx), context: tagContext(i.Tags) }] : [],
      handler: (i, ctx) => {
        const bus = busName(i, ctx);
        const name = checkRuleName(i.Name);
        if (i.EventPattern === undefined && i.ScheduleExpression === undefined)
          throw validationError("Parameter(s) EventPattern or ScheduleExpression must be specified.");
        if (i.EventPattern !== undefined) parseEventPattern(i.EventPattern);
        if (
          i.ScheduleExpression !== undefined &&
          (typeof i.ScheduleExpression !== "string" || !/^(rate|cron)\(.+\)$/.test(i.ScheduleExpression))
        )
          throw validationError("Parameter ScheduleExpression is not valid.");
        if (i.ScheduleExpression !== undefined && bus !== "default")
          throw validationError("ScheduleExpression is supported only on the default event bus.");
        const state = i.State ?? "ENABLED";
        if (!["ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"].includes(state))
          throw constraint(
            "state",
            state,
            "Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]",
          );
        if (i.Description !== undefined && String(i.Description).length > 512)
          throw constraint("description", i.Description, "Member must have length less than or equal to 512");
        assertPassRole(ctx, i.RoleArn, "RoleArn");
        const tags = checkTags(i.Tags);
        const rules = eventsState(ctx.world, ctx.account, ctx.region).rules;
        const key = `${bus}/${name}`;
        const existing = rules[key];
        const arn = ruleArn(ctx.region, ctx.account, name, bus);
        // Tags are applied only when the rule is created (AWS ignores them on update).
        rules[key] = {
          name,
          arn,
          eventBusName: bus,
          eventPattern: i.EventPattern,
          scheduleExpression: i.ScheduleExpression,
          state,
          description: i.Description,
          roleArn: i.RoleArn,
          createdBy: ctx.account,
          createdAt: existing?.createdAt ?? ctx.now,
          tags: existing ? existing.tags : tags,
          targets: existing?.targets ?? [],
        };
        return { RuleArn: arn };
      },
    }),
    DescribeRule: op<In, unknown>({
      iamAction: "events:DescribeRule",
      mutating: false,
      resources: ruleResource,
      handler: (i, ctx) => {
        const r = getRule(ctx, i, "Name");
        return { ...ruleJson(r), CreatedBy: r.createdBy };
      },
    }),
    DeleteRule: op<In, unknown>({
      iamAction: "events:DeleteRule",
      mutating: true,
      resources: ruleResource,
      handler: (i, ctx) => {
        const bus = busName(i, ctx);
        const name = checkRuleName(i.Name);
        const rules = eventsState(ctx.world, ctx.account, ctx.region).rules;
        const r = rules[`${bus}/${name}`];
        if (!r) return {}; // deleting a missing rule succeeds
        if (r.targets.length) throw validationError("Rule can't be deleted since it has targets.");
        delete rules[`${bus}/${name}`];
        return {};
      },
    }),
    ListRules: op<In, unknown>({
      iamAction: "events:ListRules",
      mutating: false,
      resources: () => "*",
      handler: (i, ctx) => {
        const bus = busName(i, ctx);
        const prefix = typeof i.NamePrefix === "string" ? i.NamePrefix : "";
        const all = Object.values(eventsState(ctx.world, ctx.account, ctx.region).rules)
          .filter((r) => r.eventBusName === bus && r.name.startsWith(prefix))
          .sort((a, b) => a.name.localeCompare(b.name))
          .map(ruleJson);
        const page = markerPage(all, i.NextToken, i.Limit);
        return { Rules: page.page, NextToken: page.Marker };
      },
    }),
    PutTargets: op<In, unknown>({
      iamAction: "events:PutTargets",
      mutating: true,
      resources: ruleResource,
      handler: (i, ctx) => {
        const rule = getRule(ctx, i, "Rule");
        const targets = asList(i.Targets as EventTarget[]);
        if (targets.length < 1 || targets.length > 10)
          throw constraint(
            "targets",
            `[${targets.length} items]`,
            "Member must have length less than or equal to 10 and greater than or equal to 1",
          );
        for (const t of targets) {
          if (typeof t?.Id !== "string" || !TARGET_ID.test(t.Id))
            throw constraint("targets.member.id", t?.Id, "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
          if (typeof t.Arn !== "string" || !t.Arn.startsWith("arn:"))
            throw validationError(`Parameter ${t.Arn} is not valid. Reason: Provided Arn is not in correct format.`);
          assertPassRole(ctx, t.RoleArn, "RoleArn");
        }
        const ids = new Set([...rule.targets.map((t) => t.Id), ...targets.map((t) => t.Id)]);
        if (ids.size > MAX_TARGETS_PER_RULE)
          throw new AwsError(
            "LimitExceededException",
            `The requested resource exceeds the maximum number allowed (${MAX_TARGETS_PER_RULE} targets per rule).`,
            400,
          );
        const failed: { TargetId: string; ErrorCode: string; ErrorMessage: string }[] = [];
        for (const t of targets) {
          const problem = targetProblem(ctx, rule, t);
          if (problem) {
            failed.push({ TargetId: t.Id, ErrorCode: problem.code, ErrorMessage: problem.message });
            continue;
          }
          rule.targets = [...rule.targets.filter((x) => x.Id !== t.Id), { ...t }];
        }
        return { FailedEntryCount: failed.length, FailedEntries: failed };
      },
    }),
    RemoveTargets: op<In, unknown>({
      iamAction: "events:RemoveTargets",
      mutating: true,
      resources: ruleResource,
      handler: (i, ctx) => {
        const rule = getRule(ctx, i, "Rule");
        const ids = asList(i.Ids as string[]);
        if (ids.length < 1 || ids.length > 100)
          throw constraint(
            "ids",
            `[${ids.length} items]`,
            "Member must have length less than or equal to 100 and greater than or equal to 1",
          );
        rule.targets = rule.targets.filter((t) => !ids.includes(t.Id));
        return { FailedEntryCount: 0, FailedEntries: [] };
      },
    }),
    ListTargetsByRule: op<In, unknown>({
      iamAction: "events:ListTargetsByRule",
      mutating: false,
      resources: ruleResource,
      handler: (i, ctx) => {
        const rule = getRule(ctx, i, "Rule");
        const page = markerPage(rule.targets, i.NextToken, i.Limit);
        return { Targets: page.page, NextToken: page.Marker };
      },
    }),
    TagResource: op<In, unknown>({
      iamAction: "events:TagResource",
      mutating: true,
      resources: (i) => String(i.ResourceARN ?? "*"),
      conditionContext: (i) => tagContext(i.Tags),
      handler: (i, ctx) => {
        const t = taggable(ctx, i.ResourceARN);
        const merged = mergeTags(t.tags, checkTags(i.Tags));
        if (merged.length > 50) throw validationError("Tags exceed the maximum of 50.");
        t.set(merged);
        return {};
      },
    }),
    UntagResource: op<In, unknown>({
      iamAction: "events:UntagResource",
      mutating: true,
      resources: (i) => String(i.ResourceARN ?? "*"),
      conditionContext: (i) => tagKeysContext(i.TagKeys),
      handler: (i, ctx) => {
        const t = taggable(ctx, i.ResourceARN);
        const keys = asList(i.TagKeys as string[]);
        t.set(t.tags.filter((x) => !keys.includes(x.Key)));
        return {};
      },
    }),
    ListTagsForResource: op<In, unknown>({
      iamAction: "events:ListTagsForResource",
      mutating: false,
      resources: (i) => String(i.ResourceARN ?? "*"),
      handler: (i, ctx) => ({ Tags: taggable(ctx, i.ResourceARN).tags }),
    }),
    PutEvents: op<In, unknown>({
      iamAction: "events:PutEvents",
      mutating: true,
      auth: "handler",
      resources: () => "*",
      handler: (i, ctx) => {
        const entries = asList(i.Entries as In[]);
        if (entries.length < 1 || entries.length > 10)
          throw constraint(
            "entries",
            `[${entries.length} items]`,
            "Member must have length less than or equal to 10 and greater than or equal to 1",
          );
        const out: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[] = [];
        for (const e of entries) {
          const fail = (ErrorCode: string, ErrorMessage: string) => out.push({ ErrorCode, ErrorMessage });
          if (typeof e.Source !== "string" || !e.Source) {
            fail("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.");
            continue;
          }
          if (typeof e.DetailType !== "string" || !e.DetailType) {
            fail("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument.");
            continue;
          }
          if (e.Source.startsWith("aws.")) {
            fail("NotAuthorizedForSourceException", `Not authorized for the source ${e.Source}.`);
            continue;
          }
          let detail: Record<string, unknown>;
          try {
            detail = JSON.parse(typeof e.Detail === "string" ? e.Detail : "");
            if (typeof detail !== "object" || detail === null || Array.isArray(detail)) throw new Error();
          } catch {
            fail("MalformedDetail", "Detail is malformed.");
            continue;
          }
          const raw = typeof e.EventBusName === "string" && e.EventBusName ? e.EventBusName : "default";
          const target = raw.startsWith("arn:") ? parseBusArn(raw) : { region: ctx.region, account: ctx.account, name: raw };
          const bus = target && target.name === "default" ? findBus(ctx.world, target.account, target.region, target.name) : undefined;
          if (!target || !bus) {
            fail("InvalidArgument", `Event bus ${raw} does not exist.`);
            continue;
          }
          const event: EventEnvelope = {
            version: "0",
            id: uuid(),
            "detail-type": e.DetailType,
            source: e.Source,
            account: ctx.account,
            time: new Date(e.Time ? Number(e.Time) * 1000 || Date.parse(e.Time) : ctx.now).toISOString().replace(/\.\d{3}Z$/, "Z"),
            region: target.region,
            resources: asList(e.Resources as string[]),
            detail,
          };
          const id = authorize(ctx.world, ctx.caller, "events:PutEvents", bus.arn, {
            region: ctx.region,
            now: ctx.now,
            requireBoth: false,
            context: { "events:source": event.source, "events:detail-type": event["detail-type"] },
          });
          if (id.decision !== "allow") {
            fail("AccessDeniedException", `User: ${ctx.caller.arn} is not authorized to perform: events:PutEvents on resource: ${bus.arn}`);
            continue;
          }
          const denied = busPolicyProblem(ctx.world, bus.policy, ctx.caller, bus.arn, event, ctx.now);
          if (denied) {
            fail("AccessDeniedException", `User: ${ctx.caller.arn} is not authorized to perform: events:PutEvents on resource: ${bus.arn}`);
            continue;
          }
          out.push({ EventId: event.id });
          const o = { now: ctx.now, iamPropagationDelayMs: ctx.faults.iamPropagationDelayMs };
          setImmediate(() => processEvent(ctx.world, event, target.account, target.region, o));
        }
        return { FailedEntryCount: out.filter((x) => x.ErrorCode).length, Entries: out };
      },
    }),
  },
});
