/**
 * CodePipeline (JSON 1.1, `CodePipeline_20150709.<Op>`): pipelines with AWS's create-time validations (structure,
 * artifacts, roles CodePipeline must be able to assume, artifact bucket), tags, and execution records.
 */
import { assertAuthorized, canServiceAssumeRole, checkAssumeRole } from "../access";
import { AwsError, validationError } from "../errors";
import { asList } from "../policy/types";
import { type OpContext, defineService, op } from "../registry";
import { hasTags, requestTagContext, tagKeysContext } from "../policy/tags";
import { peekRegion, type World } from "../state";
import {
  type PipelineExecution, type PipelineRecord, type SourceRevisionOverride, type Tag, cpState, getPipelineOrThrow, parsePipelineArn, pipelineArn,
  pipelineRoleSession, startPipelineExecution,
} from "./codepipeline-store";

import { type Engine, attachEngine, engineOf, stageBusy, stageDecls } from "./codepipeline-exec";
import { pushControl } from "./codepipeline-exec-push";
import { actionExecutionDetailJson, actionRuns, executionSummary, pipelineExecutionJson, pipelineStateJson } from "./codepipeline-exec-views";
import { type PageRules, idPage } from "./shared/pagination";
import { type TagRules, checkTagList, constraint, presentTags } from "./shared/validation";
import type { ResourceTagLookup } from "../resource-tags";
import type { CodePipelineState } from "./codepipeline-store";

export { startPipelineExecution } from "./codepipeline-store";

type In = Record<string, any>;
export const CODEPIPELINE_SERVICE_PRINCIPAL = "codepipeline.amazonaws.com";

const NAME = /^[A-Za-z0-9.@\-_]{1,100}$/;
const ARTIFACT = /^[a-zA-Z0-9_-]{1,100}$/;
const ROLE_ARN = /^arn:aws(-[\w]+)*:iam::[0-9]{12}:role\/.*$/;
const BUCKET = /^[a-zA-Z0-9\-.]{3,63}$/;

const structure = (m: string) => new AwsError("InvalidStructureException", m, 400);
const actionDecl = (m: string) => new AwsError("InvalidActionDeclarationException", m, 400);
function checkName(v: unknown, field: string): string {
  if (typeof v !== "string" || !NAME.test(v)) {
    if (typeof v === "string" && v.length > 100) throw constraint(field, v, "Member must have length less than or equal to 100");
    throw constraint(field, v, "Member must satisfy regular expression pattern: [A-Za-z0-9.@\\-_]+");
  }
  return v;
}

/** Action types the sandbox knows, with their artifact bounds [minIn, maxIn, minOut, maxOut] and required configuration. */
const ACTION_TYPES: Record<string, { io: [number, number, number, number]; required: string[] }> = {
  "Source/AWS/CodeCommit": { io: [0, 0, 1, 1], required: ["RepositoryName", "BranchName"] },
  "Source/AWS/S3": { io: [0, 0, 1, 1], required: ["S3Bucket", "S3ObjectKey"] },
  "Source/AWS/CodeStarSourceConnection": { io: [0, 0, 1, 1], required: ["ConnectionArn", "FullRepositoryId", "BranchName"] },
  "Source/AWS/ECR": { io: [0, 0, 1, 1], required: ["RepositoryName"] },
  "Build/AWS/CodeBuild": { io: [1, 5, 0, 5], required: ["ProjectName"] },
  "Test/AWS/CodeBuild": { io: [1, 5, 0, 5], required: ["ProjectName"] },
  "Approval/AWS/Manual": { io: [0, 0, 0, 0], required: [] },
  "Deploy/AWS/S3": { io: [1, 1, 0, 0], required: ["BucketName", "Extract"] },
  "Deploy/AWS/CloudFormation": { io: [0, 10, 0, 1], required: ["ActionMode"] },
  "Invoke/AWS/Lambda": { io: [0, 5, 0, 5], required: ["FunctionName"] },
};
const CATEGORIES = ["Source", "Build", "Deploy", "Test", "Invoke", "Approval", "Compute"];

