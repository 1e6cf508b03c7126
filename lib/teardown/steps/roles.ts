import { deleteRole } from "@/lib/provisioning/steps/retire-unused";
import type { AccountSide } from "@/lib/provisioning/types";
import { ADOPTED_REASON, destroyStep, ledgerRows, retired, teardownItem } from "./common";

function rolesDestroyStep(key: string, side: AccountSide, dependsOn: string[]) {
  const step = destroyStep({
    key,
    title: side === "tools" ? "Roles in the tools account" : "Roles in the repo account",
    account: side,
    dependsOn,
    async planItems(ctx) {
      return ledgerRows(ctx, "iam-role", side === "tools" ? ctx.names.toolsAccountId : ctx.names.repoAccountId).map((r) =>
        teardownItem(step, ctx, {
          kind: "iam-role",
          name: r.name,
          arn: r.arn,
          action: r.origin === "created" ? "delete" : "keep",
          reason: r.origin === "created" ? "its inline policies are deleted and managed policies detached, then the role" : ADOPTED_REASON,
        }),
      );
    },
    async apply(ctx) {
      const rows = ledgerRows(ctx, "iam-role", side === "tools" ? ctx.names.toolsAccountId : ctx.names.repoAccountId).filter((r) => r.origin === "created");
      for (const r of rows) await deleteRole(ctx, r);
      return retired(rows);
    },
  });
  return step;
}

// Roles after what uses them: the pipeline (service and cross-account roles), the project, the rules.
export const destroyToolsRolesStep = rolesDestroyStep("destroy.tools.roles", "tools", ["destroy.tools.pipeline", "destroy.tools.codebuild-project", "destroy.tools.start-on-push-rule"]);
export const destroyRepoRolesStep = rolesDestroyStep("destroy.repo.roles", "repo", ["destroy.tools.pipeline", "destroy.repo.forward-push-rule"]);
