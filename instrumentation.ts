// Next.js calls register() once per server process: the provisioning worker runs beside the web server.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.PORTAL_WORKER !== "off") {
    const { startWorker } = await import("./lib/provisioning/worker");
    startWorker();
  }
}
