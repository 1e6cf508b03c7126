import "server-only";
import type { AuditEvent } from "@/lib/generated/prisma/client";
import { csvRow } from "./csv";
import type { AuditFilters } from "./filters";
import { auditBatches, type AuditReader } from "./query";

export const EXPORT_FORMATS = ["csv", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Columns of an export, in order: exactly the hashed content plus seq and the two hashes. */
export const EXPORT_COLUMNS = [
  "seq",
  "at",
  "actorId",
  "actorEmail",
  "action",
  "targetType",
  "targetId",
  "outcome",
  "details",
  "requestIds",
  "ip",
  "userAgent",
  "prevHash",
  "hash",
] as const;

/**
 * One event as exported. `details` is the stored JSON text (redacted when it was written, before hashing), so
 * an unfiltered export can be re-verified outside the portal with the same hash function.
 */
export function exportRecord(e: AuditEvent): Record<(typeof EXPORT_COLUMNS)[number], string | number | null> {
  return {
    seq: e.seq,
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorEmail: e.actorEmail,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    outcome: e.outcome,
    details: e.details,
    requestIds: e.requestIds,
    ip: e.ip,
    userAgent: e.userAgent,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

function encodeBatch(batch: AuditEvent[], format: ExportFormat, first: boolean): string {
  if (format === "csv") return batch.map((e) => csvRow(EXPORT_COLUMNS.map((c) => exportRecord(e)[c]))).join("");
  return batch.map((e, i) => (first && i === 0 ? "\n" : ",\n") + JSON.stringify(exportRecord(e))).join("");
}

/**
 * The filtered history as a byte stream, oldest first. Pull-based: the next batch (keyset on seq) is read only
 * when the consumer has taken the previous one, so memory stays flat whatever the size of the export.
 */
export function auditExportStream(
  filters: AuditFilters,
  format: ExportFormat,
  opts: { client?: AuditReader; batchSize?: number } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batches = auditBatches(filters, opts);
  let first = true;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(format === "csv" ? csvRow(EXPORT_COLUMNS) : "["));
      },
      async pull(controller) {
        try {
          const { value, done } = await batches.next();
          if (done) {
            if (format === "json") controller.enqueue(encoder.encode(first ? "]\n" : "\n]\n"));
            controller.close();
            return;
          }
          controller.enqueue(encoder.encode(encodeBatch(value, format, first)));
          first = false;
        } catch (e) {
          console.error("[audit export] failed mid-stream", e);
          controller.error(new Error("The export failed while reading the history."));
        }
      },
      async cancel() {
        await batches.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
