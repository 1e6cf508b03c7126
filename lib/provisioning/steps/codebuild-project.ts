import {
  BatchGetProjectsCommand,
  CreateProjectCommand,
  UpdateProjectCommand,
  type CreateProjectCommandInput,
  type Project,
} from "@aws-sdk/client-codebuild";
import { codeBuildProjectInput } from "@/lib/policies/codebuild-project";
import { markedManaged, ownershipOf } from "@/lib/policies/common";
import { MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE } from "@/lib/policies/managed-by-tag";
import { isSubset } from "../compare";
import { assertMayConverge } from "../ownership";
import { actionFor, item, ownershipReason, plainDocument } from "../plan-item";
import { maskedProject } from "../plan-secrets";
import { StepFailure } from "@/lib/core/errors";
import type { StepContext, StepDefinition } from "@/lib/runs/types";

async function readProject(ctx: StepContext, name: string): Promise<Project | null> {
  const r = await ctx.clients.tools.codebuild.send(new BatchGetProjectsCommand({ names: [name] }));
  return r.projects?.[0] ?? null;
}

function comparable(input: NonNullable<ReturnType<typeof codeBuildProjectInput>>) {
  const { tags: _tags, description: _d, ...rest } = input;
  return rest;
}

const tagsOf = (p: Project): [string, string | undefined][] => (p.tags ?? []).map((t) => [t.key ?? "", t.value]);
const ownershipOfProject = (p: Project, onboardingId: string) => ownershipOf(tagsOf(p), onboardingId);

/**
 * Why an existing project cannot be this pipeline's build stage, or null when it can: an administrator of the tools
 * account must have marked it for the portal (the tag `portal:managed-by = crossline-portal`, as for adoption: the
 * engineer's buildspec will run as the project's service role, which may be another team's or the platform's deploy
 * role, and the apply grants that role this pipeline's bucket and key), it must take its source and write its
 * artifacts through CodePipeline, have a service role, and not be another onboarding's project.
 */
export function existingProjectProblem(p: Project, onboardingId: string): string | null {
  if (ownershipOfProject(p, onboardingId) === "other-onboarding")
    return `The CodeBuild project ${p.name} was created by the portal for another onboarding; pick a project of your own.`;
  if (p.source?.type !== "CODEPIPELINE")
    return `The CodeBuild project ${p.name} reads its source from ${p.source?.type ?? "nowhere"}; a pipeline's build stage needs source type CODEPIPELINE.`;
  if (p.artifacts?.type !== "CODEPIPELINE")
    return `The CodeBuild project ${p.name} writes its artifacts to ${p.artifacts?.type ?? "nowhere"}; a pipeline's build stage needs artifacts type CODEPIPELINE.`;
  if (!p.serviceRole) return `The CodeBuild project ${p.name} has no service role.`;
  if (!markedManaged(tagsOf(p))) {
    const account = /^arn:[\w-]+:codebuild:[^:]*:(\d{12}):/.exec(p.arn ?? "")?.[1];
    return `The CodeBuild project ${p.name} is not marked for the portal: this pipeline's builds would run as its service role (${p.serviceRole}). An administrator of the tools account${account ? ` ${account}` : ""} must add the tag ${MANAGED_BY_TAG_KEY} = ${MANAGED_BY_TAG_VALUE} to the project first, or let the portal create a project.`;
  }
  return null;
}

/** A project's service role as an ARN (CodeBuild accepts a bare role name too). */
function serviceRoleArn(ctx: StepContext, role: string): string {
  return role.startsWith("arn:") ? role : `arn:${ctx.names.partition}:iam::${ctx.names.toolsAccountId}:role/${role}`;
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
      const problem = current
        ? existingProjectProblem(current, ctx.spec.onboardingId)
        : `the project ${name} does not exist in the tools account`;
      return item(codeBuildProjectStep, ctx, {
        ...base,
        action: problem ? "conflict" : "no-change",
        reason:
          problem ??
          `existing project marked for the portal, used as is; its service role ${current!.serviceRole} gets this pipeline's bucket, and the key for this bucket only`,
      });
    }
    const same = !!current && isSubset(comparable(input), current);
    const ownership = current ? ownershipOfProject(current, ctx.spec.onboardingId) : null;
    return item(codeBuildProjectStep, ctx, {
      ...base,
      action: actionFor(ownership, !same),
      reason: !ownership
        ? "does not exist"
        : (ownershipReason(ownership, markedManaged(tagsOf(current!))) ?? (same ? "matches" : "settings differ")),
      // The project's environment variables are shown masked (lib/security/mask-secrets.ts); viewers get no values.
      documents: [
        plainDocument(
          "Project",
          current
            ? maskedProject({
                name: current.name,
                source: current.source,
                artifacts: current.artifacts,
                environment: current.environment,
                serviceRole: current.serviceRole,
                encryptionKey: current.encryptionKey,
                logsConfig: current.logsConfig,
              })
            : null,
          comparable(input),
          same,
        ),
      ],
    });
  },
  async apply(ctx) {
    const name = ctx.names.codeBuild.projectName;
    const current = await readProject(ctx, name);
    const input = codeBuildProjectInput(ctx.spec, ctx.names, ctx.store);
    if (!input) {
      if (!current)
        throw new StepFailure(
          "ProjectNotFound",
          `The CodeBuild project ${name} does not exist in account ${ctx.names.toolsAccountId} (${ctx.names.region}). Pick an existing project or let the portal create one.`,
        );
      const problem = existingProjectProblem(current, ctx.spec.onboardingId);
      if (problem) throw new StepFailure("ProjectNotUsable", problem);
      return {
        projectName: name,
        projectArn: current.arn ?? ctx.names.codeBuild.projectArn,
        serviceRole: serviceRoleArn(ctx, current.serviceRole!),
        origin: "existing",
      };
    }
    const ownership = current ? ownershipOfProject(current, ctx.spec.onboardingId) : null;
    if (ownership)
      assertMayConverge(ctx, codeBuildProjectStep, ownership, `The CodeBuild project ${name}`, {
        marked: markedManaged(tagsOf(current!)),
        account: ctx.names.toolsAccountId,
      });
    if (!current) await ctx.clients.tools.codebuild.send(new CreateProjectCommand(input as CreateProjectCommandInput));
    // UpdateProject also writes the tags, which an adopted project does not carry yet.
    else if (ownership !== "ours" || !isSubset(comparable(input), current))
      await ctx.clients.tools.codebuild.send(new UpdateProjectCommand(input as CreateProjectCommandInput));
    const origin = !current || ownership === "ours" ? "created" : "adopted";
    return { projectName: name, projectArn: ctx.names.codeBuild.projectArn, serviceRole: input.serviceRole, origin };
  },
};
