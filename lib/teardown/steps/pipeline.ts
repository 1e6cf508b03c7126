import { deleteRecorded } from "@/lib/resources/lifecycle";
import { deleteOwnRows, destroyStep, ledgerRows, rowItems } from "./common";

export const destroyPipelineStep = destroyStep({
  key: "destroy.tools.pipeline",
  title: "Pipeline",
  account: "tools",
  // The rules first: nothing starts the pipeline while it is being deleted.
  dependsOn: ["destroy.tools.start-on-push-rule", "destroy.repo.forward-push-rule", "destroy.tools.notifications"],
  async planItems(ctx) {
    return rowItems(
      destroyPipelineStep,
      ctx,
      ledgerRows(ctx, "codepipeline", ctx.names.toolsAccountId),
      () => "deleted with its execution history in CodePipeline (the portal's audit history stays)",
    );
  },
  apply: (ctx) => deleteOwnRows(ctx, ledgerRows(ctx, "codepipeline", ctx.names.toolsAccountId), deleteRecorded),
});
