/**
 * CodeStar Notifications data and delivery: rules on pipelines, matched against the engine's events, published to
 * their SNS targets only when the topic's access policy allows codestar-notifications.amazonaws.com.
 */
import { type World, regionSlice } from "../state";
import type { ApprovalNeededEvent, ExecutionFailedEvent } from "./codepipeline-store";
import { parsePipelineArn } from "./codepipeline-store";
import { fanOut, findTopic, parseTopicArn, servicePublishAllowed } from "./sns-store";

export const NOTIFICATIONS_SERVICE_PRINCIPAL = "codestar-notifications.amazonaws.com";

export const EXECUTION_FAILED = "codepipeline-pipeline-pipeline-execution-failed";
export const APPROVAL_NEEDED = "codepipeline-pipeline-manual-approval-needed";

/** The event types the sandbox emits (dtconsole user guide, "Events for notification rules on pipelines"). */
export const MODELLED_EVENT_TYPES: Record<string, { EventTypeName: string; ServiceName: string; ResourceType: string }> = {
  [EXECUTION_FAILED]: { EventTypeName: "Pipeline execution: Failed", ServiceName: "CodePipeline", ResourceType: "Pipeline" },
  [APPROVAL_NEEDED]: { EventTypeName: "Manual approval: Needed", ServiceName: "CodePipeline", ResourceType: "Pipeline" },
};

export interface NotificationTarget {
  TargetType: string;
  TargetAddress: string;
}

export interface NotificationRule {
  id: string;
  arn: string;
  name: string;
  resource: string;
  eventTypeIds: string[];
  detailType: "BASIC" | "FULL";
  status: "ENABLED" | "DISABLED";
  targets: NotificationTarget[];
  tags: Record<string, string>;
  createdBy: string;
  created: number;
  lastModified: number;
  clientRequestToken?: string;
}

export interface NotificationDecision {
  at: string;
  ruleArn: string;
  eventTypeId: string;
  executionId: string;
  target: string;
  delivered: boolean;
  reason: string;
}

export interface NotificationsState {
  rules: Record<string, NotificationRule>;
  decisions: NotificationDecision[];
}

export const notificationsState = (world: World, account: string, region: string) =>
  regionSlice<NotificationsState>(world, account, region, "codestar-notifications", () => ({ rules: {}, decisions: [] }));

export const ruleArn = (region: string, account: string, id: string) =>
  `arn:aws:codestar-notifications:${region}:${account}:notificationrule/${id}`;

export function parseRuleArn(arn: unknown): { region: string; account: string; id: string } | undefined {
  const m =
    typeof arn === "string" ? /^arn:aws:codestar-notifications:([a-z0-9-]+):(\d{12}):notificationrule\/([A-Za-z0-9]+)$/.exec(arn) : null;
  return m ? { region: m[1], account: m[2], id: m[3] } : undefined;
}

/** ACTIVE when SNS would accept the service's Publish to the topic; UNREACHABLE when the topic is gone or its policy does not allow it. */
export function targetStatus(
  world: World,
  rule: NotificationRule,
  t: NotificationTarget,
  now: number,
): { status: "ACTIVE" | "UNREACHABLE"; reason: string } {
  if (t.TargetType !== "SNS") return { status: "UNREACHABLE", reason: `the sandbox does not model ${t.TargetType} targets` };
  const p = parseTopicArn(t.TargetAddress);
  const topic = p && p.account === parseRuleArn(rule.arn)?.account ? findTopic(world, t.TargetAddress) : undefined;
  if (!topic)
    return { status: "UNREACHABLE", reason: "the topic does not exist (or is in another account, which the sandbox does not model)" };
  const allowed = servicePublishAllowed(world, NOTIFICATIONS_SERVICE_PRINCIPAL, topic, { account: p!.account, arn: rule.arn }, now);
  return allowed.ok
    ? { status: "ACTIVE", reason: "delivered" }
    : {
        status: "UNREACHABLE",
        reason: `the topic's access policy does not allow ${NOTIFICATIONS_SERVICE_PRINCIPAL} to sns:Publish (${allowed.reason})`,
      };
}

