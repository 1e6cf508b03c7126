import { DeletePipelineCommand } from "@aws-sdk/client-codepipeline";
import { isAwsError } from "@/lib/provisioning/aws-errors";
import type { LedgerRow, StepContext } from "@/lib/provisioning/types";
import { deleteOwnRows, destroyStep, ledgerRows, rowItems } from "./common";

/** Called by deleteOwnRows once AWS confirmed the name is the recorded ARN and carries this onboarding's tags. */
async function deletePipeline(ctx: StepContext, r: LedgerRow) {
  try {
    await ctx.clients.tools.codepipeline.send(new DeletePipelineCommand({ name: r.name }));
  } catch (e) {
    if (!isAwsError(e, "PipelineNotFoundException")) throw e;
  }
}

export const destroyPipelineStep = destroyStep({
  key: "destroy.tools.pipeline",
  title: "Pipeline",
  account: "tools",
  // The rules first: nothing starts the pipeline while it is being deleted.
  dependsOn: ["destroy.tools.start-on-push-rule", "destroy.repo.forward-push-rule", "destroy.tools.notifications"],
  async planItems(ctx) {
    return rowItems(destroyPipelineStep, ctx, ledgerRows(ctx, "codepipeline", ctx.names.toolsAccountId), () => "deleted with its execution history in CodePipeline (the portal's audit history stays)");
  },
  apply: (ctx) => deleteOwnRows(ctx, ledgerRows(ctx, "codepipeline", ctx.names.toolsAccountId), deletePipeline),
});
