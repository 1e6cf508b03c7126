import {
  DEFAULT_PROVISIONING_ROLE_NAME,
  provisioningCloudFormationTemplate,
  provisioningPermissionPolicy,
  provisioningTrustPolicy,
  type ProvisioningPurpose,
} from "@/lib/policies/provisioning-role";

export interface ProvisioningDocsInput {
  accountId: string;
  purpose: ProvisioningPurpose;
  externalId: string;
  portalPrincipalArn: string;
  roleName?: string;
}

/** Everything a person needs to create an account's provisioning role: shown on the account page and downloadable. */
export function provisioningRoleDocuments(input: ProvisioningDocsInput) {
  const roleName = input.roleName ?? DEFAULT_PROVISIONING_ROLE_NAME;
  return {
    roleName,
    portalPrincipalArn: input.portalPrincipalArn,
    trustPolicy: provisioningTrustPolicy({ portalPrincipalArn: input.portalPrincipalArn, externalId: input.externalId }),
    permissionPolicy: provisioningPermissionPolicy({ accountId: input.accountId, purpose: input.purpose }),
    cloudFormation: provisioningCloudFormationTemplate({ accountId: input.accountId, purpose: input.purpose, portalPrincipalArn: input.portalPrincipalArn, externalId: input.externalId, roleName }),
  };
}
