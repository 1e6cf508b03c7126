import "server-only";
import { inTransactionWithAudit } from "@/lib/audit/append";
import { createRepairRun } from "./repair-run";
import { unboundedRoles } from "./unbounded";
import type { DriftCheckView } from "./types";

/** Who queues a repair of its own: the drift check, as the system (audit actor `system:portal-drift-check`). */
export const BOUNDARY_REPAIR_ACTOR = "system:portal-drift-check";

/**
 * A verify that finds one of this onboarding's `/portal/` roles without the permissions boundary (made before the
 * boundary existed, or stripped by hand) does not wait for a person: such a role is uncapped, and the provisioning
 * role may still pass it to CodePipeline, CodeBuild or EventBridge. It queues the repair itself (the normal apply:
 * PutRolePermissionsBoundary first, or the role's deletion by `tools.retire-unused` when no longer used), audited as
 * the system acting, unless a run is queued or running already or the onboarding is not provisioned (a draft, edits
 * not applied, offboarded). Returns the queued run's id, or null.
 */
export async function queueBoundaryRepair(check: DriftCheckView): Promise<string | null> {
  const roles = unboundedRoles(check.items);
  if (!roles.length) return null;
  return inTransactionWithAudit(async (tx) => {
    const o = await tx.onboarding.findUnique({ where: { id: check.onboardingId }, include: { toolsAccount: true, repoAccount: true } });
    const busy = await tx.run.findFirst({
      where: { onboardingId: check.onboardingId, status: { in: ["queued", "running"] } },
      select: { id: true },
    });
    if (!o || busy || (o.status !== "active" && o.status !== "failed")) return { result: null, audit: [] };
    const { run, repairOf } = await createRepairRun(tx, o, check, null, { automatic: "permissions-boundary" });
    return {
      result: run.id,
      audit: {
        actor: { email: BOUNDARY_REPAIR_ACTOR },
        action: "onboardings.repair.started",
        target: { type: "onboarding", id: check.onboardingId },
        outcome: "success",
        details: {
          runId: run.id,
          checkId: check.id,
          repairOf,
          automatic: true,
          reason: "roles without the permissions boundary",
          roles: roles.map((r) => `${r.accountId} ${r.resource}`),
        },
      },
    };
  });
}