/** Which region a bucket lives in, or undefined when no account owns it (read without creating anything). */
export function bucketRegion(world: World, bucket: string): string | undefined {
  for (const acct of Object.values(world.accounts)) {
    const g = acct.global?.s3 as { buckets?: Record<string, { region?: string }> } | undefined;
    if (g?.buckets?.[bucket]) return g.buckets[bucket].region ?? "us-east-1";
    for (const [region, services] of Object.entries(acct.regions ?? {})) {
      const s = services?.s3 as { buckets?: Record<string, { region?: string }> } | undefined;
      if (s?.buckets?.[bucket]) return s.buckets[bucket].region ?? region;
    }
  }
  return undefined;
}

function checkArtifactStore(ctx: OpContext, store: unknown, field: string): void {
  if (typeof store !== "object" || store === null) throw constraint(field, store, "Member must not be null");
  const s = store as In;
  if (s.type !== "S3") throw constraint(`${field}.type`, s.type, "Member must satisfy enum value set: [S3]");
  if (typeof s.location !== "string" || !BUCKET.test(s.location)) throw constraint(`${field}.location`, s.location, "Member must satisfy regular expression pattern: [a-zA-Z0-9\\-\\.]+");
  if (s.encryptionKey !== undefined) {
    const k = s.encryptionKey as In;
    if (typeof k?.id !== "string" || k.id.length < 1 || k.id.length > 400) throw constraint(`${field}.encryptionKey.id`, k?.id, "Member must have length less than or equal to 400");
    if (k.type !== "KMS") throw constraint(`${field}.encryptionKey.type`, k.type, "Member must satisfy enum value set: [KMS]");
    // An alias (alias/… or an alias ARN) is accepted, as AWS does: it resolves in whichever account uses it,
    // so a cross-account action fails at run time. Key existence is not checked at create time either.
  }
  const region = bucketRegion(ctx.world, s.location);
  if (!region) throw structure(`Artifact store location ${s.location} does not exist: the S3 bucket must exist in region ${ctx.region}`);
  if (region !== ctx.region) throw structure(`Artifact store location ${s.location} is in region ${region}; it must be in the pipeline's region ${ctx.region}`);
}

