import { deleteRecorded } from "@/lib/resources/lifecycle";
import type { AccountSide } from "@/lib/runs/types";
import { deleteOwnRows, destroyStep, ledgerRows, rowItems } from "./common";

function ruleDestroyStep(key: string, title: string, side: AccountSide, dependsOn: string[]) {
  const step = destroyStep({
    key,
    title,
    account: side,
    dependsOn,
    async planItems(ctx) {
      const rows = ledgerRows(ctx, "eventbridge-rule", side === "tools" ? ctx.names.toolsAccountId : ctx.names.repoAccountId);
      return rowItems(step, ctx, rows, () => "created by the portal for this pipeline: its targets are removed, then the rule is deleted");
    },
    apply: (ctx) =>
      deleteOwnRows(
        ctx,
        ledgerRows(ctx, "eventbridge-rule", side === "tools" ? ctx.names.toolsAccountId : ctx.names.repoAccountId),
        deleteRecorded,
      ),
  });
  return step;
}

export const destroyForwardPushRuleStep = ruleDestroyStep(
  "destroy.repo.forward-push-rule",
  "Push forwarding rule (repo → tools bus)",
  "repo",
  [],
);
export const destroyStartOnPushRuleStep = ruleDestroyStep("destroy.tools.start-on-push-rule", "Pipeline start rule", "tools", []);
