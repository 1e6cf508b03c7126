/**
 * What a role step's plan says about a role's permissions boundary (lib/provisioning/steps/role-step.ts). A role
 * without the portal's boundary is uncapped while the provisioning role may still pass it to a service, so a verify
 * that finds one queues a repair on its own (lib/drift/boundary-repair.ts); these words are how it recognises them.
 */
export const ROLE_WITHOUT_BOUNDARY = "role has no permissions boundary";
export const ROLE_OTHER_BOUNDARY = "permissions boundary differs";

/** null when the role carries the boundary the portal sets. */
export function boundaryReason(current: string | null | undefined, desired: string): string | null {
  if (current === desired) return null;
  return current ? ROLE_OTHER_BOUNDARY : ROLE_WITHOUT_BOUNDARY;
}
