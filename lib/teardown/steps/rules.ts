import { DeleteRuleCommand, DescribeRuleCommand, ListTagsForResourceCommand, ListTargetsByRuleCommand, RemoveTargetsCommand } from "@aws-sdk/client-eventbridge";
import { ownershipOf } from "@/lib/policies/common";
import { isAwsError, readOrNull } from "@/lib/provisioning/aws-errors";
import type { AccountSide, LedgerRow, StepContext } from "@/lib/provisioning/types";
import { deleteOwnRows, destroyStep, ledgerRows, rowItems } from "./common";

async function deleteRule(ctx: StepContext, side: AccountSide, r: LedgerRow) {
  const eb = ctx.clients[side].eventbridge;
  const rule = await readOrNull(() => eb.send(new DescribeRuleCommand({ Name: r.name })), "ResourceNotFoundException");
  if (!rule) return;
  const tags = await eb.send(new ListTagsForResourceCommand({ ResourceARN: rule.Arn ?? r.arn }));
  // A rule someone re-created by hand under the name is not this onboarding's.
  if (ownershipOf((tags.Tags ?? []).map((t) => [t.Key ?? "", t.Value]), ctx.spec.onboardingId) !== "ours") return;
  // EventBridge refuses to delete a rule that still has targets.
  const targets = (await eb.send(new ListTargetsByRuleCommand({ Rule: r.name }))).Targets ?? [];
  if (targets.length) await eb.send(new RemoveTargetsCommand({ Rule: r.name, Ids: targets.map((t) => t.Id!) }));
  try {
    await eb.send(new DeleteRuleCommand({ Name: r.name }));
  } catch (e) {
    if (!isAwsError(e, "ResourceNotFoundException")) throw e;
  }
}

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
    apply: (ctx) => deleteOwnRows(ctx, ledgerRows(ctx, "eventbridge-rule", side === "tools" ? ctx.names.toolsAccountId : ctx.names.repoAccountId), (c, r) => deleteRule(c, side, r)),
  });
  return step;
}

export const destroyForwardPushRuleStep = ruleDestroyStep("destroy.repo.forward-push-rule", "Push forwarding rule (repo → tools bus)", "repo", []);
export const destroyStartOnPushRuleStep = ruleDestroyStep("destroy.tools.start-on-push-rule", "Pipeline start rule", "tools", []);
