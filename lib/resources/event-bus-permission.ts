import { RemovePermissionCommand } from "@aws-sdk/client-eventbridge";
import { deleteUnlessGone } from "@/lib/core/aws-errors";
import { consoleUrlForArn } from "./console-url";
import type { ResourceKind } from "./types";

/**
 * The tools account's default event bus statement letting the repo account (or the Organization) put events
 * (tools.event-bus-permission), shared by the onboardings of that repo account. A statement carries no tags: its
 * ledger row's name is the statement id derived from this onboarding's accounts, and lib/teardown/steps/shared-statements.ts
 * removes it only when no other onboarding needs it and it was not adopted.
 */
export const eventBusPermission: ResourceKind = {
  kind: "event-bus-permission",
  label: "Event bus permission",
  service: "EventBridge",
  // The ledger records the bus's ARN: the console lists the buses and their policies.
  console: { url: consoleUrlForArn, example: "arn:aws:events:us-east-1:111111111111:event-bus/default" },
  grants: [
    {
      section: "tools-managed",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "ReadDefaultEventBus",
        Effect: "Allow",
        Action: "events:DescribeEventBus",
        Resource: `arn:${p}:events:*:${a}:event-bus/default`,
      }),
    },
    // PutPermission has no resource type: AWS authorizes it against "*" only.
    {
      section: "tools-managed",
      accounts: "tools",
      statement: () => ({
        Sid: "EventBusPermission",
        Effect: "Allow",
        Action: ["events:PutPermission", "events:RemovePermission"],
        Resource: "*",
      }),
    },
  ],
  applySteps: ["tools.event-bus-permission"],
  ledgerEntry: (stepKey, ctx) =>
    stepKey === "tools.event-bus-permission"
      ? {
          accountId: ctx.names.toolsAccountId,
          kind: "event-bus-permission",
          name: ctx.names.events.statementId,
          arn: ctx.names.events.toolsBusArn,
          shared: true,
        }
      : null,
  delete: async (ctx, row) => {
    await deleteUnlessGone(
      () => ctx.clients.tools.eventbridge.send(new RemovePermissionCommand({ EventBusName: "default", StatementId: row.name })),
      "ResourceNotFoundException",
    );
  },
};
