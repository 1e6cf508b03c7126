import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  type KeyMetadata,
  type KMSClient,
} from "@aws-sdk/client-kms";
import { createKeyInput } from "@/lib/policies/kms-key-policy";
import { MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE } from "@/lib/policies/types";
import { markedManaged } from "@/lib/policies/common";
import { keyPolicyAdministeredBy } from "@/lib/policies/key-administrator";
import { parsePolicyDocument } from "@/lib/policies/merge";
import { PORTAL_KEY_ADMIN_ACTIONS, provisioningRoleKeyAdministration } from "@/lib/resources/provisioning-role";
import { keyByAlias } from "@/lib/resources/kms-alias";
import { StepFailure } from "@/lib/core/errors";
import { isAwsError } from "@/lib/core/aws-errors";
import { assertMayConverge } from "../ownership";
import { withResourceLock } from "@/lib/runs/resource-lock";
import { actionFor, item, ownershipReason, plainDocument } from "../plan-item";
import type { StepContext, StepDefinition } from "@/lib/runs/types";

/** Tag on the shared artifact key, so a key created just before a crash (alias not yet set) is found again. */
export const STORE_TAG_KEY = "portal:artifact-store";

/**
 * The shared key is "ours" when it carries the artifact-store tag; any other key holding the alias is untagged, and
 * the provisioning role may change it only once an administrator marked it portal:managed-by.
 */
async function keyTags(kms: KMSClient, keyId: string) {
  const tags = ((await kms.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags ?? []).map((t): [string, string | undefined] => [
    t.TagKey ?? "",
    t.TagValue,
  ]);
  return { ours: tags.some(([k]) => k === STORE_TAG_KEY), marked: markedManaged(tags) };
}

/** Tags of a key, or null when its key policy does not let this account's IAM read them (a foreign key: skip it). */
async function tagsOrNull(kms: KMSClient, keyId: string) {
  try {
    return (await kms.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags ?? [];
  } catch (e) {
    if (isAwsError(e, "AccessDeniedException", "AccessDenied", "NotFoundException", "KMSInvalidStateException")) return null;
    throw e;
  }
}

/** A key of ours whose alias was never created (crash between CreateKey and CreateAlias). */
async function orphanKey(kms: KMSClient, alias: string): Promise<KeyMetadata | null> {
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListKeysCommand({ Marker: marker }));
    for (const k of page.Keys ?? []) {
      const tags = await tagsOrNull(kms, k.KeyId!);
      if ((tags ?? []).some((t) => t.TagKey === STORE_TAG_KEY && t.TagValue === alias)) {
        const meta = (await kms.send(new DescribeKeyCommand({ KeyId: k.KeyId! }))).KeyMetadata!;
        if (meta.KeyState !== "PendingDeletion") return meta;
      }
    }
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return null;
}

function desiredSettings(ctx: StepContext) {
  return { alias: ctx.names.artifactStore.kmsAlias, keySpec: "SYMMETRIC_DEFAULT", keyRotationEnabled: true, keyState: "Enabled" };
}

export const kmsKeyStep: StepDefinition = {
  key: "tools.kms-key",
  title: "Artifact KMS key (shared per tools account and region)",
  account: "tools",
  dependsOn: [],
  async plan(ctx) {
    const kms = ctx.clients.tools.kms;
    const alias = ctx.names.artifactStore.kmsAlias;
    const key = await keyByAlias(kms, alias);
    const desired = desiredSettings(ctx);
    if (!key) {
      return item(kmsKeyStep, ctx, {
        kind: "kms-key",
        name: alias,
        action: "create",
        reason: "no key has this alias yet: a symmetric key is created, rotation on",
        shared: true,
        documents: [plainDocument("Key settings", null, desired, false)],
      });
    }
    const rotation =
      key.KeyState === "Enabled" ? (await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.Arn! }))).KeyRotationEnabled : false;
    const current = { alias, keySpec: key.KeySpec, keyRotationEnabled: !!rotation, keyState: key.KeyState };
    const same = current.keyRotationEnabled && key.KeyState === "Enabled";
    const tags = await keyTags(kms, key.Arn!);
    const ownership = tags.ours ? "ours" : "untagged";
    return item(kmsKeyStep, ctx, {
      kind: "kms-key",
      name: alias,
      arn: key.Arn,
      action: actionFor(ownership, !same),
      reason:
        ownershipReason(ownership, tags.marked) ??
        (same
          ? "exists, enabled, rotation on"
          : key.KeyState === "PendingDeletion"
            ? "scheduled for deletion: deletion is cancelled"
            : "rotation or state differs"),
      shared: true,
      documents: [plainDocument("Key settings", current, desired, same)],
    });
  },
  // Serialized per account and region: concurrent onboardings must end up sharing one key.
  apply: (ctx) => withResourceLock(`kms-store:${ctx.names.toolsAccountId}:${ctx.names.region}`, () => ensureKey(ctx)),
};

