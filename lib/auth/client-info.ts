import "server-only";
import { headers } from "next/headers";
import type { AuditClient } from "@/lib/audit/types";

/** The caller's IP and user agent, for audit events. */
export async function clientInfo(): Promise<AuditClient> {
  const h = await headers();
  return {
    ip: h.get("x-forwarded-for")?.split(",")[0]?.trim() ?? h.get("x-real-ip") ?? null,
    userAgent: h.get("user-agent"),
  };
}
