/**
 * CodePipeline declarations: the create-time validations AWS applies (structure, artifacts, roles CodePipeline must be
 * able to assume, artifact bucket) and the stored form GetPipeline returns.
 */
import { assertAuthorized, canServiceAssumeRole, checkAssumeRole } from "../access";
import { AwsError, validationError } from "../errors";
import { asList } from "../policy/types";
import type { OpContext } from "../registry";
import type { World } from "../state";
import { pipelineArn, pipelineRoleSession } from "./codepipeline-store";
import { constraint } from "./shared/validation";

export type In = Record<string, any>;
export const CODEPIPELINE_SERVICE_PRINCIPAL = "codepipeline.amazonaws.com";

export const NAME = /^[A-Za-z0-9.@\-_]{1,100}$/;
export const ARTIFACT = /^[a-zA-Z0-9_-]{1,100}$/;
export const ROLE_ARN = /^arn:aws(-[\w]+)*:iam::[0-9]{12}:role\/.*$/;
export const BUCKET = /^[a-zA-Z0-9\-.]{3,63}$/;

export const structure = (m: string) => new AwsError("InvalidStructureException", m, 400);
export const actionDecl = (m: string) => new AwsError("InvalidActionDeclarationException", m, 400);
export function checkName(v: unknown, field: string): string {
  if (typeof v !== "string" || !NAME.test(v)) {
    if (typeof v === "string" && v.length > 100) throw constraint(field, v, "Member must have length less than or equal to 100");
    throw constraint(field, v, "Member must satisfy regular expression pattern: [A-Za-z0-9.@\\-_]+");
  }
  return v;
}

