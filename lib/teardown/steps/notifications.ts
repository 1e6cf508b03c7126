import { retireNotificationRule, retireNotificationTopic } from "@/lib/provisioning/steps/retire-unused";
import { ADOPTED_REASON, destroyStep, ledgerRows, retired, teardownItem } from "./common";

/** The notification rule first (it targets the topic and watches the pipeline), then the topic and its subscriptions. */
export const destroyNotificationsStep = destroyStep({
  key: "destroy.tools.notifications",
  title: "Notifications (rule and SNS topic)",
  account: "tools",
  dependsOn: [],
  async planItems(ctx) {
    const rows = [...ledgerRows(ctx, "notification-rule", ctx.names.toolsAccountId), ...ledgerRows(ctx, "sns-topic", ctx.names.toolsAccountId)];
    return rows.map((r) =>
      teardownItem(destroyNotificationsStep, ctx, {
        kind: r.kind,
        name: r.name,
        arn: r.arn,
        action: r.origin === "created" ? "delete" : "keep",
        reason: r.origin === "created" ? (r.kind === "sns-topic" ? "created by the portal; its email subscriptions go with it" : "created by the portal for this pipeline") : ADOPTED_REASON,
      }),
    );
  },
  async apply(ctx) {
    const rules = ledgerRows(ctx, "notification-rule", ctx.names.toolsAccountId).filter((r) => r.origin === "created");
    const topics = ledgerRows(ctx, "sns-topic", ctx.names.toolsAccountId).filter((r) => r.origin === "created");
    for (const r of rules) await retireNotificationRule(ctx, r);
    for (const r of topics) await retireNotificationTopic(ctx, r);
    return retired([...rules, ...topics]);
  },
});
