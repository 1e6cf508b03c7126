import { readBackgroundStatus } from "@/lib/ops/supervisor-status";

export const dynamic = "force-dynamic";

/**
 * Liveness and background work of this instance: `{ ok, worker, processes }`. 503 with `ok: false` when a
 * supervised process (the worker, the sandbox) stopped for good after repeated crashes, so a load balancer can
 * take the instance out; 200 while it is running or being restarted ("restarting").
 */
export function GET() {
  const s = readBackgroundStatus();
  const ok = s.down.length === 0;
  return Response.json(
    {
      ok,
      worker: s.worker,
      processes: s.processes,
      ...(ok ? {} : { error: `Background work stopped: ${s.down.join(", ")} crashed repeatedly and was left down.` }),
    },
    { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
