import type { AccountSide, PlanAction } from "@/lib/runs/types";

/** One resource as a verify found it. "missing": does not exist; "error": could not be read. */
export type DriftItemStatus = "in-sync" | "drifted" | "missing" | "error";
export type DriftStatus = "in-sync" | "drifted" | "error";
export type DriftTrigger = "schedule" | "manual" | "repair";

export interface DriftDocument {
  title: string;
  /** Line diff ("  ", "- " in AWS now, "+ " desired), unchanged runs shortened to "  …". */
  diff: string;
}

export interface DriftItem {
  stepKey: string;
  title: string;
  account: AccountSide;
  accountId: string;
  kind: string;
  resource: string;
  arn?: string;
  status: DriftItemStatus;
  /** The plan's action behind the status (no-change, update, create, adopt, conflict). */
  planAction?: PlanAction;
  /** Why, in a sentence: the plan's reason, or the read error. */
  reason: string;
  /** What differs, one line each: "statement PortalRepoAccounts removed", "State: DISABLED (desired ENABLED)". */
  changes: string[];
  /** Only the documents that differ. */
  documents: DriftDocument[];
  /** When a verify first saw this resource out of sync (kept while it stays so). */
  firstSeenAt?: string;
}

export interface DriftCheckView {
  id: string;
  onboardingId: string;
  checkedAt: string;
  status: DriftStatus;
  trigger: DriftTrigger;
  actorEmail: string | null;
  error: string | null;
  items: DriftItem[];
}
