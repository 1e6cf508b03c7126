/**
 * EventBridge event delivery: an event put on a bus goes to every ENABLED rule whose pattern matches; each target
 * is delivered only when AWS would deliver it. Every decision is recorded (GET /_sandbox/events) so a test or a
 * person can see why a pipeline did not start.
 */
import { authorize, canServiceAssumeRole } from "../access";
import { uuid } from "../ids";
import type { PolicyDocument, Principal } from "../policy/types";
import type { World } from "../state";
import type { ReferenceChangeEvent } from "./codecommit-store";
import { type PushedCommit, parsePipelineArn, startPipelineExecution } from "./codepipeline-store";
import { parseEventPattern, matchesPattern } from "./events-pattern";
import { type EventRule, type EventTarget, busArn, eventsState, findBus, parseBusArn } from "./events-store";
import { findRoleByArn, rolePolicies } from "./iam-model";

export const EVENTS_SERVICE_PRINCIPAL = "events.amazonaws.com";

/** An event as EventBridge hands it to rules and targets. */
export interface EventEnvelope {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface DeliveryRecord {
  seq: number;
  at: number;
  eventId: string;
  source: string;
  detailType: string;
  /** The bus the event was processed on. */
  busArn: string;
  ruleArn?: string;
  targetId?: string;
  targetArn?: string;
  /** delivered: the target got the event; dropped: a matching rule/target did not deliver; no-match: no rule matched. */
  outcome: "delivered" | "dropped" | "no-match";
  reason: string;
  pipelineExecutionId?: string;
}

const LOG_LIMIT = 1000;
const logs = new WeakMap<World, { seq: number; records: DeliveryRecord[] }>();

export function deliveryLog(world: World): DeliveryRecord[] {
  return logOf(world).records;
}
function logOf(world: World) {
  let l = logs.get(world);
  if (!l) logs.set(world, (l = { seq: 0, records: [] }));
  return l;
}
function record(world: World, r: Omit<DeliveryRecord, "seq" | "at">): DeliveryRecord {
  const l = logOf(world);
  const full = { seq: ++l.seq, at: Date.now(), ...r };
  l.records.push(full);
  if (l.records.length > LOG_LIMIT) l.records.splice(0, l.records.length - LOG_LIMIT);
  return full;
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The "CodeCommit Repository State Change" event AWS emits for a branch move. */
export function codecommitEvent(e: ReferenceChangeEvent): EventEnvelope {
  const detail: Record<string, unknown> = {
    event: e.event,
    repositoryName: e.repositoryName,
    repositoryId: e.repositoryId,
    referenceType: e.referenceType,
    referenceName: e.referenceName,
    referenceFullName: `refs/heads/${e.referenceName}`,
  };
  if (e.commitId) detail.commitId = e.commitId;
  if (e.oldCommitId) detail.oldCommitId = e.oldCommitId;
  return {
    version: "0",
    id: uuid(),
    "detail-type": "CodeCommit Repository State Change",
    source: "aws.codecommit",
    account: e.account,
    time: isoSeconds(e.at),
    region: e.region,
    resources: [e.repositoryArn],
    detail,
  };
}

export interface DeliveryOptions {
  now: number;
  iamPropagationDelayMs?: number;
}

/** A session of `roleArn` as EventBridge uses it when delivering with the target's role. */
function roleSession(world: World, roleArn: string): Principal | undefined {
  const role = findRoleByArn(world, roleArn);
  if (!role) return undefined;
  const account = roleArn.split(":")[4];
  const session = "events-delivery";
  return {
    type: "assumed-role",
    arn: `arn:aws:sts::${account}:assumed-role/${role.roleName}/${session}`,
    account,
    roleArn,
    sessionName: session,
    userId: `${role.roleId}:${session}`,
  };
}

/** Can EventBridge (acting for `rule`) use `roleArn` to perform `action` on `resource`? undefined = yes, else why not. */
export function roleProblem(
  world: World,
  rule: { arn: string },
  roleArn: string | undefined,
  action: string,
  resource: string,
  o: DeliveryOptions,
): string | undefined {
  if (!roleArn) return "the target has no RoleArn";
  const sourceAccount = rule.arn.split(":")[4];
  const assume = canServiceAssumeRole(world, EVENTS_SERVICE_PRINCIPAL, roleArn, {
    now: o.now,
    iamPropagationDelayMs: o.iamPropagationDelayMs,
    sourceAccount,
    sourceArn: rule.arn,
  });
  if (!assume.ok) return `${EVENTS_SERVICE_PRINCIPAL} cannot assume ${roleArn}: ${assume.reason}`;
  const session = roleSession(world, roleArn)!;
  const role = findRoleByArn(world, roleArn)!;
  const r = authorize(world, session, action, resource, { identityPolicies: rolePolicies(world, role), requireBoth: false, now: o.now });
  if (r.decision !== "allow") return `the role ${roleArn} is not allowed ${action} on ${resource}: ${r.reason}`;
  return undefined;
}

/** Does the bus policy let `principal` put events on the bus? undefined = yes, else why not. */
export function busPolicyProblem(
  world: World,
  policy: PolicyDocument | undefined,
  principal: Principal,
  bus: string,
  event: Pick<EventEnvelope, "source" | "detail-type">,
  now: number,
): string | undefined {
  const owner = bus.split(":")[4];
  if (principal.account === owner) return undefined;
  if (!policy) return `the event bus ${bus} has no policy allowing account ${principal.account}`;
  const r = authorize(world, principal, "events:PutEvents", bus, {
    identityPolicies: [],
    resourcePolicy: policy,
    requireBoth: false,
    now,
    context: { "events:source": event.source, "events:detail-type": event["detail-type"] },
  });
  if (r.decision !== "allow") return `the policy of event bus ${bus} does not allow events:PutEvents from ${principal.arn} (${r.reason})`;
  return undefined;
}

const MAX_HOPS = 5;

/** Put an event on the default bus of account+region and deliver it to every matching rule's targets. */
export function processEvent(
  world: World,
  event: EventEnvelope,
  account: string,
  region: string,
  o: DeliveryOptions,
  hop = 0,
): DeliveryRecord[] {
  const out: DeliveryRecord[] = [];
  const bus = findBus(world, account, region, "default");
  const arn = busArn(region, account);
  const base = { eventId: event.id, source: event.source, detailType: event["detail-type"], busArn: arn };
  if (!bus) {
    out.push(record(world, { ...base, outcome: "dropped", reason: `account ${account} has no event bus in ${region}` }));
    return out;
  }
  const rules = Object.values(eventsState(world, account, region).rules).filter((r) => r.eventBusName === "default" && r.eventPattern);
  const matching = rules.filter((r) => {
    try {
      return matchesPattern(parseEventPattern(r.eventPattern), event);
    } catch {
      return false;
    }
  });
  if (!matching.length) {
    out.push(
      record(world, {
        ...base,
        outcome: "no-match",
        reason: `no rule on ${arn} matches the event (${rules.length} rule(s) with a pattern)`,
      }),
    );
    return out;
  }
  for (const rule of matching) {
    if (rule.state === "DISABLED") {
      out.push(record(world, { ...base, ruleArn: rule.arn, outcome: "dropped", reason: `rule ${rule.name} matches but is DISABLED` }));
      continue;
    }
    if (!rule.targets.length) {
      out.push(record(world, { ...base, ruleArn: rule.arn, outcome: "dropped", reason: `rule ${rule.name} matches but has no targets` }));
      continue;
    }
    for (const t of rule.targets) out.push(...deliverToTarget(world, event, rule, t, o, hop, base));
  }
  return out;
}

/** The branch head a CodeCommit reference event announces (what CodePipeline clones for the execution it starts). */
function pushedCommitOf(event: EventEnvelope): PushedCommit[] | undefined {
  const d = event.detail;
  if (event.source !== "aws.codecommit" || !d || d.referenceType !== "branch" || typeof d.commitId !== "string") return undefined;
  return [
    {
      account: event.account,
      region: event.region,
      repositoryName: String(d.repositoryName),
      branchName: String(d.referenceName),
      commitId: d.commitId,
    },
  ];
}

function deliverToTarget(
  world: World,
  event: EventEnvelope,
  rule: EventRule,
  t: EventTarget,
  o: DeliveryOptions,
  hop: number,
  base: Pick<DeliveryRecord, "eventId" | "source" | "detailType" | "busArn">,
): DeliveryRecord[] {
  const at = { ...base, ruleArn: rule.arn, targetId: t.Id, targetArn: t.Arn };
  const drop = (reason: string) => [record(world, { ...at, outcome: "dropped", reason })];
  const [ruleRegion, ruleAccount] = rule.arn.split(":").slice(3, 5);

  const dest = parseBusArn(t.Arn);
  if (dest) {
    if (dest.account === ruleAccount && dest.region === ruleRegion && dest.name === rule.eventBusName)
      return drop("the target is the rule's own event bus");
    if (hop >= MAX_HOPS) return drop(`the event crossed ${MAX_HOPS} event buses`);
    const destBus = dest.name === "default" ? findBus(world, dest.account, dest.region, dest.name) : undefined;
    if (!destBus) return drop(`the target event bus ${t.Arn} does not exist`);
    const role = roleProblem(world, rule, t.RoleArn, "events:PutEvents", t.Arn, o);
    if (role) return drop(role);
    const policy = busPolicyProblem(world, destBus.policy, roleSession(world, t.RoleArn!)!, t.Arn, event, o.now);
    if (policy) return drop(policy);
    const rec = record(world, { ...at, outcome: "delivered", reason: `forwarded to event bus ${t.Arn}` });
    return [rec, ...processEvent(world, event, dest.account, dest.region, o, hop + 1)];
  }

  const pipe = parsePipelineArn(t.Arn);
  if (pipe) {
    if (pipe.account !== ruleAccount || pipe.region !== ruleRegion)
      return drop("a CodePipeline target must be in the rule's account and region");
    const role = roleProblem(world, rule, t.RoleArn, "codepipeline:StartPipelineExecution", t.Arn, o);
    if (role) return drop(role);
    try {
      const exec = startPipelineExecution(world, {
        account: pipe.account,
        region: pipe.region,
        name: pipe.name,
        trigger: "CloudWatchEvent",
        triggerDetail: rule.arn,
        now: o.now,
        pushedCommits: pushedCommitOf(event),
      });
      return [
        record(world, {
          ...at,
          outcome: "delivered",
          reason: `started pipeline ${pipe.name}`,
          pipelineExecutionId: exec.pipelineExecutionId,
        }),
      ];
    } catch (e) {
      return drop(`StartPipelineExecution failed: ${(e as Error).message}`);
    }
  }
  return drop(`the sandbox does not deliver to targets of this type (${t.Arn})`);
}
