import { describe, expect, it } from "vitest";
import { boundaryReason, ROLE_OTHER_BOUNDARY, ROLE_WITHOUT_BOUNDARY } from "@/lib/provisioning/boundary-reason";
import { unboundedRoles } from "./unbounded";
import type { DriftItem } from "./types";

const B = "arn:aws:iam::222222222222:policy/portal/crossline-portal-boundary";

const item = (over: Partial<DriftItem>): DriftItem => ({
  stepKey: "repo.cross-account-role",
  title: "Cross-account source role",
  account: "repo",
  accountId: "222222222222",
  kind: "iam-role",
  resource: "/portal/x",
  status: "drifted",
  planAction: "update",
  reason: ROLE_WITHOUT_BOUNDARY,
  changes: [],
  documents: [],
  ...over,
});

describe("boundaryReason", () => {
  it("names a missing boundary and another boundary apart; the portal's boundary is no reason", () => {
    expect(boundaryReason(null, B)).toBe("role has no permissions boundary");
    expect(boundaryReason(undefined, B)).toBe(ROLE_WITHOUT_BOUNDARY);
    expect(boundaryReason("arn:aws:iam::222222222222:policy/AdministratorAccess", B)).toBe(ROLE_OTHER_BOUNDARY);
    expect(boundaryReason(B, B)).toBeNull();
  });
});

describe("unboundedRoles", () => {
  it("keeps the portal's own roles without its boundary (in use, or no longer used)", () => {
    const a = item({});
    const b = item({ stepKey: "tools.pipeline-role", reason: `${ROLE_OTHER_BOUNDARY}, trust policy differs` });
    const c = item({
      stepKey: "tools.retire-unused",
      planAction: "delete",
      reason: `${ROLE_WITHOUT_BOUNDARY}; no longer used by this onboarding: the next apply deletes it`,
    });
    expect(unboundedRoles([a, b, c])).toEqual([a, b, c]);
  });

  it("ignores other drift, roles in sync, and roles that are not this onboarding's (adopt, conflict)", () => {
    expect(
      unboundedRoles([
        item({ reason: "trust policy differs" }),
        item({ status: "in-sync", planAction: "no-change", reason: "matches" }),
        item({ planAction: "adopt" }),
        item({ planAction: "conflict" }),
        item({ kind: "eventbridge-rule" }),
        item({ status: "missing", planAction: "create", reason: "does not exist" }),
      ]),
    ).toEqual([]);
  });
});
