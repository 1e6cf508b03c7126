import { createOnboarding } from "@/lib/onboarding/service";
import { onboardingFields } from "@/lib/validation/onboarding";
import { defineRoute } from "@/lib/routes/define-route";

export const dynamic = "force-dynamic";

/**
 * Create an onboarding (the form's fields as JSON), like the "Onboard" form: 201 `{ id, planUrl }`. Scripts and
 * drills drive the portal over HTTP; the pages use the server actions, which call the same service function.
 */
export const POST = defineRoute("POST /api/onboardings", { body: onboardingFields }, async ({ body }, { actor }) => {
  const o = await createOnboarding(body, await actor());
  return Response.json({ id: o.id, planUrl: `/onboardings/${o.id}/plan` }, { status: 201, headers: { "cache-control": "no-store" } });
});
