/**
 * CodePipeline (JSON 1.1, `CodePipeline_20150709.<Op>`): pipelines (validated by codepipeline-declarations.ts) and their
 * tags; executions and approvals are codepipeline-executions.ts and codepipeline-approvals.ts.
 */
import { AwsError, validationError } from "../errors";
import { asList } from "../policy/types";
import { type OpContext, defineService, op } from "../registry";
import { hasTags, requestTagContext, tagKeysContext } from "../policy/tags";
import { peekRegion } from "../state";
import {
  type PipelineRecord,
  type Tag,
  cpState,
  getPipelineOrThrow,
  parsePipelineArn,
  pipelineArn,
  startPipelineExecution,
  type CodePipelineState,
} from "./codepipeline-store";
import { attachEngine } from "./codepipeline-exec";
import { pushControl } from "./codepipeline-exec-push";
import { type TagRules, checkTagList, constraint, presentTags } from "./shared/validation";
import type { ResourceTagLookup } from "../resource-tags";
import { type In, checkName, normalize, validateDeclaration } from "./codepipeline-declarations";
import { approvalOperations } from "./codepipeline-approvals";
import { executionOperations, pipelineResource, secs } from "./codepipeline-executions";

export { startPipelineExecution } from "./codepipeline-store";

const TAG_RULES: TagRules = {
  maxKeyLength: 128,
  maxValueLength: 256,
  maxTags: 50,
  tooMany: () => new AwsError("TooManyTagsException", "Tag limit exceeded: at most 50 tags.", 400),
  badKey: (key) => new AwsError("InvalidTagsException", `Invalid tag key: ${key}`, 400),
  badValue: (key) => new AwsError("InvalidTagsException", `Invalid tag value for key ${key}`, 400),
};
const checkTags = (tags: unknown): Tag[] => checkTagList(presentTags(tags), "key", "value", TAG_RULES);

/** Tagged resource: a pipeline of the caller's account+region. */
function taggedPipeline(ctx: OpContext, arn: unknown): PipelineRecord {
  const p = typeof arn === "string" ? parsePipelineArn(arn) : undefined;
  const rec =
    p && p.account === ctx.account && p.region === ctx.region ? cpState(ctx.world, ctx.account, ctx.region).pipelines[p.name] : undefined;
  if (!rec) throw new AwsError("ResourceNotFoundException", `The resource with ARN ${arn} was not found.`, 400);
  return rec;
}

/**
 * aws:ResourceTag/<k> of pipelines. A stage (PIPELINE/STAGE) or action (PIPELINE/STAGE/ACTION) cannot be tagged itself:
 * the Service Authorization Reference lists aws:ResourceTag for both resource types, and the tags they carry are their
 * pipeline's.
 */
const resourceTags: ResourceTagLookup[] = [
  {
    arn: /^arn:aws:codepipeline:([a-z0-9-]+):(\d{12}):([^/:]+)(?:\/[^/]+){0,2}$/,
    tags: (world, m) => peekRegion<CodePipelineState>(world, m[2], m[1], "codepipeline")?.pipelines?.[m[3]]?.tags,
  },
];

