import { z } from "zod";

/** Verify now / Repair: the onboarding, nothing else. */
export const driftOnboardingRef = z.object({
  id: z
    .string()
    .min(1, "Missing onboarding.")
    .max(64, "Unknown onboarding.")
    .regex(/^[a-z0-9]+$/, "Unknown onboarding."),
});