/** Action types the sandbox knows, with their artifact bounds [minIn, maxIn, minOut, maxOut] and required configuration. */
export const ACTION_TYPES: Record<string, { io: [number, number, number, number]; required: string[] }> = {
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
export const CATEGORIES = ["Source", "Build", "Deploy", "Test", "Invoke", "Approval", "Compute"];

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

export function checkArtifactStore(ctx: OpContext, store: unknown, field: string): void {
  if (typeof store !== "object" || store === null) throw constraint(field, store, "Member must not be null");
  const s = store as In;
  if (s.type !== "S3") throw constraint(`${field}.type`, s.type, "Member must satisfy enum value set: [S3]");
  if (typeof s.location !== "string" || !BUCKET.test(s.location))
    throw constraint(`${field}.location`, s.location, "Member must satisfy regular expression pattern: [a-zA-Z0-9\\-\\.]+");
  if (s.encryptionKey !== undefined) {
    const k = s.encryptionKey as In;
    if (typeof k?.id !== "string" || k.id.length < 1 || k.id.length > 400)
      throw constraint(`${field}.encryptionKey.id`, k?.id, "Member must have length less than or equal to 400");
    if (k.type !== "KMS") throw constraint(`${field}.encryptionKey.type`, k.type, "Member must satisfy enum value set: [KMS]");
    // An alias (alias/… or an alias ARN) is accepted, as AWS does: it resolves in whichever account uses it,
    // so a cross-account action fails at run time. Key existence is not checked at create time either.
  }
  const region = bucketRegion(ctx.world, s.location);
  if (!region) throw structure(`Artifact store location ${s.location} does not exist: the S3 bucket must exist in region ${ctx.region}`);
  if (region !== ctx.region)
    throw structure(`Artifact store location ${s.location} is in region ${region}; it must be in the pipeline's region ${ctx.region}`);
}

/** Every validation CreatePipeline/UpdatePipeline applies to a declaration. */
export function validateDeclaration(ctx: OpContext, d: In): void {
  const name = d.name as string;
  if (typeof d.roleArn !== "string" || !ROLE_ARN.test(d.roleArn))
    throw constraint(
      "pipeline.roleArn",
      d.roleArn,
      "Member must satisfy regular expression pattern: arn:aws(-[\\w]+)*:iam::[0-9]{12}:role/.*",
    );
  if (d.pipelineType !== undefined && d.pipelineType !== "V1" && d.pipelineType !== "V2")
    throw constraint("pipeline.pipelineType", d.pipelineType, "Member must satisfy enum value set: [V1, V2]");
  if (d.executionMode !== undefined && !["QUEUED", "SUPERSEDED", "PARALLEL"].includes(d.executionMode))
    throw constraint("pipeline.executionMode", d.executionMode, "Member must satisfy enum value set: [QUEUED, SUPERSEDED, PARALLEL]");
  if (d.executionMode !== undefined && d.executionMode !== "SUPERSEDED" && (d.pipelineType ?? "V1") !== "V2")
    throw validationError(`Execution mode ${d.executionMode} is only supported for pipeline type V2.`);
  if (d.artifactStore !== undefined && d.artifactStores !== undefined)
    throw structure("Pipeline cannot have both artifactStore and artifactStores.");
  if (d.artifactStore === undefined && d.artifactStores === undefined) throw structure("Pipeline must have an artifactStore.");
  if (d.artifactStores !== undefined) {
    for (const [region, store] of Object.entries(d.artifactStores as In)) {
      if (region === ctx.region) checkArtifactStore(ctx, store, `pipeline.artifactStores.${region}`);
      else throw structure(`The sandbox supports artifact stores only in the pipeline's region ${ctx.region} (got ${region}).`);
    }
  } else checkArtifactStore(ctx, d.artifactStore, "pipeline.artifactStore");

  const stages = asList(d.stages as In[]);
  if (stages.length < 2) throw structure(`Pipeline ${name} has ${stages.length} stage(s): a pipeline must have at least 2 stages.`);
  if (stages.length > 50)
    throw new AwsError("LimitExceededException", `Pipeline ${name} has ${stages.length} stages: the limit is 50.`, 400);
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
      if (actionNames.has(`${sname}/${aname}`))
        throw structure(`Action names must be unique within a stage: ${aname} appears more than once in stage ${sname}.`);
      actionNames.add(`${sname}/${aname}`);
      const t = a.actionTypeId as In;
      if (!t || !CATEGORIES.includes(t.category))
        throw constraint(
          `pipeline.stages.${si + 1}.member.actions.${ai + 1}.member.actionTypeId.category`,
          t?.category,
          `Member must satisfy enum value set: [${CATEGORIES.join(", ")}]`,
        );
      if (!["AWS", "ThirdParty", "Custom"].includes(t.owner))
        throw constraint(
          `pipeline.stages.${si + 1}.member.actions.${ai + 1}.member.actionTypeId.owner`,
          t.owner,
          "Member must satisfy enum value set: [AWS, ThirdParty, Custom]",
        );
      if (si === 0 && t.category !== "Source")
        throw structure(
          `Stage ${sname} is the first stage: it may contain only actions of category Source, but action ${aname} is of category ${t.category}.`,
        );
      if (si > 0 && t.category === "Source")
        throw structure(`Action ${aname} in stage ${sname} is a Source action: Source actions are allowed only in the first stage.`);
      const type = ACTION_TYPES[`${t.category}/${t.owner}/${t.provider}`];
      if (!type || String(t.version) !== "1")
        throw actionDecl(
          `ActionType (Category: '${t.category}', Provider: '${t.provider}', Owner: '${t.owner}', Version: '${t.version}') in action '${aname}' is not available in region '${ctx.region}'`,
        );
      const runOrder = a.runOrder ?? 1;
      if (!Number.isInteger(runOrder) || runOrder < 1 || runOrder > 999)
        throw constraint(
          `pipeline.stages.${si + 1}.member.actions.${ai + 1}.member.runOrder`,
          runOrder,
          "Member must have value between 1 and 999",
        );
      const config = (a.configuration ?? {}) as Record<string, unknown>;
      for (const key of type.required)
        if (config[key] === undefined || config[key] === "")
          throw actionDecl(`Action configuration for action '${aname}' is missing required configuration '${key}'`);
      const inputs = asList(a.inputArtifacts as In[]).map((x, xi) => {
        if (typeof x?.name !== "string" || !ARTIFACT.test(x.name))
          throw constraint(
            `pipeline.stages.${si + 1}.member.actions.${ai + 1}.member.inputArtifacts.${xi + 1}.member.name`,
            x?.name,
            "Member must satisfy regular expression pattern: [a-zA-Z0-9_\\-]+",
          );
        return x.name as string;
      });
      const outputs = asList(a.outputArtifacts as In[]).map((x, xi) => {
        if (typeof x?.name !== "string" || !ARTIFACT.test(x.name))
          throw constraint(
            `pipeline.stages.${si + 1}.member.actions.${ai + 1}.member.outputArtifacts.${xi + 1}.member.name`,
            x?.name,
            "Member must satisfy regular expression pattern: [a-zA-Z0-9_\\-]+",
          );
        return x.name as string;
      });
      const [minIn, maxIn, minOut, maxOut] = type.io;
      if (inputs.length < minIn)
        throw actionDecl(`Action ${aname} declares ${inputs.length} input artifacts which is less than the minimum count (${minIn})`);
      if (inputs.length > maxIn)
        throw actionDecl(`Action ${aname} declares ${inputs.length} input artifacts which exceeds the maximum count (${maxIn})`);
      if (outputs.length < minOut)
        throw actionDecl(`Action ${aname} declares ${outputs.length} output artifacts which is less than the minimum count (${minOut})`);
      if (outputs.length > maxOut)
        throw actionDecl(`Action ${aname} declares ${outputs.length} output artifacts which exceeds the maximum count (${maxOut})`);
      for (const input of inputs) {
        const earlierInStage = stageOutputs.some((o) => o.runOrder < runOrder && o.names.includes(input));
        if (!produced.has(input) && !earlierInStage)
          throw structure(
            `Input artifact ${input} of action ${aname} in stage ${sname} is not declared as an output artifact of any preceding action.`,
          );
      }
      for (const out of outputs) {
        if (produced.has(out) || stageOutputs.some((o) => o.names.includes(out)))
          throw structure(`Output artifact name ${out} must be unique within the pipeline.`);
      }
      stageOutputs.push({ runOrder, names: outputs });
      if (a.roleArn !== undefined && (typeof a.roleArn !== "string" || !ROLE_ARN.test(a.roleArn)))
        throw constraint(
          `pipeline.stages.${si + 1}.member.actions.${ai + 1}.member.roleArn`,
          a.roleArn,
          "Member must satisfy regular expression pattern: arn:aws(-[\\w]+)*:iam::[0-9]{12}:role/.*",
        );
      if (a.region !== undefined && a.region !== ctx.region && t.category === "Source")
        throw structure(`Source action ${aname} cannot be cross-region.`);
    }
    for (const o of stageOutputs) for (const n of o.names) produced.set(n, sname);
  });

  // Roles: the caller passes the service role; CodePipeline must be able to assume it, and it must be able to
  // assume every action role (IAM propagation delay applies: a just-created role is not assumable yet).
  assertAuthorized(ctx.world, ctx.caller, "iam:PassRole", d.roleArn, {
    region: ctx.region,
    now: ctx.now,
    context: { "iam:PassedToService": CODEPIPELINE_SERVICE_PRINCIPAL },
  });
  const arn = pipelineArn(ctx.region, ctx.account, name);
  const opts = { now: ctx.now, iamPropagationDelayMs: ctx.faults.iamPropagationDelayMs };
  const service = canServiceAssumeRole(ctx.world, CODEPIPELINE_SERVICE_PRINCIPAL, d.roleArn, {
    ...opts,
    sourceAccount: ctx.account,
    sourceArn: arn,
  });
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

export function normalize(d: In, version: number): Record<string, any> {
  const out: Record<string, any> = { ...d, version, pipelineType: d.pipelineType ?? "V1" };
  if (out.pipelineType === "V2") out.executionMode ??= "SUPERSEDED";
  else delete out.executionMode;
  out.stages = asList(d.stages as In[]).map((s) => ({
    ...s,
    actions: asList(s.actions as In[]).map((a) => ({
      ...a,
      runOrder: a.runOrder ?? 1,
      configuration: a.configuration ?? {},
      outputArtifacts: a.outputArtifacts ?? [],
      inputArtifacts: a.inputArtifacts ?? [],
    })),
  }));
  return out;
}
