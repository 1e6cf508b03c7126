/** CodePipeline manual approvals: PutApprovalResult on the action (arn:aws:codepipeline:R:A:PIPELINE/STAGE/ACTION). */
import { AwsError } from "../errors";
import { asList } from "../policy/types";
import { op } from "../registry";
import { getPipelineOrThrow, pipelineArn } from "./codepipeline-store";
import { stageDecls } from "./codepipeline-exec";
import { constraint } from "./shared/validation";
import type { In } from "./codepipeline-declarations";
import { engine, secs } from "./codepipeline-executions";

export const approvalOperations = {
  PutApprovalResult: op<In, unknown>({
    iamAction: "codepipeline:PutApprovalResult",
    mutating: true,
    resources: (i, ctx) =>
      `${pipelineArn(ctx.region, ctx.account, String(i.pipelineName ?? "*"))}/${i.stageName ?? "*"}/${i.actionName ?? "*"}`,
    handler: (i, ctx) => {
      const p = getPipelineOrThrow(ctx.world, ctx.account, ctx.region, i.pipelineName);
      const stage = stageDecls(p).find((s) => s.name === i.stageName);
      if (!stage) throw new AwsError("StageNotFoundException", `Stage ${i.stageName} was not found in pipeline ${p.name}.`, 400);
      const action = asList(stage.actions as In[]).find((a) => a.name === i.actionName);
      if (!action)
        throw new AwsError(
          "ActionNotFoundException",
          `Action ${i.actionName} was not found in stage ${i.stageName} of pipeline ${p.name}.`,
          400,
        );
      const r = i.result as In | undefined;
      if (!r || (r.status !== "Approved" && r.status !== "Rejected"))
        throw constraint("result.status", r?.status, "Member must satisfy enum value set: [Approved, Rejected]");
      if (typeof r.summary !== "string" || r.summary.length > 512)
        throw constraint("result.summary", r.summary, "Member must have length less than or equal to 512");
      if (typeof i.token !== "string" || !i.token) throw constraint("token", i.token, "Member must not be null");
      engine(ctx).approve(p, i.stageName, i.actionName, i.token, { status: r.status, summary: r.summary }, ctx.caller.arn, ctx.now);
      return { approvedAt: secs(ctx.now) };
    },
  }),
};
