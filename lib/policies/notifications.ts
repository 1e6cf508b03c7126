/**
 * Opt-in notifications of one onboarding, through AWS's own path: a CodeStar Notifications rule on the pipeline
 * (failed executions, pending manual approvals) targeting an SNS topic in the tools account.
 *
 * The topic is NOT encrypted (no KmsMasterKeyId): with a customer managed key, the key policy must also let
 * codestar-notifications.amazonaws.com use the key (and the shared artifact key would then be usable by a service
 * for every pipeline of the region); the AWS managed aws/sns key cannot grant the service at all. The messages carry
 * only pipeline names, execution ids and failure summaries, which the topic's access policy already guards.
 */
import { shortHash } from "@/lib/names/hash";
import { portalTags, policy } from "./common";
import type { OnboardingSpec, PolicyDocument } from "./types";

export const NOTIFICATIONS_SERVICE_PRINCIPAL = "codestar-notifications.amazonaws.com";
/** The Sid of AWS's documented statement (Developer Tools console user guide, "Configure Amazon SNS topics for notifications"). */
export const NOTIFICATIONS_PUBLISH_SID = "AWSCodeStarNotifications_publish";
export const NOTIFICATION_EVENT_TYPE_IDS = [
  "codepipeline-pipeline-pipeline-execution-failed",
  "codepipeline-pipeline-manual-approval-needed",
] as const;

export interface NotificationNames {
  topicName: string;
  topicArn: string;
  ruleName: string;
}

type NameInput = Pick<OnboardingSpec, "pipelineName" | "region" | "toolsAccountId"> & { partition?: "aws" };

/**
 * SNS topic names allow `[A-Za-z0-9_-]` (≤ 256), rule names `[A-Za-z0-9\-_ ]` (≤ 64); pipeline names may also hold
 * '.' and '@'. The hash of the exact pipeline name keeps "a.b" and "a-b" apart; pipeline names are unique per tools
 * account and Region, and so are these.
 */
export function notificationNames(spec: NameInput): NotificationNames {
  const clean = spec.pipelineName.replace(/[^A-Za-z0-9_-]/g, "-");
  const hash = shortHash(spec.pipelineName);
  const topicName = `crossline-${clean.slice(0, 200)}-${hash}-notifications`;
  const ruleName = `crossline-${clean.slice(0, 64 - "crossline-".length - hash.length - 1)}-${hash}`;
  return { topicName, topicArn: `arn:${spec.partition ?? "aws"}:sns:${spec.region}:${spec.toolsAccountId}:${topicName}`, ruleName };
}

/**
 * AWS's documented topic policy statement for notification rule targets: the service may publish, for resources
 * of this account only (aws:SourceAccount guards against a rule of another account using the topic).
 */
export function notificationTopicPolicy(spec: Pick<OnboardingSpec, "toolsAccountId">, topicArn: string): PolicyDocument {
  return policy({
    Sid: NOTIFICATIONS_PUBLISH_SID,
    Effect: "Allow",
    Principal: { Service: NOTIFICATIONS_SERVICE_PRINCIPAL },
    Action: "SNS:Publish",
    Resource: topicArn,
    Condition: { StringEquals: { "aws:SourceAccount": spec.toolsAccountId } },
  });
}

/** CreateTopic input: the portal's tags, no encryption (see the file comment). */
export function createTopicInput(spec: Pick<OnboardingSpec, "onboardingId">, n: NotificationNames) {
  return { Name: n.topicName, Tags: portalTags(spec).map(([Key, Value]) => ({ Key, Value })) };
}

/** CreateNotificationRule input (without ClientRequestToken): FULL detail, both event types, the one topic. */
export function notificationRuleInput(spec: Pick<OnboardingSpec, "onboardingId">, n: NotificationNames, pipelineArn: string) {
  return {
    Name: n.ruleName,
    Resource: pipelineArn,
    EventTypeIds: [...NOTIFICATION_EVENT_TYPE_IDS],
    DetailType: "FULL" as const,
    Targets: [{ TargetType: "SNS", TargetAddress: n.topicArn }],
    Status: "ENABLED" as const,
    Tags: Object.fromEntries(portalTags(spec)),
  };
}
