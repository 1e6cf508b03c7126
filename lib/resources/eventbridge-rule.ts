import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  RemoveTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { deleteUnlessGone } from "@/lib/core/aws-errors";
import { ownershipOf } from "@/lib/policies/common";
import { readOrNull } from "@/lib/core/aws-errors";
import type { LedgerRow, StepContext } from "@/lib/runs/types";
import { judged, MISSING, pairsOf, sideOf } from "./common";
import { consoleUrlForArn } from "./console-url";
import { CREATE_TAGGED, MANAGED, PORTAL_CREATED } from "./grant-conditions";
import type { Inspection, ResourceKind } from "./types";

/** Name suffixes of the portal's rules (lib/names/derive.ts keeps them through fitName). */
export const PORTAL_RULE_SUFFIXES = ["-start-on-push", "-forward-push"];

const RULE_STEPS: Record<string, "tools" | "repo"> = { "tools.start-on-push-rule": "tools", "repo.forward-push-rule": "repo" };

async function inspectRule(ctx: StepContext, r: LedgerRow): Promise<Inspection> {
  const eb = ctx.clients[sideOf(ctx, r)].eventbridge;
  const got = await readOrNull(() => eb.send(new DescribeRuleCommand({ Name: r.name })), "ResourceNotFoundException");
  if (!got) return MISSING;
  if (got.Arn !== r.arn) return judged(ctx, r.arn, got.Arn, []);
  const tags = await eb.send(new ListTagsForResourceCommand({ ResourceARN: r.arn }));
  return judged(ctx, r.arn, got.Arn, pairsOf(tags.Tags));
}

/**
 * Deletes an EventBridge rule this onboarding created: one under a name it no longer uses (the repo-side rule named
 * before it carried the tools account, lib/names/derive.ts `repoRuleNameFor`), and every rule at offboarding. Only a
 * rule that still carries this onboarding's tag: a rule someone re-created by hand under the name, or another
 * onboarding's, is left alone.
 */
async function deleteRule(ctx: StepContext, r: LedgerRow) {
  const eb = ctx.clients[sideOf(ctx, r)].eventbridge;
  const rule = await readOrNull(() => eb.send(new DescribeRuleCommand({ Name: r.name })), "ResourceNotFoundException");
  if (!rule) return;
  const tags = await eb.send(new ListTagsForResourceCommand({ ResourceARN: rule.Arn ?? r.arn }));
  if (ownershipOf(pairsOf(tags.Tags), ctx.spec.onboardingId) !== "ours") return;
  // EventBridge refuses to delete a rule that still has targets.
  const targets = (await eb.send(new ListTargetsByRuleCommand({ Rule: r.name }))).Targets ?? [];
  if (targets.length) await eb.send(new RemoveTargetsCommand({ Rule: r.name, Ids: targets.map((t) => t.Id!) }));
  await deleteUnlessGone(() => eb.send(new DeleteRuleCommand({ Name: r.name })), "ResourceNotFoundException");
}

/**
 * The start-on-push rule (tools) and the push-forwarding rule (repo). Rules: read any; create, change and delete only
 * the portal's names. PutRule creates or replaces, and IAM cannot tell a tag-on-create from tagging an existing
 * untagged rule (both lack aws:ResourceTag), so the name bounds what the portal's tags could claim: a team's own
 * rule with any other name is out of reach.
 */
export const eventbridgeRule: ResourceKind = {
  kind: "eventbridge-rule",
  label: "EventBridge rule",
  service: "EventBridge",
  console: { url: consoleUrlForArn, example: "arn:aws:events:us-east-1:222222222222:rule/x-forward-push" },
  grants: [
    {
      section: "rules",
      accounts: "both",
      statement: (a, p) => ({
        Sid: "ReadRules",
        Effect: "Allow",
        Action: ["events:DescribeRule", "events:ListTargetsByRule", "events:ListTagsForResource"],
        Resource: `arn:${p}:events:*:${a}:rule/*`,
      }),
    },
    {
      section: "rules",
      accounts: "both",
      statement: (a, p) => ({
        Sid: "CreateRules",
        Effect: "Allow",
        Action: ["events:PutRule", "events:TagResource"],
        Resource: portalRules(a, p),
        Condition: CREATE_TAGGED,
      }),
    },
    {
      section: "rules",
      accounts: "both",
      statement: (a, p) => ({
        Sid: "ChangePortalRules",
        Effect: "Allow",
        Action: ["events:PutRule", "events:PutTargets"],
        Resource: portalRules(a, p),
        Condition: { StringEquals: MANAGED },
      }),
    },
    {
      section: "rules",
      accounts: "both",
      statement: (a, p) => ({
        Sid: "DeletePortalRules",
        Effect: "Allow",
        Action: ["events:RemoveTargets", "events:DeleteRule"],
        Resource: portalRules(a, p),
        Condition: PORTAL_CREATED,
      }),
    },
  ],
  applySteps: Object.keys(RULE_STEPS),
  ledgerEntry(stepKey, ctx, out) {
    const side = RULE_STEPS[stepKey];
    if (!side) return null;
    return {
      accountId: side === "tools" ? ctx.names.toolsAccountId : ctx.names.repoAccountId,
      kind: "eventbridge-rule",
      name: String(out.ruleName),
      arn: String(out.ruleArn),
      shared: false,
    };
  },
  inspect: inspectRule,
  delete: deleteRule,
};

function portalRules(a: string, p: string): string[] {
  return PORTAL_RULE_SUFFIXES.map((suffix) => `arn:${p}:events:*:${a}:rule/*${suffix}`);
}
