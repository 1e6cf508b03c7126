/** SourceIdentity and RoleSessionName allow 2–64 characters of [\w+=,.@-]. */
function sanitize(value: string): string {
  const cleaned = value.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
  return cleaned.length >= 2 ? cleaned : `${cleaned}--`.slice(0, 2);
}

export const sourceIdentityFor = (email: string) => sanitize(email.toLowerCase());
export const roleSessionNameFor = (email: string) => sanitize(`portal-${email.toLowerCase().split("@")[0]}`);
