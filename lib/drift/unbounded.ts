/**
 * Which drift items are `/portal/` roles of this onboarding without the portal's permissions boundary (created
 * before the boundary existed, or stripped by hand). Pure: no I/O.
 */
import { ROLE_OTHER_BOUNDARY, ROLE_WITHOUT_BOUNDARY } from "@/lib/provisioning/boundary-reason";
import type { DriftItem } from "./types";

/**
 * Only roles the portal owns (plan action "update", or "delete" for one it no longer uses): a role without this
 * onboarding's tags is someone else's, and repair never takes it over (lib/drift/service.ts).
 */
export function unboundedRoles(items: DriftItem[]): DriftItem[] {
  return items.filter(
    (i) =>
      i.kind === "iam-role" &&
      i.status === "drifted" &&
      (i.planAction === "update" || i.planAction === "delete") &&
      (i.reason.includes(ROLE_WITHOUT_BOUNDARY) || i.reason.includes(ROLE_OTHER_BOUNDARY)),
  );
}
