import "server-only";
import { recordAudit } from "@/lib/audit/append";
import type { AuditClient } from "@/lib/audit/types";
import { isAllowed, type DataKey } from "./access-table";
import type { CurrentUser } from "./session";

/**
 * Whether `user` may be sent the data a `data` row of the access table names (build-log lines, build environment
 * values); a refusal is audited. Kept apart from guard.ts (which imports next/navigation) so services that scripts
 * and the worker load (lib/onboarding/service.ts) can ask it outside a request.
 */
export async function mayRead(key: DataKey, user: CurrentUser | null, client?: AuditClient): Promise<boolean> {
  if (user && isAllowed(key, user.role)) return true;
  const requestClient = client ?? (await (await import("./client-info")).clientInfo());
  await recordAudit({
    actor: user,
    action: "data.read",
    target: { type: "data", id: key },
    outcome: "denied",
    details: { role: user?.role ?? "anonymous" },
    client: requestClient,
  });
  return false;
}
