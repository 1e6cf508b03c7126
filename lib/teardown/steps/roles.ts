import { deleteRecorded } from "@/lib/resources/lifecycle";
import type { AccountSide } from "@/lib/runs/types";
import { deleteOwnRows, destroyStep, ledgerRows, rowItems } from "./common";

function rolesDestroyStep(key: string, side: AccountSide, dependsOn: string[]) {
  const step = destroyStep({
    key,
    title: side === "tools" ? "Roles in the tools account" : "Roles in the repo account",
    account: side,
    dependsOn,
    async planItems(ctx) {
      const rows = ledgerRows(ctx, "iam-role", side === "tools" ? ctx.names.toolsAccountId : ctx.names.repoAccountId);
      return rowItems(step, ctx, rows, () => "its inline policies are deleted and managed policies detached, then the role");
    },
    // Each role only once AWS confirms it is the recorded ARN and carries this onboarding's tags (../inspect.ts).
    apply: (ctx) =>
      deleteOwnRows(
        ctx,
        ledgerRows(ctx, "iam-role", side === "tools" ? ctx.names.toolsAccountId : ctx.names.repoAccountId),
        deleteRecorded,
      ),
  });
  return step;
}

// Roles after what uses them: the pipeline (service and cross-account roles), the project, the rules.
export const destroyToolsRolesStep = rolesDestroyStep("destroy.tools.roles", "tools", [
  "destroy.tools.pipeline",
  "destroy.tools.codebuild-project",
  "destroy.tools.start-on-push-rule",
]);
export const destroyRepoRolesStep = rolesDestroyStep("destroy.repo.roles", "repo", [
  "destroy.tools.pipeline",
  "destroy.repo.forward-push-rule",
]);
