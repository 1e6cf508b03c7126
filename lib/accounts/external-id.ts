import { randomBytes } from "node:crypto";

/** A random external id for the role's sts:ExternalId condition (32 URL-safe characters). */
export const generateExternalId = () => `portal-${randomBytes(18).toString("base64url")}`;
