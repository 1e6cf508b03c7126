import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  type CreateBucketCommandInput,
  type Tag,
  type S3Client,
} from "@aws-sdk/client-s3";
import { bucketSettingsInputs } from "@/lib/policies/bucket-policy";
import { ownershipOf, tagsKeyValue } from "@/lib/policies/common";
import { isAwsError, readOrNull } from "@/lib/core/aws-errors";
import { assertMayConverge } from "../ownership";
import { CREATING_ORIGIN } from "../ledger";
import { actionFor, item, ownershipReason, plainDocument } from "../plan-item";
import { StepFailure } from "@/lib/core/errors";
import type { StepContext, StepDefinition } from "@/lib/runs/types";

async function bucketExists(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (e) {
    if (isAwsError(e, "NotFound", "NoSuchBucket") || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
      return false;
    if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403) {
      throw new StepFailure(
        "BucketNameTaken",
        `The artifact bucket name ${bucket} belongs to another AWS account (S3 refused the request because of ExpectedBucketOwner). Bucket names are global and this one is derived from the tools account, region and pipeline name, so someone else created it on purpose or by accident. Rename the pipeline to get another bucket name.`,
      );
    }
    throw e;
  }
}

function desiredSettings(ctx: StepContext) {
  return {
    region: ctx.names.region,
    objectOwnership: "BucketOwnerEnforced",
    publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    encryption: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: ctx.store.keyArn },
    versioning: "Enabled",
  };
}

async function currentSettings(s3: S3Client, bucket: string, onboardingId: string) {
  const [location, ownership, pab, enc, versioning, tags] = await Promise.all([
    s3.send(new GetBucketLocationCommand({ Bucket: bucket })),
    readOrNull(() => s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket })), "OwnershipControlsNotFoundError"),
    readOrNull(() => s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })), "NoSuchPublicAccessBlockConfiguration"),
    readOrNull(() => s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })), "ServerSideEncryptionConfigurationNotFoundError"),
    s3.send(new GetBucketVersioningCommand({ Bucket: bucket })),
    readOrNull(() => s3.send(new GetBucketTaggingCommand({ Bucket: bucket })), "NoSuchTagSet"),
  ]);
  const rule = enc?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
  const p = pab?.PublicAccessBlockConfiguration;
  return {
    settings: {
      region: location.LocationConstraint || "us-east-1",
      objectOwnership: ownership?.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? null,
      publicAccessBlock: {
        BlockPublicAcls: !!p?.BlockPublicAcls,
        IgnorePublicAcls: !!p?.IgnorePublicAcls,
        BlockPublicPolicy: !!p?.BlockPublicPolicy,
        RestrictPublicBuckets: !!p?.RestrictPublicBuckets,
      },
      encryption: { SSEAlgorithm: rule?.SSEAlgorithm ?? null, KMSMasterKeyID: rule?.KMSMasterKeyID ?? null },
      versioning: versioning.Status ?? "Disabled",
    },
    ownership: ownershipOf(
      (tags?.TagSet ?? []).map((t) => [t.Key ?? "", t.Value]),
      onboardingId,
    ),
    tags: tags?.TagSet ?? [],
  };
}

function differences(current: ReturnType<typeof desiredSettings>, desired: ReturnType<typeof desiredSettings>) {
  return {
    ownership: current.objectOwnership !== desired.objectOwnership,
    publicAccessBlock: JSON.stringify(current.publicAccessBlock) !== JSON.stringify(desired.publicAccessBlock),
    encryption: current.encryption.SSEAlgorithm !== "aws:kms" || current.encryption.KMSMasterKeyID !== desired.encryption.KMSMasterKeyID,
    versioning: current.versioning !== "Enabled",
  };
}

