import { requireRoute } from "@/lib/auth/guard";
import { clientInfo } from "@/lib/auth/client-info";
import { db } from "@/lib/db";
import { planOnboarding } from "@/lib/onboarding/service";
import { planErrorOf } from "@/app/onboardings/_lib/plan-error";
import { jsonError } from "@/app/api/onboardings/_lib/responses";

export const dynamic = "force-dynamic";

/** The onboarding's plan (reads both accounts, writes nothing) as a JSON attachment. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  const guard = await requireRoute("GET /api/onboardings/[id]/plan");
  if (guard.response) return guard.response;
  const { id } = await ctx.params;
  const o = await db.onboarding.findUnique({ where: { id }, select: { id: true, pipelineName: true } });
  if (!o) return jsonError(404, "No such onboarding.");
  try {
    const plan = await planOnboarding(o.id, { user: guard.user, client: await clientInfo() });
    const safeName = o.pipelineName.replace(/[^A-Za-z0-9._-]/g, "-");
    return new Response(JSON.stringify(plan, null, 2), {
      headers: { "content-type": "application/json", "cache-control": "no-store", "content-disposition": `attachment; filename="plan-${safeName}.json"` },
    });
  } catch (e) {
    const err = planErrorOf(e);
    return jsonError(502, `${err.title}: ${err.message}`, { code: err.code ?? null, requestId: err.requestId ?? null });
  }
}
