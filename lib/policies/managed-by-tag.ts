/**
 * The tag the portal writes on everything it creates (shared design of issue 8); the provisioning role's and the
 * boundary's conditions key on it. Not re-exported from the policies index, so it never clashes with another
 * module's constant of the same name.
 */
export const MANAGED_BY_TAG_KEY = "portal:managed-by";
export const MANAGED_BY_TAG_VALUE = "crossline-portal";
