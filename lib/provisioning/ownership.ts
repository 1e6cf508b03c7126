import type { Ownership } from "@/lib/policies/common";
import { MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE } from "@/lib/policies/types";
import { StepFailure } from "@/lib/core/errors";
import type { StepContext, StepDefinition } from "@/lib/runs/types";

/**
 * The guard every step runs before changing a resource that already exists: another onboarding's resource is never
 * touched; an untagged one only when the person applying confirmed adopting it (the plan listed it as "adopt").
 */
export function assertMayConverge(
  ctx: StepContext,
  step: Pick<StepDefinition, "key">,
  ownership: Ownership,
  what: string,
  /** Kinds the portal adopts only once an administrator tagged them portal:managed-by (it tags only in create requests): is it? */
  tagGate?: { marked: boolean; account: string },
): void {
  if (ownership === "other-onboarding") {
    throw new StepFailure(
      "OwnedByAnotherOnboarding",
      `${what} belongs to another onboarding (its portal:onboarding tag names it). The portal never takes over another onboarding's resources: choose another pipeline name or project, or offboard the other onboarding first.`,
    );
  }
  if (ownership === "untagged" && tagGate && !tagGate.marked) {
    throw new StepFailure(
      "AdoptionNeedsManagedByTag",
      `${what} already exists and was not created by the portal. The provisioning role may change such a resource only once it carries the tag ${MANAGED_BY_TAG_KEY}=${MANAGED_BY_TAG_VALUE}: an administrator of account ${tagGate.account} adds that tag (the portal cannot), then you confirm adopting it in the plan. Or remove or rename the resource.`,
    );
  }
  if (ownership === "untagged" && !ctx.confirmedAdoptions.has(step.key)) {
    throw new StepFailure(
      "AdoptionNotConfirmed",
      `${what} already exists and was not created by the portal. Open the plan, check what it shows for this resource, and confirm adopting it before applying, or remove or rename the resource.`,
    );
  }
}
