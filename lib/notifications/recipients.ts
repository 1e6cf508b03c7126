import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/config/env";
import { ROLES } from "@/lib/auth/roles";
import { UserFacingError } from "@/lib/core/errors";
import { emailDomain, recipientsProblem } from "@/lib/validation/notify-domains";

/**
 * The email domains notification recipients may have: `PORTAL_NOTIFY_DOMAINS` when set, else the domains of the
 * portal's own (enabled, with a role) users — so an engineer cannot send full-detail notifications (failure summaries,
 * approvals) to an address outside the organisation.
 */
export async function allowedNotifyDomains(): Promise<string[]> {
  const configured = env().PORTAL_NOTIFY_DOMAINS;
  if (configured) return configured;
  // Users with a role only: an SSO newcomer without one (lib/auth/oidc-user.ts) must not widen the list.
  const users = await db.user.findMany({ where: { disabled: false, role: { in: [...ROLES] } }, select: { email: true } });
  return [...new Set(users.map((u) => emailDomain(u.email)))];
}

/** Why these recipients may not be notified, or null when every one is inside the allowed domains. */
export async function recipientsRefusal(emails: readonly string[] | undefined): Promise<string | null> {
  return emails?.length ? recipientsProblem(emails, await allowedNotifyDomains()) : null;
}

/** Refuses (field error on notificationEmails, nothing written) recipients outside the allowed domains. */
export async function assertRecipientsAllowed(emails: readonly string[] | undefined): Promise<void> {
  const problem = await recipientsRefusal(emails);
  if (problem) throw new UserFacingError("Please correct the highlighted fields.", { notificationEmails: [problem] });
}
