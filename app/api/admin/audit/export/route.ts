import { format as formatDate } from "date-fns";
import { requireRoute } from "@/lib/auth/guard";
import { clientInfo } from "@/lib/auth/client-info";
import { recordAudit } from "@/lib/audit/append";
import { parseAuditQuery } from "@/lib/audit/filters";
import { auditExportStream, EXPORT_FORMATS, type ExportFormat } from "@/lib/audit/export";

const CONTENT_TYPE: Record<ExportFormat, string> = { csv: "text/csv; charset=utf-8", json: "application/json; charset=utf-8" };

/** GET /api/admin/audit/export?format=csv|json&<filters>: the filtered history, streamed, oldest first. */
export async function GET(req: Request) {
  const guard = await requireRoute("GET /api/admin/audit/export");
  if (guard.response) return guard.response;
  const params = new URL(req.url).searchParams;
  const format = params.get("format") ?? "csv";
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) return Response.json({ error: "format must be csv or json" }, { status: 400 });
  const parsed = parseAuditQuery(params);
  if (!parsed.ok) return Response.json({ error: "Some filters are not valid.", fieldErrors: parsed.fieldErrors }, { status: 400 });
  const fmt = format as ExportFormat;
  await recordAudit({ actor: guard.user, action: "audit.export", target: { type: "audit" }, outcome: "success", details: { format: fmt, filters: parsed.query }, client: await clientInfo() });
  const filename = `audit-${formatDate(new Date(), "yyyyMMdd-HHmmss")}.${fmt}`;
  return new Response(auditExportStream(parsed.filters, fmt), {
    headers: {
      "content-type": CONTENT_TYPE[fmt],
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