/** Every validation CreatePipeline/UpdatePipeline applies to a declaration. */
function validateDeclaration(ctx: OpContext, d: In): void {
  const name = d.name as string;
  if (typeof d.roleArn !== "string" || !ROLE_ARN.test(d.roleArn)) throw constraint("pipeline.roleArn", d.roleArn, "Member must satisfy regular expression pattern: arn:aws(-[\\w]+)*:iam::[0-9]{12}:role/.*");
  if (d.pipelineType !== undefined && d.pipelineType !== "V1" && d.pipelineType !== "V2") throw constraint("pipeline.pipelineType", d.pipelineType, "Member must satisfy enum value set: [V1, V2]");
  if (d.executionMode !== undefined && !["QUEUED", "SUPERSEDED", "PARALLEL"].includes(d.executionMode)) throw constraint("pipeline.executionMode", d.executionMode, "Member must satisfy enum value set: [QUEUED, SUPERSEDED, PARALLEL]");
  if (d.executionMode !== undefined && d.executionMode !== "SUPERSEDED" && (d.pipelineType ?? "V1") !== "V2")
    throw validationError(`Execution mode ${d.executionMode} is only supported for pipeline type V2.`);
  if (d.artifactStore !== undefined && d.artifactStores !== undefined) throw structure("Pipeline cannot have both artifactStore and artifactStores.");
  if (d.artifactStore === undefined && d.artifactStores === undefined) throw structure("Pipeline must have an artifactStore.");
  if (d.artifactStores !== undefined) {
    for (const [region, store] of Object.entries(d.artifactStores as In)) {
      if (region === ctx.region) checkArtifactStore(ctx, store, `pipeline.artifactStores.${region}`);
      else throw structure(`The sandbox supports artifact stores only in the pipeline's region ${ctx.region} (got ${region}).`);
    }
  } else checkArtifactStore(ctx, d.artifactStore, "pipeline.artifactStore");

  const stages = asList(d.stages as In[]);
  if (stages.length < 2) throw structure(`Pipeline ${name} has ${stages.length} stage(s): a pipeline must have at least 2 stages.`);
  if (stages.length > 50) throw new AwsError("LimitExceededException", `Pipeline ${name} has ${stages.length} stages: the limit is 50.`, 400);
  const stageNames = new Set<string>();
  const actionNames = new Set<string>();
  const produced = new Map<string, string>();
  stages.forEach((stage, si) => {
    const sname = checkName(stage?.name, `pipeline.stages.${si + 1}.member.name`);
    if (stageNames.has(sname)) throw structure(`Stage names must be unique: stage ${sname} appears more than once.`);
    stageNames.add(sname);
    const actions = asList(stage.actions as In[]);
    if (actions.length < 1) throw new AwsError("InvalidStageDeclarationException", `Stage ${sname} must contain at least one action.`, 400);
    if (actions.length > 50) throw new AwsError("InvalidStageDeclarationException", `Stage ${sname} has more than 50 actions.`, 400);
    const stageOutputs: { runOrder: number; names: string[] }[] = [];
    const sorted = [...actions].map((a, ai) => ({ a, ai })).sort((x, y) => (x.a?.runOrder ?? 1) - (y.a?.runOrder ?? 1));
    for (const { a, ai } of sorted) {
      const aname = checkName(a?.name, `pipeline.stages.${si + 1}.member.actions.${ai + 1}.member.name`);
      if (actionNames.has(`${sname}/${aname}`)) throw structure(`Action names must be unique within a stage: ${aname} appears more than once in stage ${sname}.`);
      actionNames.add(`${sname}/${aname}`);
      const t = a.actionTypeId as In;
      if (!t || !CATEGORIES.includes(t.category)) throw constraint(`pipeline.stages.${si + 1}.member.actions.${ai + 1}.member.actionTypeId.category`, t?.category, `Member must satisfy enum value set: [${CATEGORIES.join(", ")}]`);
      if (!["AWS", "ThirdParty", "Custom"].includes(t.owner)) throw constraint(`pipeline.stages.${si + 1}.member.actions.${ai + 1}.member.actionTypeId.owner`, t.owner, "Member must satisfy enum value set: [AWS, ThirdParty, Custom]");
      if (si === 0 && t.category !== "Source") throw structure(`Stage ${sname} is the first stage: it may contain only actions of category Source, but action ${aname} is of category ${t.category}.`);
      if (si > 0 && t.category === "Source") throw structure(`Action ${aname} in stage ${sname} is a Source action: Source actions are allowed only in the first stage.`);
      const type = ACTION_TYPES[`${t.category}/${t.owner}/${t.provider}`];
      if (!type || String(t.version) !== "1")
        throw actionDecl(`ActionType (Category: '${t.category}', Provider: '${t.provider}', Owner: '${t.owner}', Version: '${t.version}') in action '${aname}' is not available in region '${ctx.region}'`);
      const runOrder = a.runOrder ?? 1;
      if (!Number.isInteger(runOrder) || runOrder < 1 || runOrder > 999) throw constraint(`pipeline.stages.${si + 1}.member.actions.${ai + 1}.member.runOrder`, runOrder, "Member must have value between 1 and 999");
      const config = (a.configuration ?? {}) as Record<string, unknown>;
      for (const key of type.required) if (config[key] === undefined || config[key] === "") throw actionDecl(`Action configuration for action '${aname}' is missing required configuration '${key}'`);
      const inputs = asList(a.inputArtifacts as In[]).map((x, xi) => {
        if (typeof x?.name !== "string" || !ARTIFACT.test(x.name)) throw constraint(`pipeline.stages.${si + 1}.member.actions.${ai + 1}.member.inputArtifacts.${xi + 1}.member.name`, x?.name, "Member must satisfy regular expression pattern: [a-zA-Z0-9_\\-]+");
        return x.name as string;
      });
      const outputs = asList(a.outputArtifacts as In[]).map((x, xi) => {
        if (typeof x?.name !== "string" || !ARTIFACT.test(x.name)) throw constraint(`pipeline.stages.${si + 1}.member.actions.${ai + 1}.member.outputArtifacts.${xi + 1}.member.name`, x?.name, "Member must satisfy regular expression pattern: [a-zA-Z0-9_\\-]+");
        return x.name as string;
      });
      const [minIn, maxIn, minOut, maxOut] = type.io;
      if (inputs.length < minIn) throw actionDecl(`Action ${aname} declares ${inputs.length} input artifacts which is less than the minimum count (${minIn})`);
      if (inputs.length > maxIn) throw actionDecl(`Action ${aname} declares ${inputs.length} input artifacts which exceeds the maximum count (${maxIn})`);
      if (outputs.length < minOut) throw actionDecl(`Action ${aname} declares ${outputs.length} output artifacts which is less than the minimum count (${minOut})`);
      if (outputs.length > maxOut) throw actionDecl(`Action ${aname} declares ${outputs.length} output artifacts which exceeds the maximum count (${maxOut})`);
      for (const input of inputs) {
        const earlierInStage = stageOutputs.some((o) => o.runOrder < runOrder && o.names.includes(input));
        if (!produced.has(input) && !earlierInStage)
          throw structure(`Input artifact ${input} of action ${aname} in stage ${sname} is not declared as an output artifact of any preceding action.`);
      }
      for (const out of outputs) {
        if (produced.has(out) || stageOutputs.some((o) => o.names.includes(out))) throw structure(`Output artifact name ${out} must be unique within the pipeline.`);
      }
      stageOutputs.push({ runOrder, names: outputs });
      if (a.roleArn !== undefined && (typeof a.roleArn !== "string" || !ROLE_ARN.test(a.roleArn)))
        throw constraint(`pipeline.stages.${si + 1}.member.actions.${ai + 1}.member.roleArn`, a.roleArn, "Member must satisfy regular expression pattern: arn:aws(-[\\w]+)*:iam::[0-9]{12}:role/.*");
      if (a.region !== undefined && a.region !== ctx.region && t.category === "Source") throw structure(`Source action ${aname} cannot be cross-region.`);
    }
    for (const o of stageOutputs) for (const n of o.names) produced.set(n, sname);
  });

  // Roles: the caller passes the service role; CodePipeline must be able to assume it, and it must be able to
  // assume every action role (IAM propagation delay applies: a just-created role is not assumable yet).
  assertAuthorized(ctx.world, ctx.caller, "iam:PassRole", d.roleArn, { region: ctx.region, now: ctx.now, context: { "iam:PassedToService": CODEPIPELINE_SERVICE_PRINCIPAL } });
  const arn = pipelineArn(ctx.region, ctx.account, name);
  const opts = { now: ctx.now, iamPropagationDelayMs: ctx.faults.iamPropagationDelayMs };
  const service = canServiceAssumeRole(ctx.world, CODEPIPELINE_SERVICE_PRINCIPAL, d.roleArn, { ...opts, sourceAccount: ctx.account, sourceArn: arn });
  if (!service.ok) throw structure(`CodePipeline is not authorized to perform AssumeRole on role ${d.roleArn}`);
  const session = pipelineRoleSession(ctx.world, d.roleArn, name)!;
  for (const stage of stages) {
    for (const a of asList(stage.actions as In[])) {
      if (!a.roleArn) continue;
      const r = checkAssumeRole(ctx.world, session, a.roleArn, { ...opts, roleSessionName: session.sessionName });
      if (!r.ok) throw structure(`CodePipeline is not authorized to perform AssumeRole on role ${a.roleArn}`);
    }
  }
}

