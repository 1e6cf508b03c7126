/**
 * One AWS resource kind the portal manages: everything the lifecycle features need to know of it, in one module
 * (lib/resources/<kind>.ts), listed in the registry (lib/resources/index.ts). Apply steps (lib/provisioning/steps),
 * teardown (lib/teardown/steps), the retire dispatcher, the ledger, the provisioning role's documents
 * (lib/resources/provisioning-role.ts) and the views' labels, services and console links derive from it.
 */
import type { Statement } from "@/lib/policies/types";
import type { LedgerRow, StepContext, StepOutput } from "@/lib/runs/types";

/** AWS service names as the portal writes them to people (the Apply dialog lists them in this order). */
export const AWS_SERVICES = ["IAM", "KMS", "S3", "CodeBuild", "CodePipeline", "EventBridge", "SNS", "CodeStar Notifications"] as const;
export type AwsService = (typeof AWS_SERVICES)[number] | (string & {});

/** Where a resource of the kind opens in the AWS console; or, when it has no page of its own, why. */
export type ConsoleLink = { url(arn: string): string | null; example: string } | { none: string };

/**
 * Sections of the provisioning role's permission policy. `tools-managed` goes to the customer-managed policy of a
 * tools account (IAM's inline size limit, lib/resources/provisioning-role.ts `provisioningPolicyParts`).
 */
export type GrantSection = "iam" | "tools-managed" | "tools-inline" | "repo" | "rules";

/** One statement the provisioning role needs for the kind, in the accounts of the given purpose. */
export interface Grant {
  section: GrantSection;
  /** "both": tools and repository accounts alike. */
  accounts: "tools" | "repo" | "both";
  statement(accountId: string, partition: string): Statement;
}

/** A kind whose calls another kind's statements already allow (e.g. the bucket policy: the bucket's grants cover it). */
export interface CoveredGrants {
  coveredBy: string[];
  reason: string;
}

export interface LedgerEntry {
  accountId: string;
  kind: string;
  name: string;
  arn: string;
  shared: boolean;
}

/** What teardown reads before it deletes (`inspect` of each kind, lib/resources/lifecycle.ts). `notOwn`: why it is kept (null: it is ours). */
export type Inspection = { exists: false } | { exists: true; notOwn: string | null };

export interface ResourceKind {
  /** The kind as plan items and ledger rows record it (stored in the database: never renamed). */
  kind: string;
  /** How people read it: "IAM role", "SNS topic". */
  label: string;
  service: AwsService;
  console: ConsoleLink;
  grants: Grant[] | CoveredGrants;
  /**
   * The apply steps (lib/provisioning/steps, by key) that read it, build its desired documents, compare them into a
   * plan item, and adopt / converge / create it. Empty for a kind only teardown or retire touches.
   */
  applySteps: string[];
  /** Its ledger row after one of its apply steps succeeded (null: that step records nothing, e.g. an existing project). */
  ledgerEntry?(stepKey: string, ctx: StepContext, out: StepOutput): LedgerEntry | null;
  /** Whether the recorded resource exists and is still this onboarding's own (its ARN and tags, never its name alone). */
  inspect?(ctx: StepContext, row: LedgerRow): Promise<Inspection>;
  /**
   * Deletes the recorded resource, by the row's ARN and name, idempotently (already gone is done). Roles, projects,
   * rules, topics and notification rules re-read their tags right before the call and leave anything not this
   * onboarding's own; the pipeline, the bucket, the key and the bus statement are deleted only after their teardown
   * step judged them (`inspect`, lib/teardown/steps/*). Or why the portal never deletes it (a shared policy's
   * statements are edited, not deleted).
   */
  delete: ((ctx: StepContext, row: LedgerRow) => Promise<void>) | { none: string };
}

export const hasConsolePage = (k: ResourceKind): k is ResourceKind & { console: { url(arn: string): string | null; example: string } } =>
  "url" in k.console;
export const grantsOf = (k: ResourceKind): Grant[] => (Array.isArray(k.grants) ? k.grants : []);
