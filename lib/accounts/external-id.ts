import { randomBytes } from "node:crypto";

/** A random external id for the role's sts:ExternalId condition (32 URL-safe characters). */
export const generateExternalId = () => `portal-${randomBytes(18).toString("base64url")}`;

/** A stored message with the external id masked: diagnoses written before they stopped quoting it may hold it. */
export const withoutExternalId = (text: string | null, externalId: string): string | null =>
  text && externalId.length >= 2 ? text.split(externalId).join("(external id hidden)") : text;
