import fs from "node:fs";
import { z } from "zod";
import { liveEnv } from "@/lib/config/env";

/**
 * What `npm start`'s supervisor (scripts/supervisor.mjs) last wrote about its background processes, read by
 * /api/health and the header. The file is per instance (PORTAL_SUPERVISOR_STATUS in that instance's
 * PORTAL_DATA_DIR): each instance's health reports its own worker, which is what a load balancer acts on.
 */
export type BackgroundState = "running" | "restarting" | "down" | "off" | "unsupervised";

const childSchema = z.object({
  state: z.enum(["starting", "running", "restarting", "down"]),
  restarts: z.number().int().nonnegative().optional(),
  restartAt: z.string().nullable().optional(),
  downSince: z.string().optional(),
  lastExit: z.object({ code: z.number().nullable(), signal: z.string().nullable(), at: z.string() }).nullable().optional(),
});
const fileSchema = z.object({ children: z.record(z.string(), childSchema) });

export interface BackgroundStatus {
  /** The provisioning worker: "off" when this instance runs none (PORTAL_WORKER=off), "unsupervised" outside `npm start`. */
  worker: BackgroundState;
  /** Every supervised process by name (worker, sandbox, …). */
  processes: Record<string, z.infer<typeof childSchema>>;
  /** A supervised process is down for good: the instance cannot do its background work. */
  down: string[];
  restarting: string[];
}

export function readBackgroundStatus(file = liveEnv().PORTAL_SUPERVISOR_STATUS): BackgroundStatus {
  if (!file) return { worker: "unsupervised", processes: {}, down: [], restarting: [] };
  let processes: Record<string, z.infer<typeof childSchema>> = {};
  try {
    processes = fileSchema.parse(JSON.parse(fs.readFileSync(file, "utf8"))).children;
  } catch {
    // Not written yet (start-up) or unreadable: nothing known to be down.
  }
  const stateOf = (s: z.infer<typeof childSchema>["state"]): BackgroundState => (s === "starting" ? "running" : s);
  const down = Object.entries(processes)
    .filter(([, c]) => c.state === "down")
    .map(([n]) => n);
  const restarting = Object.entries(processes)
    .filter(([, c]) => c.state === "restarting")
    .map(([n]) => n);
  // The web server itself runs with PORTAL_WORKER=off; the supervisor's file is what tells.
  const worker: BackgroundState = processes.worker ? stateOf(processes.worker.state) : "off";
  return { worker, processes, down, restarting };
}
