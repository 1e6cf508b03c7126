/**
 * Tools account default event bus: allow the repo account to PutEvents (create before the repo-side target:
 * EventBridge checks target permissions when the target is created). One statement per repo account,
 * Sid `portal-allow-<repoAccount>`, shared by every onboarding of that repo account: remove it only when the
 * last onboarding of that repo account in this region is torn down.
 */
import type { ResourceNames } from "@/lib/names/derive";
import { mergeStatements } from "./merge";
import type { PolicyDocument, Statement } from "./types";

export function eventBusPolicyStatement(names: ResourceNames): Statement {
  return {
    Sid: names.events.statementId,
    Effect: "Allow",
    // How EventBridge stores PutPermission's Principal "<account id>".
    Principal: { AWS: `arn:${names.partition}:iam::${names.repoAccountId}:root` },
    Action: "events:PutEvents",
    Resource: names.events.toolsBusArn,
  };
}

/** PutPermission input (upserts by StatementId). */
export function eventBusPutPermissionInput(names: ResourceNames) {
  return {
    EventBusName: "default",
    Action: "events:PutEvents",
    Principal: names.repoAccountId,
    StatementId: names.events.statementId,
  };
}

/** RemovePermission input, for the last onboarding of the repo account. */
export function eventBusRemovePermissionInput(names: ResourceNames) {
  return { EventBusName: "default", StatementId: names.events.statementId };
}

/** Desired bus policy for the plan view: `current` (DescribeEventBus Policy, parsed) merged with the statement. */
export function eventBusPolicyFor(current: PolicyDocument | undefined, names: ResourceNames): PolicyDocument {
  return mergeStatements(current, [eventBusPolicyStatement(names)]);
}