function normalize(d: In, version: number): Record<string, any> {
  const out: Record<string, any> = { ...d, version, pipelineType: d.pipelineType ?? "V1" };
  if (out.pipelineType === "V2") out.executionMode ??= "SUPERSEDED";
  else delete out.executionMode;
  out.stages = asList(d.stages as In[]).map((s) => ({
    ...s,
    actions: asList(s.actions as In[]).map((a) => ({
      ...a, runOrder: a.runOrder ?? 1, configuration: a.configuration ?? {},
      outputArtifacts: a.outputArtifacts ?? [], inputArtifacts: a.inputArtifacts ?? [],
    })),
  }));
  return out;
}

const TAG_RULES: TagRules = {
  maxKeyLength: 128, maxValueLength: 256, maxTags: 50,
  tooMany: () => new AwsError("TooManyTagsException", "Tag limit exceeded: at most 50 tags.", 400),
  badKey: (key) => new AwsError("InvalidTagsException", `Invalid tag key: ${key}`, 400),
  badValue: (key) => new AwsError("InvalidTagsException", `Invalid tag value for key ${key}`, 400),
};
const checkTags = (tags: unknown): Tag[] => checkTagList(presentTags(tags), "key", "value", TAG_RULES);

const secs = (ms: number) => ms / 1000;

