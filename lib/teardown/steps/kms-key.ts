import { ListResourceTagsCommand } from "@aws-sdk/client-kms";
import { deleteRecorded } from "@/lib/resources/lifecycle";
import { keyByAlias } from "@/lib/resources/kms-alias";
import { STORE_TAG_KEY } from "@/lib/provisioning/steps/kms-key";
import type { StepContext, StepOutput } from "@/lib/runs/types";
import { NOT_OWN, notOwnReason } from "@/lib/resources/ownership";
import { sharingOf } from "../sharing";
import { destroyStep, teardownItem } from "./common";

/**
 * The shared key is read by the ARN its ledger row records (the alias only when no row records it, for the plan to
 * show; such a key is never deleted). It is deleted only when it carries the artifact-store tag, portal:managed-by,
 * and portal:onboarding naming this onboarding or the one whose apply created it (the ledger row's): a key someone
 * re-tagged for another onboarding, or untagged, is kept. The alias is deleted only while it still points at it.
 */
async function keyDecision(ctx: StepContext) {
  const kms = ctx.clients.tools.kms;
  const alias = ctx.names.artifactStore.kmsAlias;
  const sharing = await sharingOf(ctx.spec.onboardingId);
  const row = sharing.sharedLedger.find((r) => r.kind === "kms-key" && r.name === alias);
  // By the recorded ARN when there is one (DescribeKey takes either).
  const key = await keyByAlias(kms, row?.arn || alias);
  const tags =
    key && key.KeyState !== "PendingDeletion"
      ? ((await kms.send(new ListResourceTagsCommand({ KeyId: key.Arn! }))).Tags ?? []).map((t): [string, string | undefined] => [
          t.TagKey ?? "",
          t.TagValue,
        ])
      : [];
  const notOwn =
    !key || key.KeyState === "PendingDeletion"
      ? null
      : !tags.some(([k, v]) => k === STORE_TAG_KEY && v === alias)
        ? `${NOT_OWN}: it carries no ${STORE_TAG_KEY}=${alias} tag, so offboarding leaves it in place`
        : notOwnReason(tags, [ctx.spec.onboardingId, ...(row?.onboardingId ? [row.onboardingId] : [])]);
  const reason =
    !row || row.origin !== "created"
      ? "adopted: the portal did not create this key, so it never deletes it"
      : notOwn
        ? notOwn
        : sharing.keyUsers.length
          ? `still used by onboarding ${sharing.keyUsers.map((u) => u.pipelineName).join(", ")}`
          : !ctx.teardown?.deleteKey
            ? "retained by choice: no other onboarding uses it; deleting it is an explicit option"
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
        reason:
          d.reason ??
          `the alias is deleted and the key scheduled for deletion in ${ctx.teardown!.keyWaitingDays} days (CancelKeyDeletion undoes it until then); artifacts it encrypted become unreadable after that`,
      }),
    ];
  },
  async apply(ctx): Promise<StepOutput> {
    const d = await keyDecision(ctx);
    // Already gone or already scheduled (an earlier attempt got this far): only the ledger row is left to retire.
    if (!d.key || d.key.KeyState === "PendingDeletion") return { scheduled: false, retiredLedgerIds: d.wanted ? d.row!.id : "" };
    if (d.reason) return { scheduled: false };
    // The alias only while it still names this key, then the key's deletion is scheduled (lib/resources/kms-key.ts).
    await deleteRecorded(ctx, { ...d.row!, name: ctx.names.artifactStore.kmsAlias, arn: d.key.Arn! });
    return { scheduled: true, keyArn: d.key.Arn!, retiredLedgerIds: d.row?.id ?? "" };
  },
});
