/**
 * The provisioning role's fixed names and the key-policy statement that names it: what the other policy documents
 * need of the role without its grants (those are assembled from the resource registry, lib/resources/provisioning-role.ts).
 */
import type { Statement } from "./types";

export const DEFAULT_PROVISIONING_ROLE_NAME = "crossline-portal-provisioning";
export const PROVISIONING_POLICY_NAME = "portal-provisioning";

/** What the provisioning role does to a portal key after CreateKey: granted only by the key policy statement below (no IAM grant changes a key). */
export const PORTAL_KEY_ADMIN_ACTIONS = [
  "kms:PutKeyPolicy",
  "kms:EnableKeyRotation",
  "kms:EnableKey",
  "kms:CancelKeyDeletion",
  "kms:ScheduleKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:TagResource",
];

/**
 * The statement a portal key's policy carries from CreateKey on, naming the provisioning role: KMS applies a
 * tag change to authorization only after up to 5 minutes, so the IAM grant conditioned on
 * aws:ResourceTag/portal:managed-by may not yet cover a key created seconds ago. Allowed by the key policy
 * itself, the first apply does not wait for it. (A role ARN in a key policy must exist: this one does, the
 * portal acts through it.)
 */
export function provisioningRoleKeyAdministration(provisioningRoleArn: string): Statement {
  return {
    Sid: "PortalProvisioningRoleAdministers",
    Effect: "Allow",
    Principal: { AWS: provisioningRoleArn },
    Action: [...PORTAL_KEY_ADMIN_ACTIONS],
    Resource: "*",
  };
}
