import { deleteRecorded } from "@/lib/resources/lifecycle";
import { deleteOwnRows, destroyStep, ledgerRows, rowItems } from "./common";

/** The notification rule first (it targets the topic and watches the pipeline), then the topic and its subscriptions. */
export const destroyNotificationsStep = destroyStep({
  key: "destroy.tools.notifications",
  title: "Notifications (rule and SNS topic)",
  account: "tools",
  dependsOn: [],
  async planItems(ctx) {
    const rows = [
      ...ledgerRows(ctx, "notification-rule", ctx.names.toolsAccountId),
      ...ledgerRows(ctx, "sns-topic", ctx.names.toolsAccountId),
    ];
    return rowItems(destroyNotificationsStep, ctx, rows, (r) =>
      r.kind === "sns-topic" ? "created by the portal; its email subscriptions go with it" : "created by the portal for this pipeline",
    );
  },
  async apply(ctx) {
    const rules = await deleteOwnRows(ctx, ledgerRows(ctx, "notification-rule", ctx.names.toolsAccountId), deleteRecorded);
    const topics = await deleteOwnRows(ctx, ledgerRows(ctx, "sns-topic", ctx.names.toolsAccountId), deleteRecorded);
    const ids = [rules.retiredLedgerIds, topics.retiredLedgerIds].filter(Boolean).join(",");
    return {
      retiredLedgerIds: ids,
      deleted: Number(rules.deleted) + Number(topics.deleted),
      keptNotOwn: [rules.keptNotOwn, topics.keptNotOwn].filter(Boolean).join(","),
    };
  },
});
