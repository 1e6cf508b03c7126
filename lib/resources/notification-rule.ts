import { DescribeNotificationRuleCommand } from "@aws-sdk/client-codestar-notifications";
import { ownershipOf } from "@/lib/policies/common";
import { deleteNotificationRule } from "@/lib/notifications/rule";
import { readOrNull } from "@/lib/core/aws-errors";
import type { LedgerRow, StepContext } from "@/lib/runs/types";
import { judged, MISSING } from "./common";
import { consoleUrlForArn } from "./console-url";
import { CREATE_TAGGED, MANAGED, PORTAL_CREATED } from "./grant-conditions";
import type { Inspection, ResourceKind } from "./types";

const rules = (a: string, p: string) => `arn:${p}:codestar-notifications:*:${a}:notificationrule/*`;

const describe = (ctx: StepContext, arn: string) =>
  readOrNull(() => ctx.clients.tools.notifications.send(new DescribeNotificationRuleCommand({ Arn: arn })), "ResourceNotFoundException");

async function inspectRule(ctx: StepContext, r: LedgerRow): Promise<Inspection> {
  const got = await describe(ctx, r.arn);
  if (!got) return MISSING;
  return judged(ctx, r.arn, got.Arn ?? r.arn, Object.entries(got.Tags ?? {}));
}

/** The pipeline's notification rule (tools.notifications-rule). Its id comes from AWS, so the grants are scoped by tag. */
export const notificationRule: ResourceKind = {
  kind: "notification-rule",
  label: "Notification rule",
  service: "CodeStar Notifications",
  console: { url: consoleUrlForArn, example: "arn:aws:codestar-notifications:us-east-1:111111111111:notificationrule/0123456789abcdef" },
  grants: [
    {
      section: "tools-inline",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "ReadNotifyRules",
        Effect: "Allow",
        Action: "codestar-notifications:DescribeNotificationRule",
        Resource: rules(a, p),
      }),
    },
    {
      section: "tools-inline",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "NewNotifyRules",
        Effect: "Allow",
        Action: ["codestar-notifications:CreateNotificationRule", "codestar-notifications:TagResource"],
        Resource: rules(a, p),
        Condition: CREATE_TAGGED,
      }),
    },
    {
      section: "tools-inline",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "EditNotifyRules",
        Effect: "Allow",
        Action: "codestar-notifications:UpdateNotificationRule",
        Resource: rules(a, p),
        Condition: { StringEquals: MANAGED },
      }),
    },
    {
      section: "tools-inline",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "DropNotifyRules",
        Effect: "Allow",
        Action: "codestar-notifications:DeleteNotificationRule",
        Resource: rules(a, p),
        Condition: PORTAL_CREATED,
      }),
    },
  ],
  applySteps: ["tools.notifications-rule"],
  ledgerEntry: (stepKey, ctx, out) =>
    stepKey === "tools.notifications-rule"
      ? {
          accountId: ctx.names.toolsAccountId,
          kind: "notification-rule",
          name: String(out.ruleName),
          arn: String(out.ruleArn),
          shared: false,
        }
      : null,
  inspect: inspectRule,
  async delete(ctx, r) {
    const got = await describe(ctx, r.arn);
    if (!got || ownershipOf(Object.entries(got.Tags ?? {}), ctx.spec.onboardingId) !== "ours") return;
    await deleteNotificationRule(ctx.clients.tools, r.arn);
  },
};
