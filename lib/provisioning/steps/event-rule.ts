import {
  DescribeRuleCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  TagResourceCommand,
  type Target,
} from "@aws-sdk/client-eventbridge";
import { eventPatternEquals, repoRuleInput, repoTargetsInput, toolsRuleInput, toolsTargetsInput } from "@/lib/policies/event-rules";
import { markedManaged, ownershipOf, tagsKeyValue } from "@/lib/policies/common";
import type { EventRuleRef } from "@/lib/names/derive";
import { readOrNull } from "@/lib/core/aws-errors";
import { assertMayConverge } from "../ownership";
import { actionFor, item, ownershipReason, plainDocument } from "../plan-item";
import { StepFailure } from "@/lib/core/errors";
import type { AccountSide, StepContext, StepDefinition } from "@/lib/runs/types";

interface RuleSpec {
  rule: EventRuleRef;
  ruleInput: ReturnType<typeof repoRuleInput>;
  targetsInput: { Rule: string; EventBusName: string; Targets: Target[] };
}

async function readRule(ctx: StepContext, account: AccountSide, r: RuleSpec) {
  const eb = ctx.clients[account].eventbridge;
  const rule = await readOrNull(
    () => eb.send(new DescribeRuleCommand({ Name: r.rule.name, EventBusName: r.rule.eventBusName })),
    "ResourceNotFoundException",
  );
  if (!rule) return null;
  const [targets, tags] = await Promise.all([
    eb.send(new ListTargetsByRuleCommand({ Rule: r.rule.name, EventBusName: r.rule.eventBusName })),
    eb.send(new ListTagsForResourceCommand({ ResourceARN: rule.Arn ?? r.rule.arn })),
  ]);
  const pairs = (tags.Tags ?? []).map((t): [string, string | undefined] => [t.Key ?? "", t.Value]);
  return {
    pattern: rule.EventPattern ?? "",
    state: rule.State,
    targets: targets.Targets ?? [],
    ownership: ownershipOf(pairs, ctx.spec.onboardingId),
    marked: markedManaged(pairs),
  };
}

function ruleSame(current: NonNullable<Awaited<ReturnType<typeof readRule>>>, r: RuleSpec) {
  return eventPatternEquals(current.pattern, r.ruleInput.EventPattern) && current.state === r.ruleInput.State;
}

function targetSame(current: NonNullable<Awaited<ReturnType<typeof readRule>>>, r: RuleSpec) {
  const want = r.targetsInput.Targets[0];
  return current.targets.some((t) => t.Id === want.Id && t.Arn === want.Arn && t.RoleArn === want.RoleArn);
}

function view(current: Awaited<ReturnType<typeof readRule>>) {
  return (
    current && {
      EventPattern: JSON.parse(current.pattern || "{}"),
      State: current.state,
      Targets: current.targets.map((t) => ({ Id: t.Id, Arn: t.Arn, RoleArn: t.RoleArn })),
    }
  );
}

function ruleStep(def: {
  key: string;
  title: string;
  account: AccountSide;
  dependsOn: string[];
  spec: (ctx: StepContext) => RuleSpec;
}): StepDefinition {
  const step: StepDefinition = {
    key: def.key,
    title: def.title,
    account: def.account,
    dependsOn: def.dependsOn,
    async plan(ctx) {
      const r = def.spec(ctx);
      const current = await readRule(ctx, def.account, r);
      const same = !!current && ruleSame(current, r) && targetSame(current, r);
      const desired = { EventPattern: JSON.parse(r.ruleInput.EventPattern), State: r.ruleInput.State, Targets: r.targetsInput.Targets };
      return item(step, ctx, {
        kind: "eventbridge-rule",
        name: r.rule.name,
        arn: r.rule.arn,
        action: actionFor(current?.ownership ?? null, !same),
        reason: !current
          ? "does not exist"
          : (ownershipReason(current.ownership, current.marked) ?? (same ? "matches" : "pattern, state or target differs")),
        documents: [plainDocument("Rule and target", view(current), desired, same)],
      });
    },
    async apply(ctx) {
      const r = def.spec(ctx);
      const eb = ctx.clients[def.account].eventbridge;
      const current = await readRule(ctx, def.account, r);
      if (current)
        assertMayConverge(ctx, step, current.ownership, `The EventBridge rule ${r.rule.name}`, {
          marked: current.marked,
          account: def.account === "tools" ? ctx.names.toolsAccountId : ctx.names.repoAccountId,
        });
      if (current && current.ownership !== "ours")
        await eb.send(new TagResourceCommand({ ResourceARN: r.rule.arn, Tags: tagsKeyValue(ctx.spec) }));
      if (!current || !ruleSame(current, r)) await eb.send(new PutRuleCommand(r.ruleInput));
      if (!current || !targetSame(current, r)) {
        const res = await eb.send(new PutTargetsCommand(r.targetsInput));
        // PutTargets reports failures in the response instead of throwing.
        if (res.FailedEntryCount) {
          const f = res.FailedEntries?.[0];
          // A role created moments ago may not be assumable by EventBridge yet: that heals, so it is retried.
          const propagation = /assume the role|not authorized to assume/i.test(f?.ErrorMessage ?? "");
          throw new StepFailure(
            f?.ErrorCode ?? "PutTargetsFailed",
            `EventBridge refused the target of rule ${r.rule.name}: ${f?.ErrorMessage ?? "unknown reason"}`,
            propagation ? "propagation" : "never",
          );
        }
      }
      return { ruleArn: r.rule.arn, ruleName: r.rule.name, origin: !current || current.ownership === "ours" ? "created" : "adopted" };
    },
  };
  return step;
}

export const forwardPushRuleStep = ruleStep({
  key: "repo.forward-push-rule",
  title: "Push forwarding rule (repo → tools bus)",
  account: "repo",
  dependsOn: ["repo.forward-push-role", "tools.event-bus-permission"],
  spec: (ctx) => ({
    rule: ctx.names.events.repoRule,
    ruleInput: repoRuleInput(ctx.spec, ctx.names),
    targetsInput: repoTargetsInput(ctx.names),
  }),
});

export const startOnPushRuleStep = ruleStep({
  key: "tools.start-on-push-rule",
  title: "Pipeline start rule",
  account: "tools",
  dependsOn: ["tools.pipeline", "tools.start-on-push-role"],
  spec: (ctx) => ({
    rule: ctx.names.events.toolsRule,
    ruleInput: toolsRuleInput(ctx.spec, ctx.names),
    targetsInput: toolsTargetsInput(ctx.names),
  }),
});
