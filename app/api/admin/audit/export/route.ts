import { format as formatDate } from "date-fns";
import { recordAudit } from "@/lib/audit/append";
import { parseAuditQuery } from "@/lib/audit/filters";
import { auditExportStream, EXPORT_FORMATS, type ExportFormat } from "@/lib/audit/export";
import { defineRoute } from "@/lib/routes/define-route";

const CONTENT_TYPE: Record<ExportFormat, string> = { csv: "text/csv; charset=utf-8", json: "application/json; charset=utf-8" };

/** GET /api/admin/audit/export?format=csv|json&<filters>: the filtered history, streamed, oldest first. */
export const GET = defineRoute("GET /api/admin/audit/export", {}, async ({ req }, { actor }) => {
  const params = new URL(req.url).searchParams;
  const format = params.get("format") ?? "csv";
  if (!(EXPORT_FORMATS as readonly string[]).includes(format))
    return Response.json({ error: "format must be csv or json" }, { status: 400 });
  const parsed = parseAuditQuery(params);
  if (!parsed.ok) return Response.json({ error: "Some filters are not valid.", fieldErrors: parsed.fieldErrors }, { status: 400 });
  const fmt = format as ExportFormat;
  const { user, client } = await actor();
  await recordAudit({
    actor: user,
    action: "audit.export",
    target: { type: "audit" },
    outcome: "success",
    details: { format: fmt, filters: parsed.query },
    client,
  });
  const filename = `audit-${formatDate(new Date(), "yyyyMMdd-HHmmss")}.${fmt}`;
  return new Response(auditExportStream(parsed.filters, fmt), {
    headers: {
      "content-type": CONTENT_TYPE[fmt],
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
