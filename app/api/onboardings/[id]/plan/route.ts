import { z } from "zod";
import { planOnboarding } from "@/lib/onboarding/service";
import { pipelineNameOf } from "@/lib/onboarding/queries";
import { defineRoute } from "@/lib/routes/define-route";
import { jsonError } from "@/lib/routes/responses";
import { RouteError } from "@/lib/routes/route-error";
import { planErrorOf } from "@/app/onboardings/_lib/plan-error";

export const dynamic = "force-dynamic";

/** The onboarding's plan (reads both accounts, writes nothing) as a JSON attachment. */
export const GET = defineRoute(
  "GET /api/onboardings/[id]/plan",
  { params: z.object({ id: z.string() }) },
  async ({ params: { id } }, { actor }) => {
    const pipelineName = await pipelineNameOf(id);
    if (pipelineName === null) throw new RouteError(404, "No such onboarding.");
    try {
      const plan = await planOnboarding(id, await actor());
      const safeName = pipelineName.replace(/[^A-Za-z0-9._-]/g, "-");
      return new Response(JSON.stringify(plan, null, 2), {
        headers: {
          "content-type": "application/json",
          "cache-control": "no-store",
          "content-disposition": `attachment; filename="plan-${safeName}.json"`,
        },
      });
    } catch (e) {
      const err = planErrorOf(e);
      return jsonError(502, `${err.title}: ${err.message}`, { code: err.code ?? null, requestId: err.requestId ?? null });
    }
  },
);
