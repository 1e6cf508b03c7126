import { ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import { consoleUrlForArn } from "./console-url";
import { CREATE_TAGGED, REQUESTED } from "./grant-conditions";
import { kmsAlias } from "./kms-alias";
import type { ResourceKind } from "./types";

const keys = (a: string, p: string) => `arn:${p}:kms:*:${a}:key/*`;

/**
 * The artifact store's KMS key, shared by every onboarding of a tools account and region (tools.kms-key). Offboarding
 * never deletes it outright: with the person's explicit choice, after no other onboarding uses it, its alias goes and
 * the key is scheduled for deletion (lib/teardown/steps/kms-key.ts decides; this deletes).
 */
export const kmsKey: ResourceKind = {
  kind: "kms-key",
  label: "KMS key",
  service: "KMS",
  console: { url: consoleUrlForArn, example: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
  grants: [
    {
      section: "tools-managed",
      accounts: "tools",
      statement: () => ({
        Sid: "CreateArtifactKey",
        Effect: "Allow",
        Action: "kms:CreateKey",
        Resource: "*",
        Condition: {
          StringEquals: { "kms:KeySpec": "SYMMETRIC_DEFAULT", ...REQUESTED },
          "ForAllValues:StringLike": { "aws:TagKeys": "portal:*" },
        },
      }),
    },
    // KMS: tags given to CreateKey need kms:TagResource on every key of the account and region.
    {
      section: "tools-managed",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "TagArtifactKeys",
        Effect: "Allow",
        Action: "kms:TagResource",
        Resource: keys(a, p),
        Condition: CREATE_TAGGED,
      }),
    },
    // ListKeys finds a key created just before a crash, before its alias existed.
    {
      section: "tools-managed",
      accounts: "tools",
      statement: () => ({ Sid: "ListKeys", Effect: "Allow", Action: "kms:ListKeys", Resource: "*" }),
    },
    {
      section: "tools-managed",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "ReadKeys",
        Effect: "Allow",
        Action: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
        Resource: keys(a, p),
      }),
    },
    // A key policy written by this role never skips KMS's lockout safety check (it would let a policy lock the account out).
    // No IAM grant changes a key (PutKeyPolicy, ScheduleKeyDeletion, ...): the portal administers its keys through
    // the key policy statement written at CreateKey (provisioningRoleKeyAdministration), so tagging a foreign key
    // portal:managed-by (which kms:TagResource above cannot tell from tagging a new key) gains nothing.
    {
      section: "tools-managed",
      accounts: "tools",
      statement: () => ({
        Sid: "DenyKeyLockoutBypass",
        Effect: "Deny",
        Action: ["kms:CreateKey", "kms:PutKeyPolicy"],
        Resource: "*",
        Condition: { Bool: { "kms:BypassPolicyLockoutSafetyCheck": "true" } },
      }),
    },
  ],
  applySteps: ["tools.kms-key"],
  ledgerEntry: (stepKey, ctx, out) =>
    stepKey === "tools.kms-key"
      ? {
          accountId: ctx.names.toolsAccountId,
          kind: "kms-key",
          name: ctx.names.artifactStore.kmsAlias,
          arn: String(out.keyArn),
          shared: true,
        }
      : null,
  // `row.name` is the alias, `row.arn` the key; the waiting period is the offboarding's choice.
  async delete(ctx, row) {
    await (kmsAlias.delete as Exclude<ResourceKind["delete"], { none: string }>)(ctx, row);
    await ctx.clients.tools.kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: row.arn, PendingWindowInDays: ctx.teardown?.keyWaitingDays ?? 30 }),
    );
  },
};
