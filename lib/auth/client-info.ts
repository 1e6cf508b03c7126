import "server-only";
import { headers } from "next/headers";
import type { AuditClient } from "@/lib/audit/types";
import { env } from "@/lib/config/env";
import { CLIENT_IP_HEADER, CLIENT_IP_SIG_HEADER, verifiedClientIp } from "@/scripts/client-ip.mjs";

/**
 * The header scripts/serve.mjs sets from the socket (or from X-Forwarded-For appended by a proxy listed in
 * PORTAL_TRUSTED_PROXIES), overwriting any value the client sent, and signs with its per-start key
 * (PORTAL_CLIENT_IP_KEY). It is believed only with a valid signature: served any other way (plain `next start`)
 * the portal records no address rather than one the client chose. X-Forwarded-For itself is never read here.
 */
export { CLIENT_IP_HEADER };

type HeaderBag = { get(name: string): string | null } | Record<string, unknown>;

function read(h: HeaderBag, name: string): string | null {
  const v =
    typeof (h as { get?: unknown }).get === "function"
      ? (h as { get(n: string): string | null }).get(name)
      : (h as Record<string, unknown>)[name];
  return typeof v === "string" ? v : null;
}

/** The caller's IP and user agent from request headers (a Headers object or next-auth's plain object). */
export function clientFromHeaders(h: HeaderBag): AuditClient {
  return {
    ip: verifiedClientIp(read(h, CLIENT_IP_HEADER), read(h, CLIENT_IP_SIG_HEADER), env().PORTAL_CLIENT_IP_KEY),
    userAgent: read(h, "user-agent"),
  };
}

/** The caller's IP and user agent, for audit events. */
export async function clientInfo(): Promise<AuditClient> {
  return clientFromHeaders(await headers());
}
