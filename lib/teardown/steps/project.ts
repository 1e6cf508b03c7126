import { deleteProject } from "@/lib/provisioning/steps/retire-unused";
import { ADOPTED_REASON, destroyStep, ledgerRows, retired, teardownItem } from "./common";

export const destroyProjectStep = destroyStep({
  key: "destroy.tools.codebuild-project",
  title: "CodeBuild project",
  account: "tools",
  dependsOn: ["destroy.tools.pipeline"],
  async planItems(ctx) {
    return ledgerRows(ctx, "codebuild-project", ctx.names.toolsAccountId).map((r) =>
      teardownItem(destroyProjectStep, ctx, {
        kind: "codebuild-project",
        name: r.name,
        arn: r.arn,
        action: r.origin === "created" ? "delete" : "keep",
        reason: r.origin === "created" ? "created by the portal for this pipeline" : ADOPTED_REASON,
      }),
    );
  },
  async apply(ctx) {
    const rows = ledgerRows(ctx, "codebuild-project", ctx.names.toolsAccountId).filter((r) => r.origin === "created");
    for (const r of rows) await deleteProject(ctx, r);
    return retired(rows);
  },
});
