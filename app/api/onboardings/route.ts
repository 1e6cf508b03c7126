import { createOnboarding } from "@/lib/onboarding/service";
import { onboardingFields } from "@/lib/validation/onboarding";
import { jsonCommand } from "./_lib/json-command";

export const dynamic = "force-dynamic";

/** Create an onboarding (the form's fields as JSON), like the "Onboard" form: 201 `{ id, planUrl }`. */
export async function POST(req: Request) {
  return jsonCommand(req, "POST /api/onboardings", onboardingFields, async (input, ctx) => {
    const o = await createOnboarding(input, ctx);
    return Response.json({ id: o.id, planUrl: `/onboardings/${o.id}/plan` }, { status: 201, headers: { "cache-control": "no-store" } });
  });
}
