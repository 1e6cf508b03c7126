// What AWS holds that the portal makes, read as each account's root (not through the portal), compared with the
// portal's ledger (ProvisionedResource): resources made twice (a KMS key is identified by its id, not its name,
// so a create repeated after a crash makes a second one), resources outside the ledger (orphans), and ledger
// entries AWS does not have (missing).
import { ListRolesCommand, IAMClient } from "@aws-sdk/client-iam";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { KMSClient, ListKeysCommand, ListResourceTagsCommand, DescribeKeyCommand } from "@aws-sdk/client-kms";
import { CodePipelineClient, ListPipelinesCommand } from "@aws-sdk/client-codepipeline";
import { CodeBuildClient, ListProjectsCommand } from "@aws-sdk/client-codebuild";
import { EventBridgeClient, ListRulesCommand } from "@aws-sdk/client-eventbridge";
import { sandboxRootClient } from "@/lib/aws/client-factory";
import { MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE } from "@/lib/policies/types";

export interface Found {
  accountId: string;
  kind: string;
  name: string;
}
export interface LedgerRow extends Found {
  arn: string;
}

/** Every resource of the kinds the portal creates, in each account (us-east-1). */
export async function listAccount(endpoint: string, accountId: string, region = "us-east-1"): Promise<(Found & { arn?: string })[]> {
  const root = <T>(C: new (cfg: never) => T) => sandboxRootClient(C, accountId, { endpoint, region });
  const out: (Found & { arn?: string })[] = [];
  const iam = root(IAMClient);
  let marker: string | undefined;
  do {
    const r = await iam.send(new ListRolesCommand({ PathPrefix: "/portal/", Marker: marker }));
    for (const role of r.Roles ?? []) out.push({ accountId, kind: "iam-role", name: role.RoleName! });
    marker = r.IsTruncated ? r.Marker : undefined;
  } while (marker);
  for (const b of (await root(S3Client).send(new ListBucketsCommand({}))).Buckets ?? [])
    if (b.Name?.startsWith("codepipeline-artifacts-")) out.push({ accountId, kind: "s3-bucket", name: b.Name });
  const kms = root(KMSClient);
  let kmarker: string | undefined;
  do {
    const r = await kms.send(new ListKeysCommand({ Marker: kmarker }));
    for (const k of r.Keys ?? []) {
      const tags = (await kms.send(new ListResourceTagsCommand({ KeyId: k.KeyId! }))).Tags ?? [];
      if (!tags.some((t) => t.TagKey === MANAGED_BY_TAG_KEY && t.TagValue === MANAGED_BY_TAG_VALUE)) continue;
      const d = await kms.send(new DescribeKeyCommand({ KeyId: k.KeyId! }));
      if (d.KeyMetadata?.KeyState === "PendingDeletion") continue;
      out.push({ accountId, kind: "kms-key", name: k.KeyId!, arn: k.KeyArn });
    }
    kmarker = r.Truncated ? r.NextMarker : undefined;
  } while (kmarker);
  for (const p of (await root(CodePipelineClient).send(new ListPipelinesCommand({}))).pipelines ?? [])
    out.push({ accountId, kind: "codepipeline", name: p.name! });
  for (const p of (await root(CodeBuildClient).send(new ListProjectsCommand({}))).projects ?? [])
    out.push({ accountId, kind: "codebuild-project", name: p });
  for (const rule of (await root(EventBridgeClient).send(new ListRulesCommand({}))).Rules ?? [])
    out.push({ accountId, kind: "eventbridge-rule", name: rule.Name! });
  return out;
}

export interface Comparison {
  duplicates: string[];
  orphans: string[];
  missing: string[];
}

export function compareWithLedger(found: (Found & { arn?: string })[], ledger: LedgerRow[]): Comparison {
  const duplicates: string[] = [];
  const orphans: string[] = [];
  const missing: string[] = [];
  const key = (f: Found) => `${f.accountId}/${f.kind}/${f.name}`;
  // KMS keys: the ledger names the alias and holds the key's ARN.
  const ledgerKeys = ledger.filter((l) => l.kind === "kms-key");
  const foundKeys = found.filter((f) => f.kind === "kms-key");
  for (const k of foundKeys) {
    if (ledgerKeys.some((l) => l.arn === k.arn)) continue;
    (ledgerKeys.some((l) => l.accountId === k.accountId) ? duplicates : orphans).push(`${k.accountId} kms-key ${k.arn}`);
  }
  for (const l of ledgerKeys) if (!foundKeys.some((k) => k.arn === l.arn)) missing.push(`${l.accountId} kms-key ${l.arn}`);
  const named = found.filter((f) => f.kind !== "kms-key");
  const seen = new Map<string, number>();
  for (const f of named) seen.set(key(f), (seen.get(key(f)) ?? 0) + 1);
  const ledgerNamed = new Set(
    ledger
      .filter((l) => l.kind !== "kms-key" && l.kind !== "event-bus-permission" && l.kind !== "sns-topic" && l.kind !== "notification-rule")
      .map(key),
  );
  for (const [k, n] of seen) {
    if (n > 1) duplicates.push(`${k} ×${n}`);
    if (!ledgerNamed.has(k)) orphans.push(k);
  }
  for (const k of ledgerNamed) if (!seen.has(k)) missing.push(k);
  return { duplicates, orphans, missing };
}
