import { DESTROY_STEPS } from "@/lib/teardown/steps";
import type { OnboardingSpec } from "@/lib/policies/types";
import { ALL_STEPS, stepsFor } from "./steps";
import type { StepDefinition } from "./types";

export type RunKind = "apply" | "destroy";

/** The steps a run of `kind` executes for an onboarding: the apply catalogue or the teardown one. */
export function stepsForKind(kind: string, spec: OnboardingSpec): StepDefinition[] {
  return kind === "destroy" ? DESTROY_STEPS : stepsFor(spec);
}

/** A step of either catalogue by key (destroy steps are named `destroy.…`). */
export function stepByKey(key: string): StepDefinition {
  const s = (key.startsWith("destroy.") ? DESTROY_STEPS : ALL_STEPS).find((x) => x.key === key);
  if (!s) throw new Error(`Unknown step ${key}`);
  return s;
}
