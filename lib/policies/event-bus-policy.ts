/**
 * Tools account default event bus: allow the repo account to PutEvents (create before the repo-side target:
 * EventBridge checks target permissions when the target is created). One statement per repo account,
 * Sid `portal-allow-<repoAccount>`, shared by every onboarding of that repo account: the policy grows per repo
 * account (about 190 characters each against EventBridge's 10,240-character quota), never per pipeline. With an
 * AWS Organization id set on the tools account, one statement `portal-allow-organization` (Principal `*`,
 * `aws:PrincipalOrgID`) covers every repo account instead.
 */
import type { ResourceNames } from "@/lib/names/derive";
import { mergeStatements } from "./merge";
import type { PolicyDocument, Statement } from "./types";

/** `organizationId`: the tools account's Organization-wide grant setting, when set. */
export function eventBusPolicyStatement(names: ResourceNames, organizationId?: string): Statement {
  const grant = { Action: "events:PutEvents", Resource: names.events.toolsBusArn };
  if (organizationId) {
    return {
      Sid: names.events.statementId,
      Effect: "Allow",
      Principal: "*",
      ...grant,
      Condition: { StringEquals: { "aws:PrincipalOrgID": organizationId } },
    };
  }
  // How EventBridge stores PutPermission's Principal "<account id>".
  return {
    Sid: names.events.statementId,
    Effect: "Allow",
    Principal: { AWS: `arn:${names.partition}:iam::${names.repoAccountId}:root` },
    ...grant,
  };
}

/** PutPermission input (upserts by StatementId). */
export function eventBusPutPermissionInput(names: ResourceNames, organizationId?: string) {
  const base = { EventBusName: "default", Action: "events:PutEvents" };
  if (organizationId) {
    return {
      ...base,
      Principal: "*",
      StatementId: names.events.statementId,
      Condition: { Type: "StringEquals", Key: "aws:PrincipalOrgID", Value: organizationId },
    };
  }
  return { ...base, Principal: names.repoAccountId, StatementId: names.events.statementId };
}

/** RemovePermission input, for the last onboarding of the repo account. */
export function eventBusRemovePermissionInput(names: ResourceNames) {
  return { EventBusName: "default", StatementId: names.events.statementId };
}

/** Desired bus policy for the plan view: `current` (DescribeEventBus Policy, parsed) merged with the statement. */
export function eventBusPolicyFor(current: PolicyDocument | undefined, names: ResourceNames, organizationId?: string): PolicyDocument {
  return mergeStatements(current, [eventBusPolicyStatement(names, organizationId)]);
}
