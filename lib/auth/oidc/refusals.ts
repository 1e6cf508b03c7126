/**
 * Why an SSO sign-in was refused, as the code next-auth carries to the sign-in page (`/signin?error=<code>`) and
 * the words shown there. Each says what the person can do, and nothing they could not already know: all of it
 * is about the identity they just proved at their provider.
 */
export const SSO_REFUSALS = {
  SsoNoEmail:
    "Your identity provider did not tell the portal your email address. Ask whoever runs single sign-on to release the email claim to the portal, then sign in again.",
  SsoEmailUnverified: "Your email address is not verified at your identity provider. Verify it there, then sign in again.",
  SsoLocalAccount:
    "Your email address already has a portal account that signs in with a password. Sign in with your email and password, or ask an admin to remove that account so single sign-on can create yours.",
  SsoEmailTaken: "Your email address already belongs to another single sign-on identity in the portal. Ask an admin to sort it out.",
  SsoDisabled: "Your portal account is disabled. Ask an admin if you need access again.",
  NoRole:
    "You are signed in to single sign-on, but you have no role in this portal yet: an admin must assign you one (Admin → Users). Then sign in again.",
  SsoFailed:
    "Single sign-on did not complete: the identity provider's answer could not be used. Try again; if it keeps failing, ask an admin to check the portal's log.",
} as const;

export type SsoRefusal = keyof typeof SSO_REFUSALS;

/** next-auth's own error codes for a failed OAuth round trip, shown as SsoFailed. */
export const NEXT_AUTH_OAUTH_ERRORS = ["OAuthSignin", "OAuthCallback", "OAuthCreateAccount", "Callback", "OAuthAccountNotLinked"] as const;