/** The message CodeStar Notifications publishes (FULL adds additionalAttributes), as in the dtconsole user guide's examples. */
export function notificationMessage(rule: NotificationRule, eventTypeId: string, e: ExecutionFailedEvent | ApprovalNeededEvent): string {
  const { region, account } = parsePipelineArn(e.pipelineArn)!;
  const base = {
    account,
    region,
    source: "aws.codepipeline",
    time: new Date(e.at).toISOString().replace(/\.\d{3}Z$/, "Z"),
    notificationRuleArn: rule.arn,
    resources: [e.pipelineArn],
  };
  if (eventTypeId === EXECUTION_FAILED) {
    const f = e as ExecutionFailedEvent;
    return JSON.stringify({
      ...base,
      detailType: "CodePipeline Pipeline Execution State Change",
      detail: { pipeline: e.pipelineName, "execution-id": e.executionId, state: "FAILED", version: e.pipelineVersion },
      ...(rule.detailType === "FULL"
        ? {
            additionalAttributes: {
              failedActionCount: 1,
              failedActions: [{ action: f.action, additionalInformation: f.message }],
              failedStage: f.stage,
            },
          }
        : {}),
    });
  }
  const a = e as ApprovalNeededEvent;
  return JSON.stringify({
    ...base,
    detailType: "CodePipeline Action Execution State Change",
    detail: {
      pipeline: e.pipelineName,
      "execution-id": e.executionId,
      stage: e.stage,
      action: e.action,
      state: "STARTED",
      type: { owner: "AWS", category: "Approval", provider: "Manual", version: "1" },
      version: e.pipelineVersion,
    },
    ...(rule.detailType === "FULL"
      ? {
          additionalAttributes: {
            ...(a.customData ? { customData: a.customData } : {}),
            ...(a.externalEntityLink ? { externalEntityLink: a.externalEntityLink } : {}),
          },
        }
      : {}),
  });
}

/** Every enabled rule on the pipeline that names the event type publishes to each of its targets that accepts it. */
export function notify(
  world: World,
  eventTypeId: string,
  e: ExecutionFailedEvent | ApprovalNeededEvent,
  now: number,
): NotificationDecision[] {
  const p = parsePipelineArn(e.pipelineArn);
  if (!p || !world.accounts[p.account]) return [];
  const st = notificationsState(world, p.account, p.region);
  const out: NotificationDecision[] = [];
  for (const rule of Object.values(st.rules)) {
    if (rule.resource !== e.pipelineArn || rule.status !== "ENABLED" || !rule.eventTypeIds.includes(eventTypeId)) continue;
    for (const t of rule.targets) {
      const s = targetStatus(world, rule, t, now);
      if (s.status === "ACTIVE")
        fanOut(
          world,
          findTopic(world, t.TargetAddress)!,
          notificationMessage(rule, eventTypeId, e),
          undefined,
          NOTIFICATIONS_SERVICE_PRINCIPAL,
          now,
        );
      out.push({
        at: new Date(now).toISOString(),
        ruleArn: rule.arn,
        eventTypeId,
        executionId: e.executionId,
        target: t.TargetAddress,
        delivered: s.status === "ACTIVE",
        reason: s.reason,
      });
    }
  }
  st.decisions.push(...out);
  if (st.decisions.length > 500) st.decisions.splice(0, st.decisions.length - 500);
  return out;
}

export function allDecisions(world: World): NotificationDecision[] {
  const out: NotificationDecision[] = [];
  for (const acct of Object.values(world.accounts)) {
    for (const services of Object.values(acct.regions ?? {}))
      out.push(...((services?.["codestar-notifications"] as NotificationsState | undefined)?.decisions ?? []));
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}