export const codepipelineService = defineService({
  name: "codepipeline",
  resourceTags,
  protocol: "json",
  targetPrefix: "CodePipeline_20150709",
  jsonContentType: "application/x-amz-json-1.1",
  attach: (host) => attachEngine(host),
  control: (req, host) => pushControl(req, host),
  operations: {
    ...executionOperations,
    ...approvalOperations,
    CreatePipeline: op<In, unknown>({
      iamAction: "codepipeline:CreatePipeline",
      mutating: true,
      resources: pipelineResource,
      conditionContext: (i) => requestTagContext(i.tags),
      // Creating a pipeline with tags also needs codepipeline:TagResource on it.
      alsoAuthorize: (i, ctx) =>
        hasTags(i.tags)
          ? [{ action: "codepipeline:TagResource", resource: pipelineResource(i, ctx), context: requestTagContext(i.tags) }]
          : [],
      handler: (i, ctx) => {
        const d = i.pipeline as In;
        if (typeof d !== "object" || d === null) throw constraint("pipeline", d, "Member must not be null");
        const name = checkName(d.name, "pipeline.name");
        const st = cpState(ctx.world, ctx.account, ctx.region);
        if (st.pipelines[name])
          throw new AwsError(
            "PipelineNameInUseException",
            `A pipeline with the name '${name}' already exists in account '${ctx.account}'`,
            400,
          );
        if (d.version !== undefined && d.version !== 1) throw validationError("The version of a new pipeline must be 1.");
        const tags = checkTags(i.tags);
        validateDeclaration(ctx, d);
        const declaration = normalize(d, 1);
        st.pipelines[name] = {
          name,
          arn: pipelineArn(ctx.region, ctx.account, name),
          declaration,
          created: ctx.now,
          updated: ctx.now,
          tags,
          executions: [],
        };
        // Creating a pipeline starts it.
        startPipelineExecution(ctx.world, {
          account: ctx.account,
          region: ctx.region,
          name,
          trigger: "CreatePipeline",
          triggerDetail: ctx.caller.arn,
          now: ctx.now,
        });
        return { pipeline: declaration, tags: tags.length ? tags : undefined };
      },
    }),
    UpdatePipeline: op<In, unknown>({
      iamAction: "codepipeline:UpdatePipeline",
      mutating: true,
      resources: pipelineResource,
      handler: (i, ctx) => {
        const d = i.pipeline as In;
        if (typeof d !== "object" || d === null) throw constraint("pipeline", d, "Member must not be null");
        if ((i as In).metadata !== undefined) throw validationError('Unknown parameter in input: "metadata".');
        const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, checkName(d.name, "pipeline.name"));
        if (d.version !== undefined && d.version !== p.declaration.version)
          throw new AwsError(
            "InvalidStructureException",
            `The pipeline version ${d.version} does not match the current version ${p.declaration.version}.`,
            400,
          );
        validateDeclaration(ctx, d);
        p.declaration = normalize(d, Number(p.declaration.version) + 1);
        p.updated = ctx.now;
        return { pipeline: p.declaration };
      },
    }),
    GetPipeline: op<In, unknown>({
      iamAction: "codepipeline:GetPipeline",
      mutating: false,
      resources: pipelineResource,
      handler: (i, ctx) => {
        const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, i.name);
        if (i.version !== undefined && i.version !== p.declaration.version)
          throw new AwsError(
            "PipelineVersionNotFoundException",
            `Pipeline version ${i.version} of ${p.name} was not found (the sandbox keeps only the current version).`,
            400,
          );
        return { pipeline: p.declaration, metadata: { pipelineArn: p.arn, created: secs(p.created), updated: secs(p.updated) } };
      },
    }),
    DeletePipeline: op<In, unknown>({
      iamAction: "codepipeline:DeletePipeline",
      mutating: true,
      resources: pipelineResource,
      handler: (i, ctx) => {
        // Deleting a missing pipeline succeeds, as in AWS.
        delete cpState(ctx.world, ctx.account, ctx.region).pipelines[checkName(i.name, "name")];
        return {};
      },
    }),
    ListPipelines: op<In, unknown>({
      iamAction: "codepipeline:ListPipelines",
      mutating: false,
      resources: () => "*",
      handler: (i, ctx) => {
        const all = Object.values(cpState(ctx.world, ctx.account, ctx.region).pipelines)
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((p) => ({
            name: p.name,
            version: p.declaration.version,
            pipelineType: p.declaration.pipelineType,
            executionMode: p.declaration.executionMode ?? "SUPERSEDED",
            created: secs(p.created),
            updated: secs(p.updated),
          }));
        const start = i.nextToken ? Number(i.nextToken) : 0;
        const max = Number(i.maxResults ?? 1000);
        return { pipelines: all.slice(start, start + max), nextToken: start + max < all.length ? String(start + max) : undefined };
      },
    }),
    TagResource: op<In, unknown>({
      iamAction: "codepipeline:TagResource",
      mutating: true,
      resources: (i) => String(i.resourceArn ?? "*"),
      conditionContext: (i) => requestTagContext(i.tags),
      handler: (i, ctx) => {
        const p = taggedPipeline(ctx, i.resourceArn);
        const add = checkTags(i.tags);
        const merged = [...p.tags.filter((t) => !add.some((a) => a.key === t.key)), ...add];
        if (merged.length > 50) throw new AwsError("TooManyTagsException", "Tag limit exceeded: at most 50 tags.", 400);
        p.tags = merged;
        return {};
      },
    }),
    UntagResource: op<In, unknown>({
      iamAction: "codepipeline:UntagResource",
      mutating: true,
      resources: (i) => String(i.resourceArn ?? "*"),
      conditionContext: (i) => tagKeysContext(i.tagKeys),
      handler: (i, ctx) => {
        const p = taggedPipeline(ctx, i.resourceArn);
        const keys = asList(i.tagKeys as string[]);
        p.tags = p.tags.filter((t) => !keys.includes(t.key));
        return {};
      },
    }),
    ListTagsForResource: op<In, unknown>({
      iamAction: "codepipeline:ListTagsForResource",
      mutating: false,
      resources: (i) => String(i.resourceArn ?? "*"),
      handler: (i, ctx) => ({ tags: taggedPipeline(ctx, i.resourceArn).tags }),
    }),
  },
});
