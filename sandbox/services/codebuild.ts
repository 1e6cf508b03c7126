/** CodeBuild (JSON 1.1, `CodeBuild_20161006.<Op>`): projects, plus minimal build records (simulated later). */
import { assertAuthorized, canServiceAssumeRole } from "../access";
import { AwsError } from "../errors";
import { uuid } from "../ids";
import { asList } from "../policy/types";
import { type OpContext, defineService, op } from "../registry";
import { requestTagContext } from "../policy/tags";
import { peekRegion, type World } from "../state";
import { actionDuration, baseUrlOf, buildJson, buildLogControl, kickEngine, openBuildLog } from "./codebuild-builds";
import { startBuildContext } from "./codebuild-overrides";
import {
  type BuildProject,
  type BuildRecord,
  type Tag,
  CODEBUILD_SERVICE_PRINCIPAL,
  cbState,
  findProject,
  projectArn,
  type CodeBuildState,
} from "./codebuild-store";
import { type TagRules, checkTagList, constraint, presentTags } from "./shared/validation";
import type { ResourceTagLookup } from "../resource-tags";

type In = Record<string, any>;

const invalidInput = (message: string) => new AwsError("InvalidInputException", message, 400);
const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9\-_]{1,254}$/;
const SOURCE_TYPES = [
  "CODECOMMIT",
  "CODEPIPELINE",
  "GITHUB",
  "GITLAB",
  "GITLAB_SELF_MANAGED",
  "S3",
  "BITBUCKET",
  "GITHUB_ENTERPRISE",
  "NO_SOURCE",
];
const ARTIFACT_TYPES = ["CODEPIPELINE", "S3", "NO_ARTIFACTS"];
const ENV_TYPES = [
  "WINDOWS_CONTAINER",
  "LINUX_CONTAINER",
  "LINUX_GPU_CONTAINER",
  "ARM_CONTAINER",
  "WINDOWS_SERVER_2019_CONTAINER",
  "LINUX_LAMBDA_CONTAINER",
  "ARM_LAMBDA_CONTAINER",
  "LINUX_EC2",
  "ARM_EC2",
  "WINDOWS_EC2",
  "MAC_ARM",
];

function checkName(v: unknown): string {
  if (typeof v !== "string" || !PROJECT_NAME.test(v)) {
    if (typeof v === "string" && v.length > 255) throw constraint("name", v, "Member must have length less than or equal to 255");
    if (typeof v === "string" && v.length < 2) throw constraint("name", v, "Member must have length greater than or equal to 2");
    throw constraint("name", v, "Member must satisfy regular expression pattern: [A-Za-z0-9][A-Za-z0-9\\-_]{1,254}");
  }
  return v;
}

const TAG_RULES: TagRules = {
  maxKeyLength: 127,
  maxValueLength: 255,
  valueOptional: true,
  maxTags: 50,
  tooMany: () => invalidInput("Invalid tags: at most 50 tags are allowed"),
  badKey: (key) => invalidInput(`Invalid tag key: ${key}`),
  badValue: (key) => invalidInput(`Invalid tag value for key ${key}`),
};
const checkTags = (tags: unknown): Tag[] => checkTagList(presentTags(tags), "key", "value", TAG_RULES);

/** serviceRole: the caller may pass it, it exists and is visible, and codebuild.amazonaws.com may assume it. */
function checkServiceRole(ctx: OpContext, role: unknown, projectArnValue: string): string {
  if (typeof role !== "string" || !role) throw invalidInput("Invalid service role: service role must be specified");
  if (!/^arn:aws:iam::\d{12}:role\/.+$/.test(role)) throw invalidInput(`Invalid service role: ${role}`);
  assertAuthorized(ctx.world, ctx.caller, "iam:PassRole", role, {
    region: ctx.region,
    now: ctx.now,
    context: { "iam:PassedToService": CODEBUILD_SERVICE_PRINCIPAL },
  });
  const r = canServiceAssumeRole(ctx.world, CODEBUILD_SERVICE_PRINCIPAL, role, {
    now: ctx.now,
    iamPropagationDelayMs: ctx.faults.iamPropagationDelayMs,
    sourceAccount: ctx.account,
    sourceArn: projectArnValue,
  });
  if (!r.ok) throw invalidInput(`CodeBuild is not authorized to perform: sts:AssumeRole on ${role}`);
  return role;
}

