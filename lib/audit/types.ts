/** "attempted": written before an AWS mutation, so a call is on record even when the outcome event cannot be. */
export type AuditOutcome = "success" | "failure" | "denied" | "attempted";

/** The audit log's actor and client are the portal's one actor context (lib/core/actor.ts). */
export type { Actor as AuditActor, RequestClient as AuditClient } from "@/lib/core/actor";
import type { Actor as AuditActor, RequestClient as AuditClient } from "@/lib/core/actor";

export interface AuditInput {
  actor: AuditActor | null;
  action: string;
  target?: { type: string; id?: string | null };
  outcome: AuditOutcome;
  details?: Record<string, unknown>;
  requestIds?: string[];
  client?: AuditClient;
}
