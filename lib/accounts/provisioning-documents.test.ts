import { describe, expect, it } from "vitest";
import { trustPrincipalFor } from "@/lib/resources/provisioning-role";
import { provisioningRoleDocuments } from "./provisioning-documents";

const base = {
  accountId: "111111111111",
  purpose: "tools" as const,
  portalPrincipalArn: "arn:aws:iam::999999999999:user/portal",
  principal: trustPrincipalFor("arn:aws:iam::999999999999:user/portal"),
};

describe("provisioning role documents", () => {
  it("for an admin: trust policy and template carry the external id; the boundary comes with them", () => {
    const d = provisioningRoleDocuments({ ...base, externalId: "portal-secret-id" });
    expect(JSON.stringify(d.trustPolicy)).toContain("portal-secret-id");
    expect(JSON.stringify(d.cloudFormation)).toContain("portal-secret-id");
    expect(d.boundaryArn).toBe("arn:aws:iam::111111111111:policy/portal/crossline-portal-boundary");
    expect(d.cloudFormation!.Resources.PermissionsBoundary.Properties.PolicyDocument).toEqual(d.boundaryPolicy);
  });

  it("without the external id (engineers, viewers): no trust policy, no template, nothing carrying it", () => {
    const d = provisioningRoleDocuments({ ...base, externalId: null });
    expect(d.trustPolicy).toBeNull();
    expect(d.cloudFormation).toBeNull();
    expect(d.permissionPolicy.Statement.length).toBeGreaterThan(0);
    expect(d.boundaryPolicy.Statement.length).toBeGreaterThan(0);
  });

  it("no trust policy when the portal's identity is unknown (rather than one naming a principal that does not exist)", () => {
    const d = provisioningRoleDocuments({
      ...base,
      externalId: "x1",
      portalPrincipalArn: "unknown (GetCallerIdentity failed: X)",
      principal: null,
    });
    expect(d.trustPolicy).toBeNull();
    expect(d.cloudFormation!.Parameters.PortalAccountId).not.toHaveProperty("Default");
  });
});
