import { deleteRecorded } from "@/lib/resources/lifecycle";
import { deleteOwnRows, destroyStep, ledgerRows, rowItems } from "./common";

export const destroyProjectStep = destroyStep({
  key: "destroy.tools.codebuild-project",
  title: "CodeBuild project",
  account: "tools",
  dependsOn: ["destroy.tools.pipeline"],
  async planItems(ctx) {
    return rowItems(
      destroyProjectStep,
      ctx,
      ledgerRows(ctx, "codebuild-project", ctx.names.toolsAccountId),
      () => "created by the portal for this pipeline",
    );
  },
  apply: (ctx) => deleteOwnRows(ctx, ledgerRows(ctx, "codebuild-project", ctx.names.toolsAccountId), deleteRecorded),
});