/** The engine of this sandbox (attached when the server starts). */
function engine(ctx: OpContext): Engine {
  const e = engineOf(ctx.world);
  if (!e) throw new AwsError("InternalFailure", "The execution engine is not running.", 500);
  return e;
}

function executionOf(p: PipelineRecord, id: unknown): PipelineExecution {
  const e = typeof id === "string" ? p.executions.find((x) => x.pipelineExecutionId === id) : undefined;
  if (!e) throw new AwsError("PipelineExecutionNotFoundException", `Pipeline execution ${String(id)} of pipeline ${p.name} was not found.`, 400);
  return e;
}

/** maxResults (1–100, default 100) + nextToken (opaque: the id of the first item of the next page). */
const PAGES: PageRules = {
  defaultLimit: 100, maxLimit: 100,
  badToken: () => new AwsError("InvalidNextTokenException", "The next token was specified in an invalid format. Make sure that the next token you provide is the token returned by a previous call.", 400),
  badLimit: (limit) => constraint("maxResults", limit, "Member must have value between 1 and 100"),
};
function paged<T>(all: T[], i: In, idOf: (t: T) => string): { items: T[]; nextToken?: string } {
  const { items, next } = idPage(all, i.nextToken, i.maxResults, idOf, PAGES);
  return { items, nextToken: next };
}

/** StartPipelineExecution sourceRevisions: V2 only, source actions of the first stage, COMMIT_ID for CodeCommit. */
function checkSourceOverrides(p: PipelineRecord, raw: unknown): SourceRevisionOverride[] | undefined {
  const list = asList(raw as In[]);
  if (!list.length) return undefined;
  if (p.declaration.pipelineType !== "V2") throw validationError(`Source revision overrides are only supported for V2 pipelines; pipeline ${p.name} is ${p.declaration.pipelineType ?? "V1"}.`);
  if (list.length > 50) throw constraint("sourceRevisions", `[${list.length} items]`, "Member must have length less than or equal to 50");
  const sources = asList(p.declaration.stages?.[0]?.actions as In[]);
  return list.map((o, n) => {
    const action = sources.find((a) => a.name === o?.actionName);
    if (!action) throw validationError(`Source revision override ${n + 1}: action ${o?.actionName} is not a source action of pipeline ${p.name}.`);
    if (!["COMMIT_ID", "IMAGE_DIGEST", "S3_OBJECT_VERSION_ID", "S3_OBJECT_KEY"].includes(o.revisionType)) throw constraint(`sourceRevisions.${n + 1}.member.revisionType`, o.revisionType, "Member must satisfy enum value set: [COMMIT_ID, IMAGE_DIGEST, S3_OBJECT_VERSION_ID, S3_OBJECT_KEY]");
    if (action.actionTypeId?.provider === "CodeCommit" && o.revisionType !== "COMMIT_ID") throw validationError(`Revision type ${o.revisionType} is not valid for CodeCommit action ${o.actionName}: use COMMIT_ID.`);
    if (typeof o.revisionValue !== "string" || !o.revisionValue || o.revisionValue.length > 1500) throw constraint(`sourceRevisions.${n + 1}.member.revisionValue`, o.revisionValue, "Member must have length between 1 and 1500");
    return { actionName: o.actionName, revisionType: o.revisionType, revisionValue: o.revisionValue };
  });
}

