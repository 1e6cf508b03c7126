// Next.js calls register() once per server process: the provisioning worker runs beside the web server.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  await checkAuditOwnerAtStart();
  if (process.env.PORTAL_WORKER !== "off") {
    const { startPortalWorker } = await import("./lib/worker-main");
    startPortalWorker();
  }
}

// PostgreSQL only: warn (or, with PORTAL_REQUIRE_AUDIT_OWNER=1, stop) when the portal's database role could
// switch off the audit table's append-only triggers (lib/audit/owner-check.ts).
async function checkAuditOwnerAtStart() {
  const { dbProvider, db } = await import("./lib/db");
  if (dbProvider !== "postgresql") return;
  const { env } = await import("./lib/config/env");
  const { checkAuditOwner } = await import("./lib/audit/owner-check");
  try {
    await checkAuditOwner((sql) => db.$queryRawUnsafe(sql), { require: env().PORTAL_REQUIRE_AUDIT_OWNER === "1" });
  } catch (e) {
    console.error(`[audit] ${(e as Error).message}`);
    process.exit(1);
  }
}
