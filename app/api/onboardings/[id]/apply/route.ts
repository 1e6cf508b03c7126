import { startApply } from "@/lib/onboarding/service";
import { applyInput } from "@/lib/validation/onboarding";
import { defineRoute } from "@/lib/routes/define-route";

export const dynamic = "force-dynamic";

/**
 * Apply the onboarding's plan, like the plan page's Apply button: queues a provisioning run for the worker and
 * answers 202 `{ runId, runUrl }` (progress: GET /api/runs/[runId]). Body `{}` or `{ adopt: "key,…", confirmAdopt: "on" }`;
 * the onboarding id comes from the path.
 */
export const POST = defineRoute("POST /api/onboardings/[id]/apply", { body: applyInput }, async ({ body: { id, adopt } }, { actor }) => {
  const run = await startApply(id, await actor(), adopt);
  return Response.json(
    { runId: run.id, runUrl: `/onboardings/${id}/runs/${run.id}` },
    { status: 202, headers: { "cache-control": "no-store" } },
  );
});