const pipelineResource = (i: In, ctx: OpContext) => pipelineArn(ctx.region, ctx.account, String(i.pipeline?.name ?? i.name ?? i.pipelineName ?? "*"));
/** Tagged resource: a pipeline of the caller's account+region. */
function taggedPipeline(ctx: OpContext, arn: unknown): PipelineRecord {
  const p = typeof arn === "string" ? parsePipelineArn(arn) : undefined;
  const rec = p && p.account === ctx.account && p.region === ctx.region ? cpState(ctx.world, ctx.account, ctx.region).pipelines[p.name] : undefined;
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
    CreatePipeline: op<In, unknown>({
      iamAction: "codepipeline:CreatePipeline", mutating: true, resources: pipelineResource,
      conditionContext: (i) => requestTagContext(i.tags),
      // Creating a pipeline with tags also needs codepipeline:TagResource on it.
      alsoAuthorize: (i, ctx) => (hasTags(i.tags) ? [{ action: "codepipeline:TagResource", resource: pipelineResource(i, ctx), context: requestTagContext(i.tags) }] : []),
      handler: (i, ctx) => {
        const d = i.pipeline as In;
        if (typeof d !== "object" || d === null) throw constraint("pipeline", d, "Member must not be null");
        const name = checkName(d.name, "pipeline.name");
        const st = cpState(ctx.world, ctx.account, ctx.region);
        if (st.pipelines[name]) throw new AwsError("PipelineNameInUseException", `A pipeline with the name '${name}' already exists in account '${ctx.account}'`, 400);
        if (d.version !== undefined && d.version !== 1) throw validationError("The version of a new pipeline must be 1.");
        const tags = checkTags(i.tags);
        validateDeclaration(ctx, d);
        const declaration = normalize(d, 1);
        st.pipelines[name] = { name, arn: pipelineArn(ctx.region, ctx.account, name), declaration, created: ctx.now, updated: ctx.now, tags, executions: [] };
        // Creating a pipeline starts it.
        startPipelineExecution(ctx.world, { account: ctx.account, region: ctx.region, name, trigger: "CreatePipeline", triggerDetail: ctx.caller.arn, now: ctx.now });
        return { pipeline: declaration, tags: tags.length ? tags : undefined };
      },
    }),
    UpdatePipeline: op<In, unknown>({
      iamAction: "codepipeline:UpdatePipeline", mutating: true, resources: pipelineResource,
      handler: (i, ctx) => {
        const d = i.pipeline as In;
        if (typeof d !== "object" || d === null) throw constraint("pipeline", d, "Member must not be null");
        if ((i as In).metadata !== undefined) throw validationError("Unknown parameter in input: \"metadata\".");
        const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, checkName(d.name, "pipeline.name"));
        if (d.version !== undefined && d.version !== p.declaration.version)
          throw new AwsError("InvalidStructureException", `The pipeline version ${d.version} does not match the current version ${p.declaration.version}.`, 400);
        validateDeclaration(ctx, d);
        p.declaration = normalize(d, Number(p.declaration.version) + 1);
        p.updated = ctx.now;
        return { pipeline: p.declaration };
      },
    }),
    GetPipeline: op<In, unknown>({
      iamAction: "codepipeline:GetPipeline", mutating: false, resources: pipelineResource,
      handler: (i, ctx) => {
        const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, i.name);
        if (i.version !== undefined && i.version !== p.declaration.version)
          throw new AwsError("PipelineVersionNotFoundException", `Pipeline version ${i.version} of ${p.name} was not found (the sandbox keeps only the current version).`, 400);
        return { pipeline: p.declaration, metadata: { pipelineArn: p.arn, created: secs(p.created), updated: secs(p.updated) } };
      },
    }),
    DeletePipeline: op<In, unknown>({
      iamAction: "codepipeline:DeletePipeline", mutating: true, resources: pipelineResource,
      handler: (i, ctx) => {
        // Deleting a missing pipeline succeeds, as in AWS.
        delete cpState(ctx.world, ctx.account, ctx.region).pipelines[checkName(i.name, "name")];
        return {};
      },
    }),
    ListPipelines: op<In, unknown>({
      iamAction: "codepipeline:ListPipelines", mutating: false, resources: () => "*",
      handler: (i, ctx) => {
        const all = Object.values(cpState(ctx.world, ctx.account, ctx.region).pipelines)
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((p) => ({
            name: p.name, version: p.declaration.version, pipelineType: p.declaration.pipelineType,
            executionMode: p.declaration.executionMode ?? "SUPERSEDED", created: secs(p.created), updated: secs(p.updated),
          }));
        const start = i.nextToken ? Number(i.nextToken) : 0;
        const max = Number(i.maxResults ?? 1000);
        return { pipelines: all.slice(start, start + max), nextToken: start + max < all.length ? String(start + max) : undefined };
      },
    }),
    StartPipelineExecution: op<In, unknown>({
      iamAction: "codepipeline:StartPipelineExecution", mutating: true, resources: pipelineResource,
      handler: (i, ctx) => {
        const name = checkName(i.name, "name");
        const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, name);
        if (i.clientRequestToken !== undefined && (typeof i.clientRequestToken !== "string" || !/^[a-zA-Z0-9-]{1,128}$/.test(i.clientRequestToken)))
          throw constraint("clientRequestToken", i.clientRequestToken, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9-]+$");
        const same = i.clientRequestToken ? p.executions.find((e) => e.clientRequestToken === i.clientRequestToken) : undefined;
        if (same) return { pipelineExecutionId: same.pipelineExecutionId };
        const overrides = checkSourceOverrides(p, i.sourceRevisions);
        const first = String(p.declaration.stages?.[0]?.name ?? "");
        if ((p.declaration.executionMode ?? "SUPERSEDED") === "SUPERSEDED" && stageBusy(p, first))
          throw new AwsError("ConflictException", `Pipeline ${p.name} cannot start a new execution: execution ${stageBusy(p, first)!.pipelineExecutionId} is in progress in stage ${first}.`, 409);
        const e = startPipelineExecution(ctx.world, {
          account: ctx.account, region: ctx.region, name, trigger: "StartPipelineExecution", triggerDetail: ctx.caller.arn,
          clientRequestToken: i.clientRequestToken, sourceOverrides: overrides, now: ctx.now,
        });
        return { pipelineExecutionId: e.pipelineExecutionId };
      },
    }),
    ListPipelineExecutions: op<In, unknown>({
      iamAction: "codepipeline:ListPipelineExecutions", mutating: false, resources: pipelineResource,
      handler: (i, ctx) => {
        const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, i.pipelineName);
        const all = [...p.executions].reverse();
        const page = paged(all, i, (e) => e.pipelineExecutionId);
        return { pipelineExecutionSummaries: page.items.map(executionSummary), nextToken: page.nextToken };
      },
    }),
    GetPipelineExecution: op<In, unknown>({
      iamAction: "codepipeline:GetPipelineExecution", mutating: false, resources: pipelineResource,
      handler: (i, ctx) => {
        const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, i.pipelineName);
        return { pipelineExecution: pipelineExecutionJson(p, executionOf(p, i.pipelineExecutionId)) };
      },
    }),
    GetPipelineState: op<In, unknown>({
      iamAction: "codepipeline:GetPipelineState", mutating: false, resources: pipelineResource,
      handler: (i, ctx) => pipelineStateJson(getPipelineOrThrow(ctx.world, ctx.account, ctx.region, i.name), engineOf(ctx.world)?.baseUrl()),
    }),
    ListActionExecutions: op<In, unknown>({
      iamAction: "codepipeline:ListActionExecutions", mutating: false, resources: pipelineResource,
      handler: (i, ctx) => {
        const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, i.pipelineName);
        const id = i.filter?.pipelineExecutionId as string | undefined;
        if (id !== undefined) executionOf(p, id);
        const runs = actionRuns(p, id);
        const page = paged(runs, i, (r) => r.rec.actionExecutionId);
        const base = engineOf(ctx.world)?.baseUrl();
        return { actionExecutionDetails: page.items.map((r) => actionExecutionDetailJson(p, r.e, r.rec, base)), nextToken: page.nextToken };
      },
    }),
    PutApprovalResult: op<In, unknown>({
      iamAction: "codepipeline:PutApprovalResult", mutating: true,
      resources: (i, ctx) => `${pipelineArn(ctx.region, ctx.account, String(i.pipelineName ?? "*"))}/${i.stageName ?? "*"}/${i.actionName ?? "*"}`,
      handler: (i, ctx) => {
        const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, i.pipelineName);
        const stage = stageDecls(p).find((s) => s.name === i.stageName);
        if (!stage) throw new AwsError("StageNotFoundException", `Stage ${i.stageName} was not found in pipeline ${p.name}.`, 400);
        const action = asList(stage.actions as In[]).find((a) => a.name === i.actionName);
        if (!action) throw new AwsError("ActionNotFoundException", `Action ${i.actionName} was not found in stage ${i.stageName} of pipeline ${p.name}.`, 400);
        const r = i.result as In | undefined;
        if (!r || (r.status !== "Approved" && r.status !== "Rejected")) throw constraint("result.status", r?.status, "Member must satisfy enum value set: [Approved, Rejected]");
        if (typeof r.summary !== "string" || r.summary.length > 512) throw constraint("result.summary", r.summary, "Member must have length less than or equal to 512");
        if (typeof i.token !== "string" || !i.token) throw constraint("token", i.token, "Member must not be null");
        engine(ctx).approve(p, i.stageName, i.actionName, i.token, { status: r.status, summary: r.summary }, ctx.caller.arn, ctx.now);
        return { approvedAt: secs(ctx.now) };
      },
    }),
    StopPipelineExecution: op<In, unknown>({
      iamAction: "codepipeline:StopPipelineExecution", mutating: true, resources: pipelineResource,
      handler: (i, ctx) => {
        const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, i.pipelineName);
        const e = executionOf(p, i.pipelineExecutionId);
        if (i.reason !== undefined && (typeof i.reason !== "string" || i.reason.length > 200)) throw constraint("reason", i.reason, "Member must have length less than or equal to 200");
        engine(ctx).stop(p, e, i.abandon === true, i.reason, ctx.now);
        return { pipelineExecutionId: e.pipelineExecutionId };
      },
    }),
    RetryStageExecution: op<In, unknown>({
      // The reference's resource type is the stage: arn:aws:codepipeline:R:A:PIPELINE/STAGE.
      iamAction: "codepipeline:RetryStageExecution", mutating: true, resources: (i, ctx) => `${pipelineResource(i, ctx)}/${i.stageName ?? "*"}`,
      handler: (i, ctx) => {
        const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, i.pipelineName);
        if (i.retryMode !== "FAILED_ACTIONS" && i.retryMode !== "ALL_ACTIONS") throw constraint("retryMode", i.retryMode, "Member must satisfy enum value set: [FAILED_ACTIONS, ALL_ACTIONS]");
        if (!stageDecls(p).some((s) => s.name === i.stageName)) throw new AwsError("StageNotFoundException", `Stage ${i.stageName} was not found in pipeline ${p.name}.`, 400);
        const e = executionOf(p, i.pipelineExecutionId);
        engine(ctx).retry(p, e, i.stageName, i.retryMode, ctx.now);
        return { pipelineExecutionId: e.pipelineExecutionId };
      },
    }),
    TagResource: op<In, unknown>({
      iamAction: "codepipeline:TagResource", mutating: true, resources: (i) => String(i.resourceArn ?? "*"),
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
      iamAction: "codepipeline:UntagResource", mutating: true, resources: (i) => String(i.resourceArn ?? "*"),
      conditionContext: (i) => tagKeysContext(i.tagKeys),
      handler: (i, ctx) => {
        const p = taggedPipeline(ctx, i.resourceArn);
        const keys = asList(i.tagKeys as string[]);
        p.tags = p.tags.filter((t) => !keys.includes(t.key));
        return {};
      },
    }),
    ListTagsForResource: op<In, unknown>({
      iamAction: "codepipeline:ListTagsForResource", mutating: false, resources: (i) => String(i.resourceArn ?? "*"),
      handler: (i, ctx) => ({ tags: taggedPipeline(ctx, i.resourceArn).tags }),
    }),
  },
});
