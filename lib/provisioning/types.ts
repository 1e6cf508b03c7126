import type { ArtifactStore, OnboardingSpec } from "@/lib/policies/types";
import type { ResourceNames } from "@/lib/names/derive";
import type { AccountClients } from "@/lib/aws/clients";
import type { CliStep } from "@/lib/policies/cli-commands";

export type AccountSide = "tools" | "repo";

/** What a plan says will happen to one resource. */
/**
 * "adopt": exists without the portal's tags; taken over only when the person applying confirms it.
 * "conflict": belongs to another onboarding; the apply refuses it.
 * "delete": a resource of this onboarding that its new configuration no longer uses; deleted after the switch.
 */
export type PlanAction = "create" | "update" | "no-change" | "adopt" | "conflict" | "delete" | "keep";

/** "keep" appears only in teardown plans: a resource an offboarding leaves in place (adopted, still used, or by choice). */
export const PLAN_ACTIONS: PlanAction[] = ["create", "update", "no-change", "adopt", "conflict", "delete", "keep"];

export interface PlanDocument {
  /** e.g. "Key policy", "Trust policy", "Pipeline declaration" */
  title: string;
  /** Current document as AWS has it (null when the resource does not exist yet). */
  current: unknown | null;
  desired: unknown;
  /** Line diff of the pretty-printed documents ("  ", "- ", "+ " prefixes); empty when equal. */
  diff: string;
}

export interface PlanItem {
  stepKey: string;
  title: string;
  account: AccountSide;
  accountId: string;
  kind: string;
  name: string;
  arn?: string;
  action: PlanAction;
  /** Why: "does not exist", "trust policy differs", "exists with the portal's tag"… */
  reason: string;
  documents: PlanDocument[];
  /** Equivalent AWS CLI commands a person would type for this resource. */
  cli: string[];
  /** Other shared things (key, bucket…) this resource is part of. */
  shared?: boolean;
}

export interface Plan {
  onboardingId: string;
  createdAt: string;
  spec: OnboardingSpec;
  names: ResourceNames;
  items: PlanItem[];
  /** The full CreatePipeline/UpdatePipeline declaration. */
  pipelineJson: unknown;
  summary: Record<PlanAction, number>;
  /** The equivalent AWS CLI commands, in order. */
  cli: CliStep[];
}

/** What a step hands to the steps after it (ARNs, ids). Persisted as the RunStep's output. */
export type StepOutput = Record<string, string | boolean | number | null>;

export interface StepContext {
  spec: OnboardingSpec;
  names: ResourceNames;
  clients: { tools: AccountClients; repo: AccountClients };
  /** Outputs of the steps this one depends on, by step key. */
  outputs: Record<string, StepOutput>;
  /** The artifact store once the key exists (key ARN known); a placeholder ARN while planning a fresh store. */
  store: ArtifactStore;
  /** Step keys whose untagged existing resource the person applying confirmed the portal may adopt. */
  confirmedAdoptions: ReadonlySet<string>;
  /** What the ledger records for this onboarding (the retire step deletes what the new names no longer use). */
  ledger: LedgerRow[];
  /**
   * Records, before a create that AWS cannot tag in the same request (S3's CreateBucket), that this onboarding is
   * about to create the resource (ledger origin `creating`): a worker killed between the create and the tagging then
   * finds the untagged resource on resume and knows it is its own. Absent while planning.
   */
  recordCreating?: (entry: { accountId: string; kind: string; name: string; arn: string; shared: boolean }) => Promise<void>;
  /** A destroy run's choices (lib/teardown/options.ts): delete the bucket, schedule the key's deletion. */
  teardown?: { deleteBucket: boolean; deleteKey: boolean; keyWaitingDays: number };
}

export interface LedgerRow {
  id: string;
  accountId: string;
  region: string;
  kind: string;
  name: string;
  arn: string;
  origin: string;
  shared: boolean;
}

export interface StepDefinition {
  key: string;
  title: string;
  account: AccountSide;
  dependsOn: string[];
  /** Whether this onboarding needs the step at all (e.g. the CodeBuild role only when the portal creates the project). */
  enabled?(spec: OnboardingSpec): boolean;
  /** Reads AWS and describes the change. Never writes. */
  plan(ctx: StepContext): Promise<PlanItem>;
  /** When a step stands for several resources (what an edit retires): one plan item each. */
  planMany?(ctx: StepContext): Promise<PlanItem[]>;
  /** Reads AWS, adopts what matches, converges what differs, creates what is missing. Idempotent. */
  apply(ctx: StepContext): Promise<StepOutput>;
}
