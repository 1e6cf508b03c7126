import { z } from "zod";
import { teardownChoicesSchema, type TeardownChoices } from "@/lib/runs/run-plan";

// The choices a destroy run stores (Run.plan) are defined with the run plan (lib/runs/run-plan.ts); these are the form's.

/** Form fields (checkboxes, a number) → options; field errors name the form field. */
export const teardownFormSchema = z.object({
  id: z.string().min(1).max(64),
  deleteBucket: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
  deleteKey: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
  keyWaitingDays: z.preprocess(
    (v) => (v === undefined || v === "" ? 30 : Number(v)),
    z
      .number({ message: "Enter a number of days" })
      .int("Enter a whole number of days")
      .min(7, "KMS waits at least 7 days before deleting a key")
      .max(30, "KMS waits at most 30 days before deleting a key"),
  ),
});

export const destroyFormSchema = teardownFormSchema.extend({
  confirmName: z.string().trim().min(1, "Type the pipeline name to confirm").max(100),
});

export function parseTeardownOptions(input: unknown): TeardownChoices {
  return teardownChoicesSchema.parse(input ?? {});
}
