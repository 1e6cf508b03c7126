import { z } from "zod";
import { runProgress } from "@/lib/onboarding/service";
import { defineRoute } from "@/lib/routes/define-route";
import { jsonError } from "@/lib/routes/responses";
import { RouteError } from "@/lib/routes/route-error";

export const dynamic = "force-dynamic";

const runParams = z.object({ runId: z.string() }).refine((p) => p.runId.length > 0 && p.runId.length <= 100, { error: "Invalid run id." });

/** A provisioning run's progress: polled every second by the run page until the run finishes. */
export const GET = defineRoute("GET /api/runs/[runId]", { params: runParams }, async ({ params: { runId } }) => {
  let progress: Awaited<ReturnType<typeof runProgress>>;
  try {
    progress = await runProgress(runId);
  } catch (e) {
    console.error("[runs] progress read failed", e);
    return jsonError(500, "The run's progress could not be read. Try again.");
  }
  if (!progress) throw new RouteError(404, "No such run.");
  return Response.json(progress, { headers: { "cache-control": "no-store" } });
});
