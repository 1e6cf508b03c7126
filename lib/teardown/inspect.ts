/**
 * Reads, for one ledger row, whether the resource exists in AWS and whether it is still this onboarding's own
 * (./ownership.ts): the name resolves to the recorded ARN and the tags name this onboarding. Writes nothing. The
 * destroy steps call it in the plan (so the offboard page shows what is kept and why) and again right before
 * deleting.
 */
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { DescribeRuleCommand, ListTagsForResourceCommand as ListRuleTagsCommand } from "@aws-sdk/client-eventbridge";
import { GetPipelineCommand, ListTagsForResourceCommand as ListPipelineTagsCommand } from "@aws-sdk/client-codepipeline";
import { BatchGetProjectsCommand } from "@aws-sdk/client-codebuild";
import { DescribeNotificationRuleCommand } from "@aws-sdk/client-codestar-notifications";
import { GetTopicAttributesCommand, ListTagsForResourceCommand as ListTopicTagsCommand } from "@aws-sdk/client-sns";
import { GetBucketTaggingCommand } from "@aws-sdk/client-s3";
import { isAwsError, readOrNull } from "@/lib/core/aws-errors";
import { sideOf } from "@/lib/provisioning/steps/retire-unused";
import type { LedgerRow, StepContext } from "@/lib/runs/types";
import { arnMismatchReason, notOwnReason, type TagPairs } from "./ownership";

/** `missing`: nothing to delete. `notOwn`: why it is kept (null: it is this onboarding's own). */
export type Inspection = { exists: false } | { exists: true; notOwn: string | null };

const MISSING: Inspection = { exists: false };

function judged(ctx: StepContext, recorded: string, found: string | undefined, tags: TagPairs): Inspection {
  return { exists: true, notOwn: arnMismatchReason(recorded, found) ?? notOwnReason(tags, [ctx.spec.onboardingId]) };
}

async function role(ctx: StepContext, r: LedgerRow): Promise<Inspection> {
  const got = await readOrNull(() => ctx.clients[sideOf(ctx, r)].iam.send(new GetRoleCommand({ RoleName: r.name })), "NoSuchEntityException");
  if (!got?.Role) return MISSING;
  return judged(ctx, r.arn, got.Role.Arn, (got.Role.Tags ?? []).map((t) => [t.Key ?? "", t.Value]));
}

async function rule(ctx: StepContext, r: LedgerRow): Promise<Inspection> {
  const eb = ctx.clients[sideOf(ctx, r)].eventbridge;
  const got = await readOrNull(() => eb.send(new DescribeRuleCommand({ Name: r.name })), "ResourceNotFoundException");
  if (!got) return MISSING;
  if (got.Arn !== r.arn) return judged(ctx, r.arn, got.Arn, []);
  const tags = await eb.send(new ListRuleTagsCommand({ ResourceARN: r.arn }));
  return judged(ctx, r.arn, got.Arn, (tags.Tags ?? []).map((t) => [t.Key ?? "", t.Value]));
}

async function pipeline(ctx: StepContext, r: LedgerRow): Promise<Inspection> {
  const cp = ctx.clients.tools.codepipeline;
  const got = await readOrNull(() => cp.send(new GetPipelineCommand({ name: r.name })), "PipelineNotFoundException");
  if (!got?.pipeline) return MISSING;
  const found = got.metadata?.pipelineArn;
  if (found !== r.arn) return judged(ctx, r.arn, found, []);
  const tags = await cp.send(new ListPipelineTagsCommand({ resourceArn: r.arn }));
  return judged(ctx, r.arn, found, (tags.tags ?? []).map((t) => [t.key ?? "", t.value]));
}

async function project(ctx: StepContext, r: LedgerRow): Promise<Inspection> {
  const got = (await ctx.clients.tools.codebuild.send(new BatchGetProjectsCommand({ names: [r.name] }))).projects?.[0];
  if (!got) return MISSING;
  return judged(ctx, r.arn, got.arn, (got.tags ?? []).map((t) => [t.key ?? "", t.value]));
}

async function notificationRule(ctx: StepContext, r: LedgerRow): Promise<Inspection> {
  const got = await readOrNull(() => ctx.clients.tools.notifications.send(new DescribeNotificationRuleCommand({ Arn: r.arn })), "ResourceNotFoundException");
  if (!got) return MISSING;
  return judged(ctx, r.arn, got.Arn ?? r.arn, Object.entries(got.Tags ?? {}));
}

async function topic(ctx: StepContext, r: LedgerRow): Promise<Inspection> {
  const sns = ctx.clients.tools.sns;
  try {
    await sns.send(new GetTopicAttributesCommand({ TopicArn: r.arn }));
  } catch (e) {
    if (isAwsError(e, "NotFoundException", "NotFound")) return MISSING;
    throw e;
  }
  const tags = await sns.send(new ListTopicTagsCommand({ ResourceArn: r.arn }));
  return judged(ctx, r.arn, r.arn, (tags.Tags ?? []).map((t) => [t.Key ?? "", t.Value]));
}

/** The bucket's tags (its name was already checked against the recorded ARN and this onboarding's bucket name). */
export async function inspectBucket(ctx: StepContext, bucket: string): Promise<Inspection> {
  const s3 = ctx.clients.tools.s3;
  let tags: TagPairs;
  try {
    tags = ((await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet ?? []).map((t) => [t.Key ?? "", t.Value]);
  } catch (e) {
    if (isAwsError(e, "NoSuchBucket", "NotFound")) return MISSING;
    if (!isAwsError(e, "NoSuchTagSet")) throw e;
    tags = [];
  }
  return { exists: true, notOwn: notOwnReason(tags, [ctx.spec.onboardingId]) };
}

const BY_KIND: Record<string, (ctx: StepContext, r: LedgerRow) => Promise<Inspection>> = {
  "iam-role": role,
  "eventbridge-rule": rule,
  codepipeline: pipeline,
  "codebuild-project": project,
  "notification-rule": notificationRule,
  "sns-topic": topic,
};

export function inspect(ctx: StepContext, r: LedgerRow): Promise<Inspection> {
  const read = BY_KIND[r.kind];
  if (!read) throw new Error(`teardown cannot inspect a ${r.kind}`);
  return read(ctx, r);
}
