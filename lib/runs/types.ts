import type { ArtifactStore, OnboardingSpec } from "@/lib/policies/types";
import type { ResourceNames } from "@/lib/names/derive";
import type { AccountClients } from "@/lib/aws/clients";
import type { CliStep } from "@/lib/policies/cli-commands";
import type { StepKey } from "./step-keys";

export type { ApplyStepKey, DestroyStepKey, StepKey } from "./step-keys";

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

/**
 * The fields other steps and the engine read from a step's output, by step key (what the step's `apply` returns
 * besides). Read them through `outputOf`, never by indexing `outputs` with a bare string.
 */
export interface StepOutputs {
  "tools.kms-key": { keyArn: string };
  "tools.pipeline": { pipelineArn: string; pipelineName: string };
  "tools.codebuild-project": { origin: string; serviceRole?: string; projectName?: string; projectArn?: string };
  "tools.notifications-topic": { topicArn: string; topicName?: string };
  "tools.notifications-rule": { ruleArn: string; ruleName?: string };
}

/** Every step output carries these when it retires ledger rows or records an origin. */
export interface CommonStepOutput {
  origin?: string;
  /** Comma-separated ProvisionedResource ids the step deleted in AWS (the runner removes the rows). */
  retiredLedgerIds?: string;
}

/** A succeeded step's output as its typed shape (fields absent when the step did not run or returned none). */
export function outputOf<K extends keyof StepOutputs>(
  outputs: Partial<Record<string, StepOutput>>,
  key: K,
): Partial<StepOutputs[K]> | undefined {
  const raw = outputs[key];
  if (!raw) return undefined;
  const typed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== null) typed[k] = v;
  return typed as Partial<StepOutputs[K]>;
}

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
  /** One of lib/runs/step-keys.ts (checked by lib/runs/catalogues.test.ts): kept a string so step factories stay simple. */
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

/** A step definition whose key is known to be one of the catalogue's keys. */
export type KeyedStep<K extends StepKey = StepKey> = StepDefinition & { key: K };
