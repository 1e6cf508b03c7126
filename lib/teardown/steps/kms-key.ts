import { DeleteAliasCommand, DescribeKeyCommand, ListResourceTagsCommand, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import { isAwsError, readOrNull } from "@/lib/provisioning/aws-errors";
import { STORE_TAG_KEY } from "@/lib/provisioning/steps/kms-key";
import type { StepContext, StepOutput } from "@/lib/provisioning/types";
import { sharingOf } from "../sharing";
import { destroyStep, teardownItem } from "./common";

async function keyDecision(ctx: StepContext) {
  const kms = ctx.clients.tools.kms;
  const alias = ctx.names.artifactStore.kmsAlias;
  const key = (await readOrNull(() => kms.send(new DescribeKeyCommand({ KeyId: alias })), "NotFoundException"))?.KeyMetadata ?? null;
  const sharing = await sharingOf(ctx.spec.onboardingId);
  const row = sharing.sharedLedger.find((r) => r.kind === "kms-key" && r.name === alias);
  const ours = !!key && ((await kms.send(new ListResourceTagsCommand({ KeyId: key.Arn! }))).Tags ?? []).some((t) => t.TagKey === STORE_TAG_KEY);
  const reason =
    !row || row.origin !== "created" || !ours ? "adopted: the portal did not create this key, so it never deletes it"
    : sharing.keyUsers.length ? `still used by onboarding ${sharing.keyUsers.map((u) => u.pipelineName).join(", ")}`
    : !ctx.teardown?.deleteKey ? "retained by choice: no other onboarding uses it; deleting it is an explicit option"
    : null;
  return { key, row, reason, wanted: !!ctx.teardown?.deleteKey && row?.origin === "created" && sharing.keyUsers.length === 0 };
}

export const destroyKeyStep = destroyStep({
  key: "destroy.tools.kms-key",
  title: "Artifact KMS key (shared per tools account and region)",
  account: "tools",
  dependsOn: ["destroy.tools.bucket", "destroy.tools.key-policy"],
  async planItems(ctx) {
    const d = await keyDecision(ctx);
    if (!d.key || d.key.KeyState === "PendingDeletion") return [];
    return [
      teardownItem(destroyKeyStep, ctx, {
        kind: "kms-key",
        name: ctx.names.artifactStore.kmsAlias,
        arn: d.key.Arn,
        shared: true,
        action: d.reason ? "keep" : "delete",
        reason: d.reason ?? `the alias is deleted and the key scheduled for deletion in ${ctx.teardown!.keyWaitingDays} days (CancelKeyDeletion undoes it until then); artifacts it encrypted become unreadable after that`,
      }),
    ];
  },
  async apply(ctx): Promise<StepOutput> {
    const d = await keyDecision(ctx);
    // The alias gone (an earlier attempt got this far): only the ledger row is left to retire.
    if (!d.key) return { scheduled: false, retiredLedgerIds: d.wanted ? d.row!.id : "" };
    if (d.reason) return { scheduled: false };
    const kms = ctx.clients.tools.kms;
    try {
      await kms.send(new DeleteAliasCommand({ AliasName: ctx.names.artifactStore.kmsAlias }));
    } catch (e) {
      if (!isAwsError(e, "NotFoundException")) throw e;
    }
    if (d.key.KeyState !== "PendingDeletion") await kms.send(new ScheduleKeyDeletionCommand({ KeyId: d.key.Arn!, PendingWindowInDays: ctx.teardown!.keyWaitingDays }));
    return { scheduled: true, keyArn: d.key.Arn!, retiredLedgerIds: d.row?.id ?? "" };
  },
});
