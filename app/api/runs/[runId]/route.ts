import { requireRoute } from "@/lib/auth/guard";
import { runProgress } from "@/lib/onboarding/service";
import { jsonError } from "@/app/api/onboardings/_lib/responses";

export const dynamic = "force-dynamic";

/** A provisioning run's progress: polled every second by the run page until the run finishes. */
export async function GET(_req: Request, ctx: { params: Promise<{ runId: string }> }) {
  const guard = await requireRoute("GET /api/runs/[runId]");
  if (guard.response) return guard.response;
  const { runId } = await ctx.params;
  if (!runId || runId.length > 100) return jsonError(400, "Invalid run id.");
  try {
    const progress = await runProgress(runId);
    if (!progress) return jsonError(404, "No such run.");
    return Response.json(progress, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    console.error("[runs] progress read failed", e);
    return jsonError(500, "The run's progress could not be read. Try again.");
  }
}
