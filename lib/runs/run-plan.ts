import { z } from "zod";

/**
 * Run.plan: what the person starting a run decided, stored as JSON beside the run and read back by the runner and
 * the pages. The run's kind (Run.kind) picks the shape; the stored JSON does not repeat it. Reading is lenient, as
 * the ad hoc parsers it replaces were: a malformed field reads as its default, never as a failed run.
 */

/**
 * What an offboarding deletes besides what the portal created for the onboarding alone. Both default to keeping:
 * the artifact bucket holds build outputs someone may still want, and a key's deletion cannot be undone once its
 * waiting period ends (KMS: ScheduleKeyDeletion, 7 to 30 days). lib/teardown/options.ts builds its forms on it.
 */
export const teardownChoicesSchema = z.object({
  deleteBucket: z.boolean().default(false),
  deleteKey: z.boolean().default(false),
  keyWaitingDays: z
    .number()
    .int()
    .min(7, "KMS waits at least 7 days before deleting a key")
    .max(30, "KMS waits at most 30 days before deleting a key")
    .default(30),
});

export type TeardownChoices = z.infer<typeof teardownChoicesSchema>;

export const DEFAULT_TEARDOWN_CHOICES: TeardownChoices = { deleteBucket: false, deleteKey: false, keyWaitingDays: 30 };

const stringsOnly = z.array(z.unknown()).transform((xs) => xs.filter((x): x is string => typeof x === "string"));

const applyPlanSchema = z.object({
  kind: z.literal("apply"),
  /** Step keys of the untagged existing resources the person applying agreed the portal may take over. */
  confirmedAdoptions: stringsOnly.catch([]).default([]),
  /** A repair: the drifted step keys it was started for, and the drift check that found them. */
  repairOf: stringsOnly.optional().catch(undefined),
  driftCheckId: z.string().optional().catch(undefined),
  /** Who started a repair the portal queued itself (e.g. "permissions-boundary"). */
  automatic: z.string().optional().catch(undefined),
});

const destroyPlanSchema = z.object({
  kind: z.literal("destroy"),
  teardown: teardownChoicesSchema.catch({ ...DEFAULT_TEARDOWN_CHOICES }).default({ ...DEFAULT_TEARDOWN_CHOICES }),
});

export const runPlanSchema = z.discriminatedUnion("kind", [applyPlanSchema, destroyPlanSchema]);

export type RunPlan = z.infer<typeof runPlanSchema>;
export type ApplyPlan = Extract<RunPlan, { kind: "apply" }>;
export type DestroyPlan = Extract<RunPlan, { kind: "destroy" }>;
export type RunKind = RunPlan["kind"];

/** Run.plan of a run of `kind` (unknown kinds read as an apply, as the runner always treated them). */
export function parseRunPlan(kind: string, stored: string | null): RunPlan {
  let json: unknown = {};
  try {
    json = stored ? JSON.parse(stored) : {};
  } catch {
    json = {};
  }
  const body = json && typeof json === "object" && !Array.isArray(json) ? json : {};
  const parsed = runPlanSchema.safeParse({ ...body, kind: kind === "destroy" ? "destroy" : "apply" });
  if (parsed.success) return parsed.data;
  return kind === "destroy" ? { kind: "destroy", teardown: { ...DEFAULT_TEARDOWN_CHOICES } } : { kind: "apply", confirmedAdoptions: [] };
}

/** The JSON stored in Run.plan (without the kind, which Run.kind holds); undefined fields are left out. */
export function serializeRunPlan(plan: RunPlan): string {
  const { kind: _kind, ...body } = plan;
  return JSON.stringify(body);
}

/** The drifted step keys a repair run was started for, or null for an ordinary apply (and for a destroy). */
export function repairOf(plan: RunPlan): string[] | null {
  return plan.kind === "apply" ? (plan.repairOf ?? null) : null;
}
