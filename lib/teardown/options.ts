import { z } from "zod";

/**
 * What an offboarding deletes besides what the portal created for the onboarding alone. Both default to keeping:
 * the artifact bucket holds build outputs someone may still want, and a key's deletion cannot be undone once its
 * waiting period ends (KMS: ScheduleKeyDeletion, 7 to 30 days).
 */
export const teardownOptionsSchema = z.object({
  deleteBucket: z.boolean().default(false),
  deleteKey: z.boolean().default(false),
  keyWaitingDays: z.number().int().min(7, "KMS waits at least 7 days before deleting a key").max(30, "KMS waits at most 30 days before deleting a key").default(30),
});

export type TeardownOptions = z.infer<typeof teardownOptionsSchema>;

export const DEFAULT_TEARDOWN_OPTIONS: TeardownOptions = { deleteBucket: false, deleteKey: false, keyWaitingDays: 30 };

/** Form fields (checkboxes, a number) → options; field errors name the form field. */
export const teardownFormSchema = z.object({
  id: z.string().min(1).max(64),
  deleteBucket: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
  deleteKey: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
  keyWaitingDays: z.preprocess((v) => (v === undefined || v === "" ? 30 : Number(v)), z.number({ message: "Enter a number of days" }).int("Enter a whole number of days").min(7, "KMS waits at least 7 days before deleting a key").max(30, "KMS waits at most 30 days before deleting a key")),
});

export const destroyFormSchema = teardownFormSchema.extend({
  confirmName: z.string().trim().min(1, "Type the pipeline name to confirm").max(100),
});

export function parseTeardownOptions(input: unknown): TeardownOptions {
  return teardownOptionsSchema.parse(input ?? {});
}
