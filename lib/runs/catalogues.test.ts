import { describe, expect, it } from "vitest";
import { ALL_STEPS } from "@/lib/provisioning/steps";
import { DESTROY_STEPS } from "@/lib/teardown/steps";
import { applyCatalogue } from "@/lib/provisioning/catalogue";
import { destroyCatalogue } from "@/lib/teardown/catalogue";
import { catalogueFor, registerCatalogue, stepOf, unknownDependencies, type RunCatalogue } from "./catalogues";
import { APPLY_STEP_KEYS, DESTROY_STEP_KEYS } from "./step-keys";
import type { StepDefinition } from "./types";

const step = (key: string, dependsOn: string[]): StepDefinition => ({
  key,
  title: key,
  account: "tools",
  dependsOn,
  plan: async () => {
    throw new Error("unused");
  },
  apply: async () => ({}),
});
const catalogue = (steps: StepDefinition[]): RunCatalogue => ({
  kind: "apply",
  steps,
  stepsFor: () => steps,
  finish: async () => undefined,
});

describe("run catalogues", () => {
  it.each([
    ["apply", ALL_STEPS],
    ["destroy", DESTROY_STEPS],
  ] as const)("every dependsOn of the %s catalogue names one of its steps", (_kind, steps) => {
    expect(unknownDependencies(steps)).toEqual([]);
  });

  it("hold exactly the typed step keys (runs in the database reference them: none renamed)", () => {
    expect(ALL_STEPS.map((s) => s.key)).toEqual([...APPLY_STEP_KEYS]);
    expect(DESTROY_STEPS.map((s) => s.key)).toEqual([...DESTROY_STEP_KEYS]);
  });

  it("are the steps the registered apply and destroy catalogues run", () => {
    expect(applyCatalogue.steps).toBe(ALL_STEPS);
    expect(destroyCatalogue.steps).toBe(DESTROY_STEPS);
  });

  it("refuses a catalogue whose step depends on a step it does not have (a misspelling is not satisfied)", () => {
    const steps = [step("tools.kms-key", []), step("tools.bucket", ["tools.kms-kye"])];
    expect(unknownDependencies(steps)).toEqual(["tools.bucket → tools.kms-kye"]);
    expect(() => registerCatalogue(catalogue(steps))).toThrow(/depends on steps it does not have: tools\.bucket → tools\.kms-kye/);
  });

  it("refuses repeated step keys, and an unknown step key is an error", () => {
    expect(() => registerCatalogue(catalogue([step("tools.kms-key", []), step("tools.kms-key", [])]))).toThrow(
      /repeats step keys: tools\.kms-key/,
    );
    const c = catalogue([step("tools.kms-key", [])]);
    registerCatalogue(c);
    expect(catalogueFor("apply")).toBe(c);
    expect(stepOf(c, "tools.kms-key").key).toBe("tools.kms-key");
    expect(() => stepOf(c, "tools.nope")).toThrow(/Unknown apply step tools\.nope/);
  });
});
