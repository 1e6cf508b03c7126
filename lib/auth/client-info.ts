import "server-only";
import { headers } from "next/headers";
import type { AuditClient } from "@/lib/audit/types";

/**
 * The header scripts/serve.mjs sets from the socket (or from X-Forwarded-For appended by a proxy listed in
 * PORTAL_TRUSTED_PROXIES), overwriting any value the client sent. X-Forwarded-For itself is never read here.
 */
export const CLIENT_IP_HEADER = "x-crossline-client-ip";

type HeaderBag = { get(name: string): string | null } | Record<string, unknown>;

function read(h: HeaderBag, name: string): string | null {
  const v = typeof (h as { get?: unknown }).get === "function" ? (h as { get(n: string): string | null }).get(name) : (h as Record<string, unknown>)[name];
  return typeof v === "string" ? v : null;
}

/** The caller's IP and user agent from request headers (a Headers object or next-auth's plain object). */
export function clientFromHeaders(h: HeaderBag): AuditClient {
  return { ip: read(h, CLIENT_IP_HEADER)?.slice(0, 64) ?? null, userAgent: read(h, "user-agent") };
}

/** The caller's IP and user agent, for audit events. */
export async function clientInfo(): Promise<AuditClient> {
  return clientFromHeaders(await headers());
}