function checkSource(s: unknown, field = "source"): Record<string, unknown> {
  if (typeof s !== "object" || s === null) throw constraint(field, s, "Member must not be null");
  const src = s as Record<string, unknown>;
  if (!SOURCE_TYPES.includes(String(src.type)))
    throw constraint(`${field}.type`, src.type, `Member must satisfy enum value set: [${SOURCE_TYPES.join(", ")}]`);
  if (["CODECOMMIT", "GITHUB", "S3", "BITBUCKET", "GITLAB"].includes(String(src.type)) && !src.location)
    throw invalidInput(`Invalid source: location must be specified for source type ${src.type}`);
  return { ...src };
}
function checkArtifacts(a: unknown): Record<string, unknown> {
  if (typeof a !== "object" || a === null) throw constraint("artifacts", a, "Member must not be null");
  const art = a as Record<string, unknown>;
  if (!ARTIFACT_TYPES.includes(String(art.type)))
    throw constraint("artifacts.type", art.type, `Member must satisfy enum value set: [${ARTIFACT_TYPES.join(", ")}]`);
  if (art.type === "S3" && !art.location) throw invalidInput("Invalid artifacts: location must be specified for artifacts type S3");
  return { ...art };
}
function checkEnvironment(e: unknown): Record<string, unknown> {
  if (typeof e !== "object" || e === null) throw constraint("environment", e, "Member must not be null");
  const env = e as Record<string, unknown>;
  if (!ENV_TYPES.includes(String(env.type)))
    throw constraint("environment.type", env.type, `Member must satisfy enum value set: [${ENV_TYPES.join(", ")}]`);
  if (typeof env.image !== "string" || !env.image)
    throw constraint("environment.image", env.image, "Member must have length greater than or equal to 1");
  if (typeof env.computeType !== "string" || !env.computeType)
    throw constraint("environment.computeType", env.computeType, "Member must not be null");
  return { imagePullCredentialsType: "CODEBUILD", privilegedMode: false, environmentVariables: [], ...env };
}
function checkTimeout(v: unknown, field: string, min: number, max: number, def: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw constraint(field, v, `Member must have value between ${min} and ${max}`);
  return n;
}
function checkKey(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !v || v.length > 2048) throw invalidInput("Invalid encryption key");
  // CodeBuild accepts a key ARN or an alias (alias/… or its ARN); the key is used (and checked) at build time.
  return v;
}

const projectJson = (p: BuildProject) => ({
  name: p.name,
  arn: p.arn,
  description: p.description,
  source: p.source,
  secondarySources: p.secondarySources ?? [],
  artifacts: p.artifacts,
  secondaryArtifacts: p.secondaryArtifacts ?? [],
  environment: p.environment,
  serviceRole: p.serviceRole,
  timeoutInMinutes: p.timeoutInMinutes,
  queuedTimeoutInMinutes: p.queuedTimeoutInMinutes,
  encryptionKey: p.encryptionKey,
  tags: p.tags,
  created: p.created / 1000,
  lastModified: p.lastModified / 1000,
  badge: { badgeEnabled: false },
  logsConfig: p.logsConfig ?? { cloudWatchLogs: { status: "ENABLED" }, s3Logs: { status: "DISABLED", encryptionDisabled: false } },
  cache: p.cache ?? { type: "NO_CACHE" },
  projectVisibility: "PRIVATE",
});

const projectResource = (i: In, ctx: OpContext) => projectArn(ctx.region, ctx.account, String(i.name ?? i.projectName ?? "*"));
const getProject = (ctx: OpContext, name: unknown): BuildProject => {
  const p = typeof name === "string" ? findProject(ctx.world, ctx.account, ctx.region, name) : undefined;
  if (!p)
    throw new AwsError("ResourceNotFoundException", `Project cannot be found: ${projectArn(ctx.region, ctx.account, String(name))}`, 400);
  return p;
};
/** Accept a project name or ARN of the caller's account+region. */
const projectNameOf = (ctx: OpContext, v: unknown): string => {
  const s = String(v ?? "");
  const m = /^arn:aws:codebuild:([a-z0-9-]+):(\d{12}):project\/(.+)$/.exec(s);
  return m && m[1] === ctx.region && m[2] === ctx.account ? m[3] : s;
};

