/**
 * Start-on-push chain: repo account rule → tools default bus → tools rule → StartPipelineExecution.
 * Both rules use the same pattern. PutTargets reports failures in FailedEntryCount, not by throwing.
 */
import type { ResourceNames } from "@/lib/names/derive";
import { canonicalJson } from "./canonical-json";
import { policy, serviceTrustPolicy, tagsKeyValue } from "./common";
import type { OnboardingSpec, PolicyDocument } from "./types";

export interface CodeCommitPushPattern {
  source: ["aws.codecommit"];
  "detail-type": ["CodeCommit Repository State Change"];
  resources: [string];
  detail: {
    event: ["referenceCreated", "referenceUpdated"];
    referenceType: ["branch"];
    referenceName: [string];
  };
}

export function pushEventPatternObject(names: ResourceNames): CodeCommitPushPattern {
  return {
    source: ["aws.codecommit"],
    "detail-type": ["CodeCommit Repository State Change"],
    resources: [names.repository.arn],
    detail: {
      event: ["referenceCreated", "referenceUpdated"],
      referenceType: ["branch"],
      referenceName: [names.repository.branch],
    },
  };
}

/** The pattern as EventBridge's `EventPattern` string: canonical (sorted keys, compact) JSON. */
export function pushEventPattern(names: ResourceNames): string {
  return canonicalJson(pushEventPatternObject(names));
}

/** Whether two EventPattern strings are the same pattern (key order and whitespace ignored). */
export function eventPatternEquals(a: string, b: string): boolean {
  try {
    return canonicalJson(JSON.parse(a)) === canonicalJson(JSON.parse(b));
  } catch {
    return false;
  }
}

function eventsTrustPolicy(sourceAccount: string): PolicyDocument {
  return serviceTrustPolicy("EventBridgeAssume", "events.amazonaws.com", sourceAccount);
}

// ---------------------------------------------------------------- repo account side

export function repoRuleInput(spec: OnboardingSpec, names: ResourceNames) {
  return {
    Name: names.events.repoRule.name,
    EventBusName: names.events.repoRule.eventBusName,
    EventPattern: pushEventPattern(names),
    State: "ENABLED" as const,
    Description: `Forward pushes to ${spec.repositoryName}@${spec.branchName} to account ${names.toolsAccountId}`,
    Tags: tagsKeyValue(spec),
  };
}

export function repoTargetsInput(names: ResourceNames) {
  return {
    Rule: names.events.repoRule.name,
    EventBusName: names.events.repoRule.eventBusName,
    Targets: [{ Id: names.events.repoRule.targetId, Arn: names.events.toolsBusArn, RoleArn: names.roles.forwardPush.arn }],
  };
}

export function forwardPushRoleTrustPolicy(names: ResourceNames): PolicyDocument {
  return eventsTrustPolicy(names.repoAccountId);
}

export function forwardPushRolePermissionPolicy(names: ResourceNames): PolicyDocument {
  return policy({
    Sid: "PutEventsOnToolsBus",
    Effect: "Allow",
    Action: "events:PutEvents",
    Resource: names.events.toolsBusArn,
  });
}

// ---------------------------------------------------------------- tools account side

export function toolsRuleInput(spec: OnboardingSpec, names: ResourceNames) {
  return {
    Name: names.events.toolsRule.name,
    EventBusName: names.events.toolsRule.eventBusName,
    EventPattern: pushEventPattern(names),
    State: "ENABLED" as const,
    Description: `Start pipeline ${names.pipeline.name} on pushes to ${spec.repositoryName}@${spec.branchName}`,
    Tags: tagsKeyValue(spec),
  };
}

export function toolsTargetsInput(names: ResourceNames) {
  return {
    Rule: names.events.toolsRule.name,
    EventBusName: names.events.toolsRule.eventBusName,
    Targets: [{ Id: names.events.toolsRule.targetId, Arn: names.pipeline.arn, RoleArn: names.roles.startOnPush.arn }],
  };
}

export function startOnPushRoleTrustPolicy(names: ResourceNames): PolicyDocument {
  return eventsTrustPolicy(names.toolsAccountId);
}

export function startOnPushRolePermissionPolicy(names: ResourceNames): PolicyDocument {
  return policy({
    Sid: "StartPipeline",
    Effect: "Allow",
    Action: "codepipeline:StartPipelineExecution",
    Resource: names.pipeline.arn,
  });
}
