import { DeleteRuleCommand, DescribeRuleCommand, ListTagsForResourceCommand, ListTargetsByRuleCommand, RemoveTargetsCommand } from "@aws-sdk/client-eventbridge";
import { ownershipOf } from "@/lib/policies/common";
import { isAwsError, readOrNull } from "../aws-errors";
import type { AccountSide, LedgerRow, StepContext } from "../types";

/**
 * Deletes an EventBridge rule this onboarding created: one under a name it no longer uses (the repo-side rule named
 * before it carried the tools account, lib/names/derive.ts `repoRuleNameFor`), and every rule at offboarding
 * (lib/teardown/steps/rules.ts). Only a rule that still carries this onboarding's tag: a rule someone re-created by
 * hand under the name, or another onboarding's, is left alone.
 */
export async function retireRule(ctx: StepContext, side: AccountSide, r: LedgerRow) {
  const eb = ctx.clients[side].eventbridge;
  const rule = await readOrNull(() => eb.send(new DescribeRuleCommand({ Name: r.name })), "ResourceNotFoundException");
  if (!rule) return;
  const tags = await eb.send(new ListTagsForResourceCommand({ ResourceARN: rule.Arn ?? r.arn }));
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
