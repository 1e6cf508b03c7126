/**
 * The CodeStar Notifications rule on the pipeline (its own file: SNS and CodeStar Notifications both export a
 * TagResourceCommand). Enabled with notifications.ts's topic step.
 */
import { CreateNotificationRuleCommand, TagResourceCommand, UpdateNotificationRuleCommand } from "@aws-sdk/client-codestar-notifications";
import { notificationRuleCli } from "@/lib/policies/cli-commands";
import { notificationNames, notificationRuleInput, NOTIFICATIONS_SERVICE_PRINCIPAL } from "@/lib/policies/notifications";
import { findNotificationRule, type RuleState } from "@/lib/notifications/rule";
import { assertMayConverge } from "../ownership";
import { actionFor, item, ownershipReason, plainDocument } from "../plan-item";
import { StepFailure } from "@/lib/core/errors";
import type { StepContext, StepDefinition } from "@/lib/runs/types";

const specOf = (ctx: StepContext) => {
  const n = notificationNames({ ...ctx.spec, partition: ctx.names.partition });
  return { n, input: notificationRuleInput(ctx.spec, n, ctx.names.pipeline.arn) };
};

function sameRule(current: RuleState, input: ReturnType<typeof notificationRuleInput>): boolean {
  return (
    current.resource === input.Resource &&
    current.eventTypeIds.join() === [...input.EventTypeIds].sort().join() &&
    current.detailType === input.DetailType &&
    current.status === input.Status &&
    current.targets.length === input.Targets.length &&
    input.Targets.every((t) => current.targets.some((c) => c.TargetType === t.TargetType && c.TargetAddress === t.TargetAddress))
  );
}

const unreachable = (current: RuleState | null) => current?.targets.filter((t) => t.TargetStatus === "UNREACHABLE") ?? [];
const unreachableMessage = (topics: string[]) =>
  `CodeStar Notifications reports the target ${topics.join(", ")} as UNREACHABLE: the topic is gone or its access policy does not allow ${NOTIFICATIONS_SERVICE_PRINCIPAL} to SNS:Publish, so nothing is delivered`;

const view = (r: RuleState | null) =>
  r && {
    Name: r.name,
    Resource: r.resource,
    EventTypeIds: r.eventTypeIds,
    DetailType: r.detailType,
    Targets: r.targets.map((t) => ({ TargetType: t.TargetType, TargetAddress: t.TargetAddress })),
    Status: r.status,
  };

export const notificationRuleStep: StepDefinition = {
  key: "tools.notifications-rule",
  title: "Notification rule (failed runs, pending approvals)",
  account: "tools",
  dependsOn: ["tools.pipeline", "tools.notifications-topic"],
  enabled: (spec) => !!spec.notifications,
  async plan(ctx) {
    const { n, input } = specOf(ctx);
    const current = await findNotificationRule(ctx.clients.tools, input.Resource, n.ruleName, ctx.spec.onboardingId);
    const same = !!current && sameRule(current, input);
    const down = unreachable(current);
    const { Tags: _tags, ...desired } = input;
    return item(notificationRuleStep, ctx, {
      kind: "notification-rule",
      name: n.ruleName,
      arn: current?.arn,
      action: actionFor(current?.ownership ?? null, !same || down.length > 0),
      reason: !current
        ? "does not exist"
        : (ownershipReason(current.ownership, current.marked) ??
          (!same
            ? "event types, detail, status or target differ"
            : down.length
              ? `${unreachableMessage(down.map((t) => t.TargetAddress))}; the topic step above restores its policy`
              : "matches")),
      documents: [plainDocument("Notification rule", view(current), desired, same)],
      cli: notificationRuleCli(),
    });
  },
  async apply(ctx) {
    const { n, input } = specOf(ctx);
    const client = ctx.clients.tools.notifications;
    const current = await findNotificationRule(ctx.clients.tools, input.Resource, n.ruleName, ctx.spec.onboardingId);
    let arn = current?.arn;
    if (!current) {
      arn = (await client.send(new CreateNotificationRuleCommand(input))).Arn;
    } else {
      assertMayConverge(ctx, notificationRuleStep, current.ownership, `The notification rule ${n.ruleName}`, {
        marked: current.marked,
        account: ctx.names.toolsAccountId,
      });
      if (current.ownership !== "ours") await client.send(new TagResourceCommand({ Arn: current.arn, Tags: input.Tags }));
      if (!sameRule(current, input)) {
        await client.send(
          new UpdateNotificationRuleCommand({
            Arn: current.arn,
            EventTypeIds: input.EventTypeIds,
            DetailType: input.DetailType,
            Targets: input.Targets,
            Status: input.Status,
          }),
        );
      }
    }
    // The topic step ran first: a target still unreachable means something outside the portal refuses the service.
    const after = await findNotificationRule(ctx.clients.tools, input.Resource, n.ruleName, ctx.spec.onboardingId);
    const down = unreachable(after);
    if (down.length)
      throw new StepFailure(
        "NotificationTargetUnreachable",
        `${unreachableMessage(down.map((t) => t.TargetAddress))}. Check the topic's access policy (and any SCP or KMS key on the topic), then resume.`,
      );
    return { ruleArn: arn ?? "", ruleName: n.ruleName, origin: !current || current.ownership === "ours" ? "created" : "adopted" };
  },
};
