import { GetKeyPolicyCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { DescribeEventBusCommand } from "@aws-sdk/client-eventbridge";
import { BatchGetProjectsCommand } from "@aws-sdk/client-codebuild";
import { parsePolicyDocument, policyEquals } from "@/lib/policies/merge";
import type { PolicyDocument } from "@/lib/policies/types";
import { policyDocument } from "@/lib/provisioning/plan-item";
import { withResourceLock } from "@/lib/runs/resource-lock";
import type { StepContext, StepOutput } from "@/lib/runs/types";
import { keyByAlias } from "@/lib/resources/kms-alias";
import { deleteRecorded } from "@/lib/resources/lifecycle";
import { eventBusPolicyWithout, keyPolicyWithout } from "../documents";
import { sharingOf, type OtherUser } from "../sharing";
import { destroyStep, teardownItem } from "./common";

function parse(text: string | undefined): PolicyDocument | null {
  if (!text) return null;
  const r = parsePolicyDocument(text);
  return r.ok ? r.document : null;
}

const usedBy = (users: OtherUser[]) => users.map((u) => u.pipelineName).join(", ");

/** The existing project's service role this onboarding granted the key, when it built with one. */
async function existingBuildRole(ctx: StepContext): Promise<string | undefined> {
  if (ctx.spec.build.mode !== "existing") return undefined;
  const p = (await ctx.clients.tools.codebuild.send(new BatchGetProjectsCommand({ names: [ctx.spec.build.projectName] }))).projects?.[0];
  const role = p?.serviceRole;
  return role && !role.startsWith("arn:") ? `arn:${ctx.names.partition}:iam::${ctx.names.toolsAccountId}:role/${role}` : role;
}

async function keyPolicyChange(ctx: StepContext) {
  const kms = ctx.clients.tools.kms;
  const key = await keyByAlias(kms, ctx.names.artifactStore.kmsAlias);
  if (!key?.Arn || key.KeyState === "PendingDeletion") return null;
  const current = parse((await kms.send(new GetKeyPolicyCommand({ KeyId: key.Arn, PolicyName: "default" }))).Policy);
  if (!current) return null;
  const sharing = await sharingOf(ctx.spec.onboardingId);
  const buildRole = sharing.buildRoleUsers.length ? undefined : await existingBuildRole(ctx);
  const desired = keyPolicyWithout(current, ctx.names, {
    repoAccountStillUsed: sharing.repoAccountUsers.length > 0,
    keyStillUsed: sharing.keyUsers.length > 0,
    buildRoleToRemove: buildRole,
  });
  return { keyArn: key.Arn, current, desired, sharing };
}

export const destroyKeyStatementsStep = destroyStep({
  key: "destroy.tools.key-policy",
  title: "Key policy (shared artifact key)",
  account: "tools",
  dependsOn: ["destroy.tools.roles", "destroy.repo.roles"],
  async planItems(ctx) {
    const change = await keyPolicyChange(ctx);
    if (!change) return [];
    const same = policyEquals(change.current, change.desired);
    const others = change.sharing.repoAccountUsers;
    return [
      teardownItem(destroyKeyStatementsStep, ctx, {
        kind: "kms-key-policy",
        name: ctx.names.artifactStore.kmsAlias,
        arn: change.keyArn,
        action: same ? "keep" : "update",
        shared: true,
        reason: same
          ? others.length
            ? `the repo account's grant stays: still used by onboarding ${usedBy(others)}`
            : "holds no grant of this onboarding"
          : "this onboarding's grants are removed; statements the portal did not write and other onboardings' grants stay",
        documents: [policyDocument("Key policy", change.current, change.desired)],
      }),
    ];
  },
  async apply(ctx): Promise<StepOutput> {
    return withResourceLock(`kms-key-policy:${ctx.names.artifactStore.kmsAlias}:${ctx.names.toolsAccountId}`, async () => {
      const change = await keyPolicyChange(ctx);
      if (change && !policyEquals(change.current, change.desired)) {
        await ctx.clients.tools.kms.send(
          new PutKeyPolicyCommand({ KeyId: change.keyArn, PolicyName: "default", Policy: JSON.stringify(change.desired) }),
        );
        return { changed: true };
      }
      return { changed: false };
    });
  },
});

async function busChange(ctx: StepContext) {
  const bus = await ctx.clients.tools.eventbridge.send(new DescribeEventBusCommand({ Name: "default" }));
  const current = parse(bus.Policy);
  const sharing = await sharingOf(ctx.spec.onboardingId);
  // With an Organization-wide grant every onboarding of the tools account and region uses the one statement.
  const others = ctx.spec.organizationId ? sharing.keyUsers : sharing.repoAccountUsers;
  const present = !!current?.Statement.some((s) => s.Sid === ctx.names.events.statementId);
  const row = sharing.sharedLedger.find((r) => r.kind === "event-bus-permission" && r.name === ctx.names.events.statementId);
  return { current, others, present, row };
}

export const destroyBusPermissionStep = destroyStep({
  key: "destroy.tools.event-bus-permission",
  title: "Default event bus permission for the repo account",
  account: "tools",
  dependsOn: ["destroy.repo.forward-push-rule"],
  async planItems(ctx) {
    const c = await busChange(ctx);
    if (!c.present || !c.current) return [];
    const remove = c.others.length === 0 && c.row?.origin !== "adopted";
    return [
      teardownItem(destroyBusPermissionStep, ctx, {
        kind: "event-bus-permission",
        name: ctx.names.events.statementId,
        arn: ctx.names.events.toolsBusArn,
        action: remove ? "update" : "keep",
        shared: true,
        reason: remove
          ? "no other onboarding needs it: the statement is removed (RemovePermission); other statements stay"
          : `still used by onboarding ${usedBy(c.others)}`,
        documents: remove ? [policyDocument("Event bus policy", c.current, eventBusPolicyWithout(c.current, ctx.names))] : [],
      }),
    ];
  },
  async apply(ctx): Promise<StepOutput> {
    return withResourceLock(`event-bus:${ctx.names.events.toolsBusArn}`, async (): Promise<StepOutput> => {
      const c = await busChange(ctx);
      if (c.others.length || c.row?.origin === "adopted") return { removed: false };
      if (c.present) {
        const n = ctx.names;
        const row = c.row ?? {
          id: "",
          accountId: n.toolsAccountId,
          region: ctx.spec.region,
          kind: "event-bus-permission",
          name: n.events.statementId,
          arn: n.events.toolsBusArn,
          origin: "created",
          shared: true,
        };
        await deleteRecorded(ctx, { ...row, name: n.events.statementId });
      }
      return { removed: true, retiredLedgerIds: c.row?.id ?? "" };
    });
  },
});
