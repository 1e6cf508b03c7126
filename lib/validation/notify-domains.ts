import { z } from "zod";

/** A DNS domain as email addresses carry it: labels of letters, digits and inner hyphens, at least one dot. */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * `PORTAL_NOTIFY_DOMAINS`: comma-separated email domains (e.g. `example.com,ops.example.com`), lower-cased. A
 * domain matches itself only: list each subdomain that may receive notifications.
 */
export const notifyDomainsSchema = z
  .string()
  .transform((v) => [
    ...new Set(
      v
        .split(",")
        .map((d) => d.trim().toLowerCase())
        .filter(Boolean),
    ),
  ])
  .refine((list) => list.length > 0, "must name at least one domain, e.g. example.com,ops.example.com")
  .refine((list) => list.every((d) => DOMAIN.test(d)), "must be comma-separated domains such as example.com,ops.example.com");

/** The domain of an address (after the last @), lower-cased. */
export const emailDomain = (email: string) => email.slice(email.lastIndexOf("@") + 1).toLowerCase();

/** The recipients whose domain is not one of `domains`, in their order. */
export function outsideRecipients(emails: readonly string[], domains: readonly string[]): string[] {
  const allowed = new Set(domains.map((d) => d.toLowerCase()));
  return emails.filter((e) => !allowed.has(emailDomain(e)));
}

/** The field error for recipients outside the allowed domains (null when there are none). */
export function recipientsProblem(emails: readonly string[], domains: readonly string[]): string | null {
  const outside = outsideRecipients(emails, domains);
  if (!outside.length) return null;
  const named = outside
    .slice(0, 3)
    .map((e) => `“${e.slice(0, 80)}”`)
    .join(", ");
  const allowed = domains.length
    ? `Allowed domains: ${[...domains].sort().join(", ")}.`
    : "No email domain is allowed yet: an admin sets PORTAL_NOTIFY_DOMAINS.";
  return `${named}${outside.length > 3 ? ` and ${outside.length - 3} more` : ""} ${outside.length === 1 ? "is" : "are"} outside the email domains notifications may go to. ${allowed}`;
}
