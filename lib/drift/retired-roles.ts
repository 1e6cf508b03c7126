import { GetRoleCommand } from "@aws-sdk/client-iam";
import { ownershipOf } from "@/lib/policies/common";
import { boundaryReason } from "@/lib/provisioning/boundary-reason";
import { readOrNull } from "@/lib/core/aws-errors";
import { retiredResources, sideOf } from "@/lib/provisioning/steps/retire-unused";
import type { StepContext } from "@/lib/runs/types";
import type { DriftItem } from "./types";

const STEP = { key: "tools.retire-unused", title: "Roles this pipeline no longer uses" };

/**
 * Roles the ledger records for this onboarding that its names no longer use (e.g. naming v1) wait for the next apply
 * to delete them (`tools.retire-unused`, which a verify does not compare). One still carrying this onboarding's tag
 * but not the permissions boundary is uncapped and passable meanwhile: reported as drift (one item for all of them),
 * so a verify queues the repair that deletes it (lib/drift/boundary-repair.ts). Null when there is none. Reads only
 * when the ledger holds such roles.
 */
export async function retiredRolesWithoutBoundary(ctx: StepContext, checkedAt: string, previous?: DriftItem): Promise<DriftItem | null> {
  const rows = retiredResources(ctx).filter((r) => r.kind === "iam-role");
  const found: { accountId: string; side: "tools" | "repo"; name: string; reason: string }[] = [];
  for (const r of rows) {
    const side = sideOf(ctx, r);
    const got = await readOrNull(() => ctx.clients[side].iam.send(new GetRoleCommand({ RoleName: r.name })), "NoSuchEntityException");
    if (!got?.Role) continue;
    if (
      ownershipOf(
        (got.Role.Tags ?? []).map((t) => [t.Key ?? "", t.Value]),
        ctx.spec.onboardingId,
      ) !== "ours"
    )
      continue;
    const reason = boundaryReason(got.Role.PermissionsBoundary?.PermissionsBoundaryArn, ctx.names.permissionsBoundaryArn[side]);
    if (reason) found.push({ accountId: r.accountId, side, name: r.name, reason });
  }
  if (!found.length) return null;
  const first = found[0];
  return {
    stepKey: STEP.key,
    title: STEP.title,
    account: first.side,
    accountId: first.accountId,
    kind: "iam-role",
    resource: found.map((f) => f.name).join(", "),
    status: "drifted",
    planAction: "delete",
    reason: `${first.reason}; no longer used by this onboarding: the next apply deletes it`,
    changes: found.map((f) => `${f.name} (${f.side} ${f.accountId}): ${f.reason}; the next apply deletes it`),
    documents: [],
    firstSeenAt: previous && previous.status !== "in-sync" && previous.firstSeenAt ? previous.firstSeenAt : checkedAt,
  };
}
