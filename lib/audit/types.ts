/** "attempted": written before an AWS mutation, so a call is on record even when the outcome event cannot be. */
export type AuditOutcome = "success" | "failure" | "denied" | "attempted";

export interface AuditActor {
  id?: string | null;
  email?: string | null;
}

export interface AuditClient {
  ip?: string | null;
  userAgent?: string | null;
}

export interface AuditInput {
  actor: AuditActor | null;
  action: string;
  target?: { type: string; id?: string | null };
  outcome: AuditOutcome;
  details?: Record<string, unknown>;
  requestIds?: string[];
  client?: AuditClient;
}
