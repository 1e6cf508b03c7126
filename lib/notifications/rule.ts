/** The pipeline's notification rule as AWS has it, and its idempotent deleter (teardown, notifications turned off). */
import {
  DeleteNotificationRuleCommand,
  DescribeNotificationRuleCommand,
  type DescribeNotificationRuleCommandOutput,
  ListNotificationRulesCommand,
} from "@aws-sdk/client-codestar-notifications";
import type { AccountClients } from "@/lib/aws/clients";
import { markedManaged, ownershipOf, type Ownership } from "@/lib/policies/common";
import { deleteUnlessGone, isAwsError } from "@/lib/core/aws-errors";

export interface RuleState {
  arn: string;
  name: string;
  resource: string;
  eventTypeIds: string[];
  detailType: string;
  status: string;
  targets: { TargetType: string; TargetAddress: string; TargetStatus: string }[];
  ownership: Ownership;
  marked: boolean;
}

type Clients = Pick<AccountClients, "notifications">;

function view(d: DescribeNotificationRuleCommandOutput, onboardingId: string): RuleState {
  const pairs = Object.entries(d.Tags ?? {}) as [string, string][];
  return {
    arn: d.Arn ?? "",
    name: d.Name ?? "",
    resource: d.Resource ?? "",
    eventTypeIds: (d.EventTypes ?? []).map((e) => e.EventTypeId ?? "").sort(),
    detailType: d.DetailType ?? "",
    status: d.Status ?? "",
    targets: (d.Targets ?? []).map((t) => ({
      TargetType: t.TargetType ?? "",
      TargetAddress: t.TargetAddress ?? "",
      TargetStatus: t.TargetStatus ?? "",
    })),
    ownership: ownershipOf(pairs, onboardingId),
    marked: markedManaged(pairs),
  };
}

/**
 * The rule named `ruleName` on the pipeline. Rule ARNs carry an id AWS assigns, so the rule is found by listing the
 * pipeline's rules (a crash after CreateNotificationRule and before the run recorded its ARN is harmless).
 */
export async function findNotificationRule(
  clients: Clients,
  pipelineArn: string,
  ruleName: string,
  onboardingId: string,
): Promise<RuleState | null> {
  let NextToken: string | undefined;
  do {
    const page = await clients.notifications.send(
      new ListNotificationRulesCommand({ Filters: [{ Name: "RESOURCE", Value: pipelineArn }], NextToken }),
    );
    for (const r of page.NotificationRules ?? []) {
      const d = await clients.notifications.send(new DescribeNotificationRuleCommand({ Arn: r.Arn })).catch((e) => {
        if (isAwsError(e, "ResourceNotFoundException")) return null;
        throw e;
      });
      if (d?.Name === ruleName) return view(d, onboardingId);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return null;
}

/** Deletes the rule. A rule that is already gone succeeds (DeleteNotificationRule documents no not-found error). */
export async function deleteNotificationRule(clients: Clients, ruleArn: string): Promise<void> {
  await deleteUnlessGone(
    () => clients.notifications.send(new DeleteNotificationRuleCommand({ Arn: ruleArn })),
    "ResourceNotFoundException",
  );
}
