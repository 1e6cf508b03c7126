import type { Tx } from "@/lib/db";
import type { OnboardingSpec } from "@/lib/policies/types";
import { processSingleton } from "@/lib/core/singleton";
import type { LoadedOnboarding } from "./context";
import type { RunKind } from "./run-plan";
import type { StepContext, StepDefinition, StepOutput } from "./types";

/**
 * A catalogue fills the run engine: the steps a run of its kind executes and what finishing such a run writes to the
 * onboarding. The engine imports no catalogue; a composition root (lib/worker-main) registers them.
 */
export interface RunCatalogue {
  kind: RunKind;
  /** Every step of the catalogue, enabled or not (runs in the database name them by key). */
  steps: readonly StepDefinition[];
  /** The steps a run of this kind executes for an onboarding, in order. */
  stepsFor(spec: OnboardingSpec): StepDefinition[];
  /** In the transaction that finishes the run (with its audit event): the onboarding's new state. */
  finish(tx: Tx, f: { runId: string; onboarding: LoadedOnboarding; failed: boolean; outputs: Record<string, StepOutput> }): Promise<void>;
}

/** Where the runner records what each step created, adopted or retired (lib/provisioning/ledger.ts). */
export interface RunLedger {
  /** Before a create AWS cannot tag in the same request (StepContext.recordCreating). */
  recordCreating(
    onboardingId: string,
    region: string,
    entry: { accountId: string; kind: string; name: string; arn: string; shared: boolean },
  ): Promise<void>;
  /** In the transaction that records a succeeded step. */
  recordStep(
    tx: Tx,
    f: { onboardingId: string; region: string; step: StepDefinition; ctx: StepContext; output: StepOutput },
  ): Promise<void>;
}

interface Registry {
  catalogues: Map<RunKind, RunCatalogue>;
  ledger?: RunLedger;
}

const registry = () => processSingleton<Registry>("portalRunCatalogues", () => ({ catalogues: new Map() }));

/** Dependencies that name no step of the catalogue (a misspelt key would otherwise count as satisfied). */
export function unknownDependencies(steps: readonly StepDefinition[]): string[] {
  const keys = new Set(steps.map((s) => s.key));
  return steps.flatMap((s) => s.dependsOn.filter((d) => !keys.has(d)).map((d) => `${s.key} → ${d}`));
}

/** Duplicate step keys in a catalogue. */
function duplicateKeys(steps: readonly StepDefinition[]): string[] {
  const seen = new Set<string>();
  return steps.map((s) => s.key).filter((k) => (seen.has(k) ? true : (seen.add(k), false)));
}

export function registerCatalogue(catalogue: RunCatalogue): void {
  const unknown = unknownDependencies(catalogue.steps);
  if (unknown.length) throw new Error(`The ${catalogue.kind} catalogue depends on steps it does not have: ${unknown.join(", ")}`);
  const dupes = duplicateKeys(catalogue.steps);
  if (dupes.length) throw new Error(`The ${catalogue.kind} catalogue repeats step keys: ${dupes.join(", ")}`);
  registry().catalogues.set(catalogue.kind, catalogue);
}

export function registerLedger(ledger: RunLedger): void {
  registry().ledger = ledger;
}

export function catalogueFor(kind: RunKind): RunCatalogue {
  const c = registry().catalogues.get(kind);
  if (!c) throw new Error(`No ${kind} catalogue is registered with the run engine: call registerRunEngine() (lib/worker-main) first`);
  return c;
}

export function runLedger(): RunLedger {
  const l = registry().ledger;
  if (!l) throw new Error("No ledger is registered with the run engine: call registerRunEngine() (lib/worker-main) first");
  return l;
}

/** A step of a catalogue by key; an unknown key is an error, never a no-op. */
export function stepOf(catalogue: RunCatalogue, key: string): StepDefinition {
  const s = catalogue.steps.find((x) => x.key === key);
  if (!s) throw new Error(`Unknown ${catalogue.kind} step ${key}`);
  return s;
}