export const bucketStep: StepDefinition = {
  key: "tools.bucket",
  title: "Artifact bucket (this pipeline's own)",
  account: "tools",
  dependsOn: ["tools.kms-key"],
  async plan(ctx) {
    const s3 = ctx.clients.tools.s3;
    const bucket = ctx.names.artifactStore.bucketName;
    const desired = desiredSettings(ctx);
    const base = { kind: "s3-bucket", name: bucket, arn: ctx.names.artifactStore.bucketArn };
    if (!(await bucketExists(s3, bucket))) {
      return item(bucketStep, ctx, {
        ...base,
        action: "create",
        reason: "does not exist",
        documents: [plainDocument("Bucket settings", null, desired, false)],
      });
    }
    const current = await currentSettings(s3, bucket, ctx.spec.onboardingId);
    const diff = differences(current.settings as never, desired);
    const changed = Object.entries(diff)
      .filter(([, v]) => v)
      .map(([k]) => k);
    return item(bucketStep, ctx, {
      ...base,
      action: actionFor(current.ownership, changed.length > 0),
      reason: ownershipReason(current.ownership) ?? (changed.length ? `${changed.join(", ")} differ` : "matches"),
      documents: [plainDocument("Bucket settings", current.settings, desired, changed.length === 0)],
    });
  },
  apply: (ctx) => ensureBucket(ctx),
};

async function ensureBucket(ctx: StepContext) {
  const s3 = ctx.clients.tools.s3;
  const bucket = ctx.names.artifactStore.bucketName;
  const inputs = bucketSettingsInputs(ctx.store, ctx.names.region);
  const ours = tagsKeyValue(ctx.spec);
  const tagging = (existing: Tag[]) =>
    new PutBucketTaggingCommand({
      Bucket: bucket,
      Tagging: { TagSet: [...existing.filter((t) => !ours.some((o) => o.Key === t.Key)), ...ours] },
    });
  const ledgerEntry = {
    accountId: ctx.names.toolsAccountId,
    kind: "s3-bucket",
    name: bucket,
    arn: ctx.names.artifactStore.bucketArn,
    shared: true,
  };
  if (!(await bucketExists(s3, bucket))) {
    // S3 cannot tag in CreateBucket: announce the create first, so a worker killed before the tagging below finds the
    // untagged bucket on resume and knows it made it (`announced` further down).
    await ctx.recordCreating?.(ledgerEntry);
    try {
      await s3.send(new CreateBucketCommand(inputs.createBucket as CreateBucketCommandInput));
    } catch (e) {
      if (!isAwsError(e, "BucketAlreadyOwnedByYou")) throw e;
    }
    // A bucket just created has only AWS's defaults: write every setting without reading first. Block Public Access
    // is on by default for every new bucket (AWS, April 2023), and the provisioning role may not change it.
    await Promise.all([
      s3.send(tagging([])),
      s3.send(new PutBucketOwnershipControlsCommand(inputs.ownershipControls)),
      s3.send(new PutBucketEncryptionCommand(inputs.encryption)),
      s3.send(new PutBucketVersioningCommand(inputs.versioning)),
    ]);
    return { bucketName: bucket, bucketArn: ctx.names.artifactStore.bucketArn, origin: "created" };
  }
  const current = await currentSettings(s3, bucket, ctx.spec.onboardingId);
  const announced =
    current.ownership === "untagged" &&
    ctx.ledger.some(
      (r) => r.kind === ledgerEntry.kind && r.name === bucket && r.accountId === ledgerEntry.accountId && r.origin === CREATING_ORIGIN,
    );
  if (!announced) assertMayConverge(ctx, bucketStep, current.ownership, `The artifact bucket ${bucket}`);
  if (current.settings.region !== ctx.names.region) {
    throw new StepFailure(
      "BucketInWrongRegion",
      `The artifact bucket ${bucket} is in ${current.settings.region}, but the pipeline is in ${ctx.names.region}. Bucket, key and pipeline must share one region.`,
    );
  }
  const diff = differences(current.settings as never, desiredSettings(ctx));
  if (diff.publicAccessBlock) {
    throw new StepFailure(
      "PublicAccessBlockLoosened",
      `The artifact bucket ${bucket} does not block all public access (Block Public Access: ${JSON.stringify(current.settings.publicAccessBlock)}). The provisioning role may not change that setting: an administrator of account ${ctx.names.toolsAccountId} turns all four settings back on, then resume.`,
    );
  }
  await Promise.all([
    current.ownership !== "ours" && s3.send(tagging(current.tags)),
    diff.ownership && s3.send(new PutBucketOwnershipControlsCommand(inputs.ownershipControls)),
    diff.encryption && s3.send(new PutBucketEncryptionCommand(inputs.encryption)),
    diff.versioning && s3.send(new PutBucketVersioningCommand(inputs.versioning)),
  ]);
  return {
    bucketName: bucket,
    bucketArn: ctx.names.artifactStore.bucketArn,
    origin: announced || current.ownership === "ours" ? "created" : "adopted",
  };
}
