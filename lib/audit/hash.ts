import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export interface HashedContent {
  at: Date;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  details: string;
  requestIds: string | null;
  ip: string | null;
  userAgent: string | null;
}

/** The chain link: sha256 over the previous hash and every content field, in a fixed order. */
export function auditHash(prevHash: string, c: HashedContent): string {
  const fields = [
    prevHash,
    c.at.toISOString(),
    c.actorId ?? "",
    c.actorEmail ?? "",
    c.action,
    c.targetType ?? "",
    c.targetId ?? "",
    c.outcome,
    c.details,
    c.requestIds ?? "",
    c.ip ?? "",
    c.userAgent ?? "",
  ];
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex");
}