/** Start a build record (status IN_PROGRESS; codebuild-builds.ts finishes it). Used by StartBuild and pipeline Build actions. */
export function startBuild(
  world: World,
  req: {
    account: string;
    region: string;
    projectName: string;
    initiator: string;
    sourceVersion?: string;
    now?: number;
    durationMs?: number;
  },
): BuildRecord {
  const st = cbState(world, req.account, req.region);
  const p = st.projects[req.projectName];
  if (!p)
    throw new AwsError(
      "ResourceNotFoundException",
      `Project cannot be found: ${projectArn(req.region, req.account, req.projectName)}`,
      400,
    );
  const n = (st.buildCounters[p.name] = (st.buildCounters[p.name] ?? 0) + 1);
  const id = `${p.name}:${uuid()}`;
  const now = req.now ?? Date.now();
  const b: BuildRecord = {
    id,
    arn: `arn:aws:codebuild:${req.region}:${req.account}:build/${id}`,
    buildNumber: n,
    projectName: p.name,
    startTime: now,
    currentPhase: "QUEUED",
    buildStatus: "IN_PROGRESS",
    sourceVersion: req.sourceVersion,
    initiator: req.initiator,
    phases: [
      { phaseType: "SUBMITTED", phaseStatus: "SUCCEEDED", startTime: now, endTime: now },
      { phaseType: "QUEUED", startTime: now },
    ],
    dueAt: now + (req.durationMs ?? 4000),
    serviceRole: p.serviceRole,
    encryptionKey: p.encryptionKey,
  };
  openBuildLog(world, b, p.logsConfig);
  st.builds[id] = b;
  return b;
}

/** aws:ResourceTag/<k> of projects. */
const resourceTags: ResourceTagLookup[] = [
  {
    arn: /^arn:aws:codebuild:([a-z0-9-]+):(\d{12}):project\/(.+)$/,
    tags: (world, m) => peekRegion<CodeBuildState>(world, m[2], m[1], "codebuild")?.projects?.[m[3]]?.tags,
  },
];

