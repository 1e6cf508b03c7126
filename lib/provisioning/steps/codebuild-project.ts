import { BatchGetProjectsCommand, CreateProjectCommand, UpdateProjectCommand, type CreateProjectCommandInput, type Project } from "@aws-sdk/client-codebuild";
import { codeBuildProjectInput } from "@/lib/policies/codebuild-project";
import { PORTAL_TAG_KEY } from "@/lib/policies/types";
import { isSubset } from "../compare";
import { item, plainDocument } from "../plan-item";
import { StepFailure } from "../step-failure";
import type { StepContext, StepDefinition } from "../types";

async function readProject(ctx: StepContext, name: string): Promise<Project | null> {
  const r = await ctx.clients.tools.codebuild.send(new BatchGetProjectsCommand({ names: [name] }));
  return r.projects?.[0] ?? null;
}

function comparable(input: NonNullable<ReturnType<typeof codeBuildProjectInput>>) {
  const { tags: _tags, description: _d, ...rest } = input;
  return rest;
}

export const codeBuildProjectStep: StepDefinition = {
  key: "tools.codebuild-project",
  title: "CodeBuild project",
  account: "tools",
  dependsOn: ["tools.kms-key", "tools.codebuild-role"],
  async plan(ctx) {
    const name = ctx.names.codeBuild.projectName;
    const current = await readProject(ctx, name);
    const input = codeBuildProjectInput(ctx.spec, ctx.names, ctx.store);
    const base = { kind: "codebuild-project", name, arn: ctx.names.codeBuild.projectArn };
    if (!input) {
      return item(codeBuildProjectStep, ctx, {
        ...base,
        action: current ? "no-change" : "create",
        reason: current ? "existing project, used as is" : `the project ${name} does not exist in the tools account`,
      });
    }
    const same = !!current && isSubset(comparable(input), current);
    const owned = !!current?.tags?.some((t) => t.key === PORTAL_TAG_KEY && t.value === ctx.spec.onboardingId);
    return item(codeBuildProjectStep, ctx, {
      ...base,
      action: !current ? "create" : !owned ? "adopt" : same ? "no-change" : "update",
      reason: !current ? "does not exist" : same ? "matches" : "settings differ",
      documents: [plainDocument("Project", current ? { name: current.name, source: current.source, artifacts: current.artifacts, environment: current.environment, serviceRole: current.serviceRole, encryptionKey: current.encryptionKey } : null, comparable(input), same)],
    });
  },
  async apply(ctx) {
    const name = ctx.names.codeBuild.projectName;
    const current = await readProject(ctx, name);
    const input = codeBuildProjectInput(ctx.spec, ctx.names, ctx.store);
    if (!input) {
      if (!current) throw new StepFailure("ProjectNotFound", `The CodeBuild project ${name} does not exist in account ${ctx.names.toolsAccountId} (${ctx.names.region}). Pick an existing project or let the portal create one.`);
      return { projectName: name, projectArn: current.arn ?? ctx.names.codeBuild.projectArn, origin: "existing" };
    }
    if (!current) await ctx.clients.tools.codebuild.send(new CreateProjectCommand(input as CreateProjectCommandInput));
    else if (!isSubset(comparable(input), current)) await ctx.clients.tools.codebuild.send(new UpdateProjectCommand(input as CreateProjectCommandInput));
    return { projectName: name, projectArn: ctx.names.codeBuild.projectArn, origin: current ? "adopted" : "created" };
  },
};