async function ensureKey(ctx: StepContext) {
  const kms = ctx.clients.tools.kms;
  const alias = ctx.names.artifactStore.kmsAlias;
  const key = await keyByAlias(kms, alias);
  if (!key) return createKey(ctx, kms, alias);
  let origin = "created";
  const tags = await keyTags(kms, key.Arn!);
  if (!tags.ours)
    assertMayConverge(ctx, kmsKeyStep, "untagged", `The KMS key with alias ${alias}`, {
      marked: tags.marked,
      account: ctx.names.toolsAccountId,
    });
  const enabled = key.KeyState === "Enabled";
  const rotationOn = enabled && !!(await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.Arn! }))).KeyRotationEnabled;
  // Only the key policy lets the provisioning role change a key (no IAM grant does): check before writing anything.
  if (!tags.ours || !enabled || !rotationOn) await assertKeyAdministrable(ctx, kms, key.Arn!, alias);
  if (!tags.ours) {
    origin = "adopted";
    await kms.send(
      new TagResourceCommand({
        KeyId: key.Arn!,
        Tags: [
          { TagKey: MANAGED_BY_TAG_KEY, TagValue: MANAGED_BY_TAG_VALUE },
          { TagKey: STORE_TAG_KEY, TagValue: alias },
        ],
      }),
    );
  }
  if (key.KeyState === "PendingDeletion") await kms.send(new CancelKeyDeletionCommand({ KeyId: key.Arn! }));
  if (key.KeyState === "PendingDeletion" || key.KeyState === "Disabled") await kms.send(new EnableKeyCommand({ KeyId: key.Arn! }));
  const rotation = enabled ? rotationOn : !!(await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.Arn! }))).KeyRotationEnabled;
  if (!rotation) await kms.send(new EnableKeyRotationCommand({ KeyId: key.Arn! }));
  return { keyArn: key.Arn!, keyId: key.KeyId!, alias, origin };
}

/** Fails, writing nothing, when the key's policy does not name the provisioning role as its administrator. */
async function assertKeyAdministrable(ctx: StepContext, kms: KMSClient, keyArn: string, alias: string) {
  const roleArn = ctx.spec.toolsProvisioningRoleArn;
  if (!roleArn) return;
  const text = (await kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: "default" }))).Policy;
  const parsed = text ? parsePolicyDocument(text) : null;
  if (keyPolicyAdministeredBy(parsed?.ok ? parsed.document : undefined, roleArn)) return;
  throw new StepFailure(
    "KeyPolicyDoesNotNameProvisioningRole",
    `The KMS key with alias ${alias} needs a change (tags, state or rotation), but its key policy does not name the provisioning role ${roleArn} as administrator, and no IAM grant lets the portal change a key. An administrator of account ${ctx.names.toolsAccountId} adds the statement ${provisioningRoleKeyAdministration(roleArn).Sid} (${PORTAL_KEY_ADMIN_ACTIONS.join(", ")} for that role) to the key policy, then resume.`,
  );
}

/** A new key (or one created just before a crash, found by its tag), its alias and rotation. */
async function createKey(ctx: StepContext, kms: KMSClient, alias: string) {
  let key = await orphanKey(kms, alias);
  if (!key) {
    const input = createKeyInput(ctx.spec, ctx.names);
    key = (await kms.send(new CreateKeyCommand({ ...input, Tags: [...input.Tags, { TagKey: STORE_TAG_KEY, TagValue: alias }] })))
      .KeyMetadata!;
  }
  const keyId = key.KeyId!;
  const [aliasResult] = await Promise.allSettled([
    kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId })),
    kms.send(new EnableKeyRotationCommand({ KeyId: keyId })),
  ]).then(async (results) => {
    const failed = results.find((r) => r.status === "rejected" && !isAwsError(r.reason, "AlreadyExistsException"));
    if (failed) throw (failed as PromiseRejectedResult).reason;
    return results;
  });
  if (aliasResult.status === "rejected") {
    // Another portal process won the race: use its key and retire the one made here.
    const winner = (await keyByAlias(kms, alias))!;
    if (winner.KeyId !== keyId) await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    return { keyArn: winner.Arn!, keyId: winner.KeyId!, alias, origin: "created" };
  }
  return { keyArn: key.Arn!, keyId, alias, origin: "created" };
}
