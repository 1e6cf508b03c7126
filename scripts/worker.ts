// The provisioning worker as a process of its own (`npm start` runs it beside the web server; several
// instances may run it against one PostgreSQL):
//   node --conditions=react-server --import tsx scripts/worker.ts
// SIGTERM / SIGINT: a clean stop — claim nothing more, let the steps in flight finish, give the runs back to
// the queue (lib/runs/worker.ts), disconnect, exit 0.
import { db } from "@/lib/db";
import { env } from "@/lib/config/env";
import { startPortalWorker } from "@/lib/worker-main";

env();
const worker = startPortalWorker();
console.log(`[worker] ${worker.workerId} started`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[worker] ${signal}: stopping, releasing runs in flight`);
  await worker.stop(Number(process.env.PORTAL_STOP_GRACE_MS ?? 10_000));
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
