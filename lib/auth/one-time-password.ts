/**
 * Generated one-time passwords (the first-start demo admin's, and the one `npm run admin:reset-demo-password`
 * prints) stop working ONE_TIME_PASSWORD_HOURS after they were issued: one printed into a terminal or left in
 * .data/demo-admin.txt and never used is not a way in forever. Choosing one's own password clears the expiry.
 */
export const ONE_TIME_PASSWORD_HOURS = 24;

/** next-auth's error code for it (the sign-in form and page show PASSWORD_EXPIRED_MESSAGE). */
export const PASSWORD_EXPIRED_ERROR = "PasswordExpired";
export const PASSWORD_EXPIRED_MESSAGE =
  "This one-time password has expired. Run `npm run admin:reset-demo-password` on the portal's host for a new one.";

/** When a one-time password issued at `issuedAt` stops working. */
export function oneTimePasswordExpiry(issuedAt = Date.now()): Date {
  return new Date(issuedAt + ONE_TIME_PASSWORD_HOURS * 3600_000);
}

export function passwordExpired(user: { passwordExpiresAt: Date | null }, now = Date.now()): boolean {
  return user.passwordExpiresAt !== null && user.passwordExpiresAt.getTime() <= now;
}
