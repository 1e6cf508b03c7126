/**
 * Where an explanation's "Repair" leads. One constant: the plan page re-applies the onboarding today; point it at a
 * dedicated drift repair page once one exists.
 */
export const REPAIR_PATH = "/onboardings/[id]/plan";
export const REPAIR_LABEL = "Repair: review the plan and re-apply";

export function repairLink(onboardingId: string): { href: string; label: string } {
  return { href: REPAIR_PATH.replace("[id]", encodeURIComponent(onboardingId)), label: REPAIR_LABEL };
}
