import {
  DEFAULT_PROVISIONING_ROLE_NAME,
  provisioningCloudFormationTemplate,
  provisioningPermissionPolicy,
  provisioningPolicyParts,
  toolsPolicyNameFor,
  provisioningTrustPolicy,
  type ProvisioningPurpose,
  type TrustPrincipal,
} from "@/lib/resources/provisioning-role";
import { boundaryPolicyArn, permissionsBoundaryPolicy } from "@/lib/policies/permissions-boundary";

export interface ProvisioningDocsInput {
  accountId: string;
  purpose: ProvisioningPurpose;
  /** The account's external id, or null when the viewer may not see it (only admins may). */
  externalId: string | null;
  /** The portal's identity, as shown to people. */
  portalPrincipalArn: string;
  /** What the trust policy names; null when the portal's identity is unknown. */
  principal: TrustPrincipal | null;
  roleName?: string;
}

/**
 * Everything a person needs to create an account's permissions boundary and provisioning role: shown on the
 * account page and downloadable. Without the external id (a viewer who is not an admin) there is no trust
 * policy and no template: both would carry it.
 */
export function provisioningRoleDocuments(input: ProvisioningDocsInput) {
  const roleName = input.roleName ?? DEFAULT_PROVISIONING_ROLE_NAME;
  const externalId = input.externalId;
  const parts = provisioningPolicyParts({ accountId: input.accountId, purpose: input.purpose });
  return {
    roleName,
    portalPrincipalArn: input.portalPrincipalArn,
    boundaryArn: boundaryPolicyArn(input.accountId),
    boundaryPolicy: permissionsBoundaryPolicy({ accountId: input.accountId, purpose: input.purpose }),
    permissionPolicy: provisioningPermissionPolicy({ accountId: input.accountId, purpose: input.purpose }),
    /** As deployed: the role's inline policy, and the customer-managed policy attached to it in a tools account. */
    inlinePolicy: parts.inline,
    toolsPolicy: parts.managed,
    toolsPolicyName: parts.managed ? toolsPolicyNameFor(roleName) : null,
    trustPolicy: externalId !== null && input.principal ? provisioningTrustPolicy({ principal: input.principal, externalId }) : null,
    cloudFormation:
      externalId !== null
        ? provisioningCloudFormationTemplate({
            accountId: input.accountId,
            purpose: input.purpose,
            principal: input.principal ?? undefined,
            externalId,
            roleName,
          })
        : null,
  };
}
