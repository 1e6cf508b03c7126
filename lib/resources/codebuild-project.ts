import { BatchGetProjectsCommand, DeleteProjectCommand } from "@aws-sdk/client-codebuild";
import { deleteUnlessGone } from "@/lib/core/aws-errors";
import { ownershipOf } from "@/lib/policies/common";
import type { LedgerRow, StepContext } from "@/lib/runs/types";
import { judged, lowerPairsOf, MISSING } from "./common";
import { consoleUrlForArn } from "./console-url";
import { CREATE_TAGGED, MANAGED, PORTAL_CREATED } from "./grant-conditions";
import type { Inspection, ResourceKind } from "./types";

const projects = (a: string, p: string) => `arn:${p}:codebuild:*:${a}:project/*`;

async function readProject(ctx: StepContext, name: string) {
  return (await ctx.clients.tools.codebuild.send(new BatchGetProjectsCommand({ names: [name] }))).projects?.[0];
}

async function inspectProject(ctx: StepContext, r: LedgerRow): Promise<Inspection> {
  const got = await readProject(ctx, r.name);
  if (!got) return MISSING;
  return judged(ctx, r.arn, got.arn, lowerPairsOf(got.tags));
}

async function deleteProject(ctx: StepContext, r: LedgerRow) {
  const got = await readProject(ctx, r.name);
  if (!got || ownershipOf(lowerPairsOf(got.tags), ctx.spec.onboardingId) !== "ours") return;
  await deleteUnlessGone(() => ctx.clients.tools.codebuild.send(new DeleteProjectCommand({ name: r.name })), "ResourceNotFoundException");
}

/** The build project the portal creates (tools.codebuild-project); an existing project the onboarding names is never recorded. */
export const codebuildProject: ResourceKind = {
  kind: "codebuild-project",
  label: "CodeBuild project",
  service: "CodeBuild",
  console: { url: consoleUrlForArn, example: "arn:aws:codebuild:us-east-1:111111111111:project/x-build" },
  grants: [
    {
      section: "tools-managed",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "ReadBuildProjects",
        Effect: "Allow",
        Action: ["codebuild:BatchGetProjects", "codebuild:BatchGetBuilds"],
        Resource: projects(a, p),
      }),
    },
    // No resource types: AWS authorizes these against "*" only (the notification rules' list action rides along).
    {
      section: "tools-managed",
      accounts: "tools",
      statement: () => ({
        Sid: "ListOnStar",
        Effect: "Allow",
        Action: ["codebuild:ListProjects", "codestar-notifications:ListNotificationRules"],
        Resource: "*",
      }),
    },
    {
      section: "tools-managed",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "CreateBuildProjects",
        Effect: "Allow",
        Action: "codebuild:CreateProject",
        Resource: projects(a, p),
        Condition: CREATE_TAGGED,
      }),
    },
    {
      section: "tools-managed",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "UpdatePortalBuildProjects",
        Effect: "Allow",
        Action: "codebuild:UpdateProject",
        Resource: projects(a, p),
        Condition: { StringEquals: MANAGED },
      }),
    },
    {
      section: "tools-managed",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "RetirePortalBuildProjects",
        Effect: "Allow",
        Action: "codebuild:DeleteProject",
        Resource: projects(a, p),
        Condition: PORTAL_CREATED,
      }),
    },
  ],
  applySteps: ["tools.codebuild-project"],
  ledgerEntry: (stepKey, ctx, out) =>
    stepKey !== "tools.codebuild-project" || out.origin === "existing"
      ? null
      : {
          accountId: ctx.names.toolsAccountId,
          kind: "codebuild-project",
          name: String(out.projectName),
          arn: String(out.projectArn),
          shared: false,
        },
  inspect: inspectProject,
  delete: deleteProject,
};
