import { createHash, createHmac } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

/**
 * Link formats (the stored `hash` column; `prevHash` holds the previous event's, whatever its format):
 * - plain: 64 hex = sha256 over the fields. Written before the audit key existed; anyone who can write the
 *   database can recompute it, so it is accepted only for the oldest events, before the first keyed one.
 * - keyed: `k1:` + 64 hex = HMAC-SHA256 with the audit key (lib/audit/key.ts, kept outside the database).
 */
export const KEYED_PREFIX = "k1:";

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

function fields(prevHash: string, c: HashedContent): string {
  return JSON.stringify([
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
  ]);
}

/** The plain (unkeyed) link of the first chain format: sha256 over the previous hash and every content field. */
export function plainHash(prevHash: string, c: HashedContent): string {
  return createHash("sha256").update(fields(prevHash, c)).digest("hex");
}

/** The keyed link: HMAC-SHA256 with the audit key over the same fields. */
export function keyedHash(key: Buffer, prevHash: string, c: HashedContent): string {
  return KEYED_PREFIX + createHmac("sha256", key).update(fields(prevHash, c)).digest("hex");
}

export const isKeyed = (hash: string) => hash.startsWith(KEYED_PREFIX);
