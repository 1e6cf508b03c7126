import "server-only";
import { db } from "@/lib/db";

/** The admin overview's figures: users, active admins, and the number of audit events in the chain. */
export async function adminOverview() {
  const [users, admins, last] = await Promise.all([
    db.user.count(),
    db.user.count({ where: { role: "admin", disabled: false } }),
    db.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } }),
  ]);
  return { users, admins, auditEvents: last?.seq ?? 0 };
}
