import { DeletePipelineCommand, GetPipelineCommand, ListTagsForResourceCommand } from "@aws-sdk/client-codepipeline";
import { deleteUnlessGone } from "@/lib/core/aws-errors";
import { readOrNull } from "@/lib/core/aws-errors";
import type { LedgerRow, StepContext } from "@/lib/runs/types";
import { judged, lowerPairsOf, MISSING } from "./common";
import { consoleUrlForArn } from "./console-url";
import { CREATE_TAGGED, MANAGED, PORTAL_CREATED } from "./grant-conditions";
import type { Inspection, ResourceKind } from "./types";

const pipelines = (a: string, p: string) => `arn:${p}:codepipeline:*:${a}:*`;

async function inspectPipeline(ctx: StepContext, r: LedgerRow): Promise<Inspection> {
  const cp = ctx.clients.tools.codepipeline;
  const got = await readOrNull(() => cp.send(new GetPipelineCommand({ name: r.name })), "PipelineNotFoundException");
  if (!got?.pipeline) return MISSING;
  const found = got.metadata?.pipelineArn;
  if (found !== r.arn) return judged(ctx, r.arn, found, []);
  const tags = await cp.send(new ListTagsForResourceCommand({ resourceArn: r.arn }));
  return judged(ctx, r.arn, found, lowerPairsOf(tags.tags));
}

/** The onboarding's pipeline (tools.pipeline). Teardown deletes it once inspectPipeline confirmed the recorded ARN and tags. */
export const codepipeline: ResourceKind = {
  kind: "codepipeline",
  label: "Pipeline",
  service: "CodePipeline",
  console: { url: consoleUrlForArn, example: "arn:aws:codepipeline:eu-west-1:111111111111:p1" },
  grants: [
    {
      section: "tools-managed",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "ReadPipelines",
        Effect: "Allow",
        Action: [
          "codepipeline:GetPipeline",
          "codepipeline:ListTagsForResource",
          "codepipeline:GetPipelineState",
          "codepipeline:GetPipelineExecution",
          "codepipeline:ListPipelineExecutions",
          "codepipeline:ListActionExecutions",
        ],
        Resource: pipelines(a, p),
      }),
    },
    {
      section: "tools-managed",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "CreatePipelines",
        Effect: "Allow",
        Action: ["codepipeline:CreatePipeline", "codepipeline:TagResource"],
        Resource: pipelines(a, p),
        Condition: CREATE_TAGGED,
      }),
    },
    {
      section: "tools-managed",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "OperatePortalPipelines",
        Effect: "Allow",
        Action: ["codepipeline:UpdatePipeline", "codepipeline:StartPipelineExecution", "codepipeline:StopPipelineExecution"],
        Resource: pipelines(a, p),
        Condition: { StringEquals: MANAGED },
      }),
    },
    {
      section: "tools-managed",
      accounts: "tools",
      // Only the portal's pipelines' runs: the Service Authorization Reference lists aws:ResourceTag for the stage
      // (RetryStageExecution) and action (PutApprovalResult) resource types, which carry their pipeline's tags.
      statement: (a, p) => ({
        Sid: "AnswerPortalPipelineRuns",
        Effect: "Allow",
        Action: ["codepipeline:RetryStageExecution", "codepipeline:PutApprovalResult"],
        Resource: `arn:${p}:codepipeline:*:${a}:*/*`,
        Condition: { StringEquals: MANAGED },
      }),
    },
    {
      section: "tools-managed",
      accounts: "tools",
      statement: (a, p) => ({
        Sid: "DeletePortalPipelines",
        Effect: "Allow",
        Action: "codepipeline:DeletePipeline",
        Resource: pipelines(a, p),
        Condition: PORTAL_CREATED,
      }),
    },
  ],
  applySteps: ["tools.pipeline"],
  ledgerEntry: (stepKey, ctx, out) =>
    stepKey === "tools.pipeline"
      ? {
          accountId: ctx.names.toolsAccountId,
          kind: "codepipeline",
          name: String(out.pipelineName),
          arn: String(out.pipelineArn),
          shared: false,
        }
      : null,
  inspect: inspectPipeline,
  delete: async (ctx, r) => {
    await deleteUnlessGone(
      () => ctx.clients.tools.codepipeline.send(new DeletePipelineCommand({ name: r.name })),
      "PipelineNotFoundException",
    );
  },
};
