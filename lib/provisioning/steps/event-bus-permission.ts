import { DescribeEventBusCommand, PutPermissionCommand } from "@aws-sdk/client-eventbridge";
import { eventBusPolicyFor, eventBusPolicyStatement, eventBusPutPermissionInput } from "@/lib/policies/event-bus-policy";
import { parsePolicyDocument, statementEquals } from "@/lib/policies/merge";
import type { PolicyDocument } from "@/lib/policies/types";
import { isAwsError } from "@/lib/core/aws-errors";
import { StepFailure } from "@/lib/core/errors";
import { withResourceLock } from "@/lib/runs/resource-lock";
import { item, policyDocument } from "../plan-item";
import type { StepContext, StepDefinition } from "@/lib/runs/types";

async function busPolicy(ctx: StepContext): Promise<PolicyDocument | undefined> {
  const bus = await ctx.clients.tools.eventbridge.send(new DescribeEventBusCommand({ Name: "default" }));
  if (!bus.Policy) return undefined;
  const r = parsePolicyDocument(bus.Policy);
  return r.ok ? r.document : undefined;
}

function hasStatement(current: PolicyDocument | undefined, ctx: StepContext): boolean {
  const want = eventBusPolicyStatement(ctx.names, ctx.spec.organizationId);
  return !!current?.Statement.some((s) => s.Sid === want.Sid && statementEquals(s, want));
}

/** Created first: EventBridge checks a cross-account target's permission when the target is created. */
export const eventBusPermissionStep: StepDefinition = {
  key: "tools.event-bus-permission",
  title: "Default event bus permission for the repo account",
  account: "tools",
  dependsOn: [],
  async plan(ctx) {
    const current = await busPolicy(ctx);
    const present = hasStatement(current, ctx);
    return item(eventBusPermissionStep, ctx, {
      kind: "event-bus-permission",
      name: ctx.names.events.statementId,
      arn: ctx.names.events.toolsBusArn,
      action: present ? "no-change" : current?.Statement.some((s) => s.Sid === ctx.names.events.statementId) ? "update" : "create",
      reason: ctx.spec.organizationId
        ? present
          ? `the organization ${ctx.spec.organizationId} may already put events on the bus`
          : `let the accounts of organization ${ctx.spec.organizationId} put events on the default bus`
        : present
          ? `account ${ctx.names.repoAccountId} may already put events on the bus`
          : `let account ${ctx.names.repoAccountId} put events on the default bus`,
      shared: true,
      documents: [policyDocument("Event bus policy", current ?? null, eventBusPolicyFor(current, ctx.names, ctx.spec.organizationId))],
    });
  },
  async apply(ctx) {
    return withResourceLock(`event-bus:${ctx.names.events.toolsBusArn}`, async () => {
      if (!hasStatement(await busPolicy(ctx), ctx)) {
        try {
          await ctx.clients.tools.eventbridge.send(
            new PutPermissionCommand(eventBusPutPermissionInput(ctx.names, ctx.spec.organizationId)),
          );
        } catch (e) {
          // One statement per repo account: about 50 fit EventBridge's default 10,240 characters.
          if (!isAwsError(e, "PolicyLengthExceededException")) throw e;
          throw new StepFailure(
            "PolicyLengthExceededException",
            `The default event bus policy of account ${ctx.names.toolsAccountId} (${ctx.names.region}) is full: it holds one statement per repo account and EventBridge refused another. Set the AWS Organization id on the tools account (one statement for the whole organization), or ask AWS to raise the event bus policy quota, then resume.`,
          );
        }
      }
      return { statementId: ctx.names.events.statementId, busArn: ctx.names.events.toolsBusArn };
    });
  },
};
