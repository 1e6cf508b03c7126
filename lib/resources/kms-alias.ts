import { DeleteAliasCommand, DescribeKeyCommand, type KeyMetadata, type KMSClient } from "@aws-sdk/client-kms";
import { deleteUnlessGone } from "@/lib/core/aws-errors";
import { readOrNull } from "@/lib/core/aws-errors";
import type { ResourceKind } from "./types";

/** The key an alias names, or null when the alias does not exist. The one place the portal resolves its artifact key's alias. */
export async function keyByAlias(kms: KMSClient, alias: string): Promise<KeyMetadata | null> {
  const r = await readOrNull(() => kms.send(new DescribeKeyCommand({ KeyId: alias })), "NotFoundException");
  return r?.KeyMetadata ?? null;
}

/**
 * The artifact key's alias (alias/codepipeline-artifacts-<region>), created with the key by the tools.kms-key step
 * and recorded on the key's ledger row (its name). Deleted with the key, and only while it still names the recorded key.
 */
export const kmsAlias: ResourceKind = {
  kind: "kms-alias",
  label: "KMS alias",
  service: "KMS",
  console: { none: "an alias has no console page of its own: the key's page lists its aliases" },
  grants: [
    {
      section: "tools-managed",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "ArtifactKeyAliases",
        Effect: "Allow",
        Action: ["kms:CreateAlias", "kms:DeleteAlias"],
        Resource: `arn:${p}:kms:*:${a}:alias/codepipeline-artifacts-*`,
      }),
    },
  ],
  applySteps: ["tools.kms-key"],
  // `row`: the key's ledger row (name: the alias, arn: the key). An alias someone moved to another key is left alone.
  async delete(ctx, row) {
    const kms = ctx.clients.tools.kms;
    if ((await keyByAlias(kms, row.name))?.Arn !== row.arn) return;
    await deleteUnlessGone(() => kms.send(new DeleteAliasCommand({ AliasName: row.name })), "NotFoundException");
  },
};
