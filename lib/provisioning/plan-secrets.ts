import {
  mapEnvironmentVariables,
  maskEnvironmentVariables,
  withholdEnvironmentVariables,
  type EnvironmentVariableLike,
} from "@/lib/security/mask-secrets";
import { plainDocument } from "./plan-item";
import type { PlanDocument, PlanItem } from "@/lib/runs/types";

type VarsFn = (vars: EnvironmentVariableLike[]) => EnvironmentVariableLike[];

/** A project document (`{ …, environment: { environmentVariables } }`) with its variables passed through `f`. */
function mapProject(doc: unknown, f: VarsFn): unknown {
  if (!doc || typeof doc !== "object" || !("environment" in doc)) return doc;
  return { ...doc, environment: mapEnvironmentVariables((doc as { environment: unknown }).environment, f) };
}

const valuesOf = (doc: unknown): unknown[] => {
  const vars = (doc as { environment?: { environmentVariables?: unknown } } | null)?.environment?.environmentVariables;
  return Array.isArray(vars) ? vars.filter((v) => typeof (v as EnvironmentVariableLike)?.value === "string") : [];
};

/** Whether a document shows any environment-variable value (current or desired). */
const showsValues = (d: PlanDocument) => valuesOf(d.current).length > 0 || valuesOf(d.desired).length > 0;

/** Rebuilds a document (and its diff, which quotes the values too) with its variables passed through `f`. */
function mapDocument(d: PlanDocument, f: VarsFn): PlanDocument {
  if (!showsValues(d)) return d;
  return plainDocument(d.title, mapProject(d.current, f), mapProject(d.desired, f), d.diff === "");
}

/** A CodeBuild project as the plan shows it: secret-named values masked, the others masked by pattern. */
export const maskedProject = <T>(project: T): T => mapProject(project, maskEnvironmentVariables) as T;

/** Whether any plan item shows an environment-variable value (only then is `onboardings.plan.secrets` asked). */
export const planShowsEnvironmentValues = (items: readonly PlanItem[]) => items.some((i) => i.documents.some(showsValues));

/** Plan items with every environment-variable value withheld, diffs included: for roles without `onboardings.plan.secrets`. */
export function withholdEnvironmentValues<T extends Pick<PlanItem, "documents">>(items: readonly T[]): T[] {
  return items.map((i) =>
    i.documents.some(showsValues) ? { ...i, documents: i.documents.map((d) => mapDocument(d, withholdEnvironmentVariables)) } : i,
  );
}
