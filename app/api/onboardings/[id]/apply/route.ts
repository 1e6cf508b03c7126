import { startApply } from "@/lib/onboarding/service";
import { applyInput } from "@/lib/validation/onboarding";
import { jsonCommand } from "../../_lib/json-command";

export const dynamic = "force-dynamic";

/**
 * Apply the onboarding's plan, like the plan page's Apply button: queues a provisioning run for the worker and
 * answers 202 `{ runId, runUrl }` (progress: GET /api/runs/[runId]). Body `{}` or `{ adopt: "key,…", confirmAdopt: "on" }`.
 */
export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params;
  return jsonCommand(req, "POST /api/onboardings/[id]/apply", applyInput, async ({ adopt }, c) => {
    const run = await startApply(id, c, adopt);
    return Response.json({ runId: run.id, runUrl: `/onboardings/${id}/runs/${run.id}` }, { status: 202, headers: { "cache-control": "no-store" } });
  }, { id });
}