export const codebuildService = defineService({
  name: "codebuild",
  resourceTags,
  protocol: "json",
  targetPrefix: "CodeBuild_20161006",
  jsonContentType: "application/x-amz-json-1.1",
  control: (req, host) => buildLogControl(req, host.world()),
  operations: {
    CreateProject: op<In, unknown>({
      iamAction: "codebuild:CreateProject",
      mutating: true,
      resources: projectResource,
      conditionContext: (i) => requestTagContext(i.tags),
      handler: (i, ctx) => {
        const name = checkName(i.name);
        const st = cbState(ctx.world, ctx.account, ctx.region);
        const arn = projectArn(ctx.region, ctx.account, name);
        if (st.projects[name]) throw new AwsError("ResourceAlreadyExistsException", `Project already exists: ${name}`, 400);
        const source = checkSource(i.source);
        const artifacts = checkArtifacts(i.artifacts);
        if ((source.type === "CODEPIPELINE") !== (artifacts.type === "CODEPIPELINE"))
          throw invalidInput(
            "Invalid artifacts: when source type is CODEPIPELINE, artifacts type must also be CODEPIPELINE, and vice versa",
          );
        const environment = checkEnvironment(i.environment);
        if (i.description !== undefined && String(i.description).length > 255)
          throw constraint("description", i.description, "Member must have length less than or equal to 255");
        const p: BuildProject = {
          name,
          arn,
          description: i.description,
          source,
          secondarySources: i.secondarySources,
          artifacts,
          secondaryArtifacts: i.secondaryArtifacts,
          environment,
          serviceRole: checkServiceRole(ctx, i.serviceRole, arn),
          timeoutInMinutes: checkTimeout(i.timeoutInMinutes, "timeoutInMinutes", 5, 2160, 60),
          queuedTimeoutInMinutes: checkTimeout(i.queuedTimeoutInMinutes, "queuedTimeoutInMinutes", 5, 480, 480),
          encryptionKey: checkKey(i.encryptionKey) ?? `arn:aws:kms:${ctx.region}:${ctx.account}:alias/aws/s3`,
          logsConfig: i.logsConfig,
          cache: i.cache,
          tags: checkTags(i.tags),
          created: ctx.now,
          lastModified: ctx.now,
        };
        st.projects[name] = p;
        return { project: projectJson(p) };
      },
    }),
    UpdateProject: op<In, unknown>({
      iamAction: "codebuild:UpdateProject",
      mutating: true,
      resources: projectResource,
      conditionContext: (i) => requestTagContext(i.tags),
      handler: (i, ctx) => {
        const p = getProject(ctx, i.name);
        const source = i.source !== undefined ? checkSource(i.source) : p.source;
        const artifacts = i.artifacts !== undefined ? checkArtifacts(i.artifacts) : p.artifacts;
        if ((source.type === "CODEPIPELINE") !== (artifacts.type === "CODEPIPELINE"))
          throw invalidInput(
            "Invalid artifacts: when source type is CODEPIPELINE, artifacts type must also be CODEPIPELINE, and vice versa",
          );
        const next: BuildProject = {
          ...p,
          source,
          artifacts,
          description: i.description ?? p.description,
          environment: i.environment !== undefined ? checkEnvironment(i.environment) : p.environment,
          serviceRole: i.serviceRole !== undefined ? checkServiceRole(ctx, i.serviceRole, p.arn) : p.serviceRole,
          timeoutInMinutes: checkTimeout(i.timeoutInMinutes, "timeoutInMinutes", 5, 2160, p.timeoutInMinutes),
          queuedTimeoutInMinutes: checkTimeout(i.queuedTimeoutInMinutes, "queuedTimeoutInMinutes", 5, 480, p.queuedTimeoutInMinutes),
          encryptionKey: checkKey(i.encryptionKey) ?? p.encryptionKey,
          secondarySources: i.secondarySources ?? p.secondarySources,
          secondaryArtifacts: i.secondaryArtifacts ?? p.secondaryArtifacts,
          logsConfig: i.logsConfig ?? p.logsConfig,
          cache: i.cache ?? p.cache,
          // UpdateProject replaces the tag set when tags are given.
          tags: i.tags !== undefined ? checkTags(i.tags) : p.tags,
          lastModified: ctx.now,
        };
        cbState(ctx.world, ctx.account, ctx.region).projects[p.name] = next;
        return { project: projectJson(next) };
      },
    }),
    BatchGetProjects: op<In, unknown>({
      iamAction: "codebuild:BatchGetProjects",
      mutating: false,
      resources: (i, ctx) => asList(i.names as string[]).map((n) => projectArn(ctx.region, ctx.account, projectNameOf(ctx, n))),
      handler: (i, ctx) => {
        const names = asList(i.names as string[]);
        if (names.length < 1 || names.length > 100)
          throw constraint(
            "names",
            `[${names.length} items]`,
            "Member must have length less than or equal to 100 and greater than or equal to 1",
          );
        const projects: unknown[] = [];
        const projectsNotFound: string[] = [];
        for (const n of names) {
          const p = findProject(ctx.world, ctx.account, ctx.region, projectNameOf(ctx, n));
          if (p) projects.push(projectJson(p));
          else projectsNotFound.push(n);
        }
        return { projects, projectsNotFound };
      },
    }),
    ListProjects: op<In, unknown>({
      iamAction: "codebuild:ListProjects",
      mutating: false,
      resources: () => "*",
      handler: (i, ctx) => {
        const list = Object.values(cbState(ctx.world, ctx.account, ctx.region).projects);
        const sortBy = i.sortBy ?? "NAME";
        list.sort((a, b) =>
          sortBy === "NAME"
            ? a.name.localeCompare(b.name)
            : sortBy === "CREATED_TIME"
              ? a.created - b.created
              : a.lastModified - b.lastModified,
        );
        if ((i.sortOrder ?? "ASCENDING") === "DESCENDING") list.reverse();
        return { projects: list.map((p) => p.name) };
      },
    }),
    DeleteProject: op<In, unknown>({
      iamAction: "codebuild:DeleteProject",
      mutating: true,
      resources: projectResource,
      handler: (i, ctx) => {
        // AWS answers success for a missing project.
        delete cbState(ctx.world, ctx.account, ctx.region).projects[projectNameOf(ctx, i.name)];
        return {};
      },
    }),
    StartBuild: op<In, unknown>({
      iamAction: "codebuild:StartBuild",
      mutating: true,
      resources: projectResource,
      conditionContext: (i) => startBuildContext(i),
      handler: (i, ctx) => {
        const name = projectNameOf(ctx, i.projectName);
        getProject(ctx, name);
        const b = startBuild(ctx.world, {
          account: ctx.account,
          region: ctx.region,
          projectName: name,
          initiator: ctx.caller.arn,
          sourceVersion: i.sourceVersion,
          now: ctx.now,
          durationMs: actionDuration(ctx.faults, "Build"),
        });
        kickEngine(ctx.world);
        return { build: buildJson(b, baseUrlOf(ctx.world)) };
      },
    }),
    BatchGetBuilds: op<In, unknown>({
      iamAction: "codebuild:BatchGetBuilds",
      mutating: false,
      resources: (i, ctx) => [
        ...new Set(asList(i.ids as string[]).map((id) => projectArn(ctx.region, ctx.account, String(id).split(":")[0]))),
      ],
      handler: (i, ctx) => {
        const ids = asList(i.ids as string[]);
        if (ids.length < 1 || ids.length > 100)
          throw constraint(
            "ids",
            `[${ids.length} items]`,
            "Member must have length less than or equal to 100 and greater than or equal to 1",
          );
        const builds = cbState(ctx.world, ctx.account, ctx.region).builds;
        const base = baseUrlOf(ctx.world);
        return {
          builds: ids.filter((id) => builds[id]).map((id) => buildJson(builds[id], base)),
          buildsNotFound: ids.filter((id) => !builds[id]),
        };
      },
    }),
  },
});
