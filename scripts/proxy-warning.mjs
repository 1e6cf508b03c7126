// Start-up check for the production layout behind a load balancer (docs/operations.md#production-layout-postgresql-several-instances): with an
// https NEXTAUTH_URL the portal is almost certainly behind a TLS-terminating proxy, and without
// PORTAL_TRUSTED_PROXIES every caller then has the proxy's address — audit events name the proxy, and the
// per-address sign-in limit counts every user together. Pure, so lib/auth/proxy-warning.test.ts can test it.

/** The warning to print, or null when there is nothing to warn about. */
export function proxyWarning(env) {
  const url = (env.NEXTAUTH_URL ?? "").trim();
  const proxies = (env.PORTAL_TRUSTED_PROXIES ?? "").trim();
  if (!/^https:\/\//i.test(url) || proxies) return null;
  return (
    "NEXTAUTH_URL is https but PORTAL_TRUSTED_PROXIES is unset: behind a load balancer or TLS proxy every caller " +
    "has the proxy's address (audit events record it, and sign-in failures from all users count against it). " +
    "Set PORTAL_TRUSTED_PROXIES to the proxy's addresses or CIDR ranges."
  );
}
