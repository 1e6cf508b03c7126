import Link from "next/link";
import type { AuditEvent } from "@/lib/generated/prisma/client";
import { auditHistoryHref } from "@/lib/audit/links";
import { AuditDetails } from "./audit-details";
import { UtcTime } from "./utc-time";
import { TableScroll } from "@/components/ui/table-scroll";

const OUTCOME_STYLE: Record<string, string> = {
  success: "text-emerald-700 dark:text-emerald-300",
  failure: "text-amber-700 dark:text-amber-300",
  denied: "text-red-700 dark:text-red-300",
  attempted: "text-slate-500 dark:text-slate-400",
};

export function AuditTable({ events }: { events: AuditEvent[] }) {
  if (events.length === 0)
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-300">
        No events match these filters.
      </p>
    );
  return (
    <TableScroll label="Audit events">
      <table className="w-full min-w-[64rem] text-left text-sm">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead className="bg-slate-50 text-slate-600 dark:bg-slate-800 dark:text-slate-300">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              #
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Time
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Actor
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Action
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Target
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Outcome
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Details
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              AWS request ids
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Client
            </th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.seq} className="border-t border-slate-100 align-top dark:border-slate-800" data-testid={`audit-row-${e.seq}`}>
              <td className="px-3 py-2 font-mono text-xs text-slate-500 dark:text-slate-400">{e.seq}</td>
              <td className="px-3 py-2">
                <UtcTime value={e.at} />
              </td>
              <td className="px-3 py-2">
                {e.actorEmail ? (
                  <Link href={`/admin/audit?actor=${encodeURIComponent(e.actorEmail)}`} className="hover:underline">
                    {e.actorEmail}
                  </Link>
                ) : (
                  <span className="text-slate-500 dark:text-slate-400">anonymous</span>
                )}
              </td>
              <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
              <td className="px-3 py-2 text-xs">
                {e.targetType ? (
                  <Link href={auditHistoryHref({ targetType: e.targetType, targetId: e.targetId })} className="hover:underline">
                    {e.targetType}
                    {e.targetId ? (
                      <span className="block w-40 truncate font-mono text-slate-500 dark:text-slate-400" title={e.targetId}>
                        {e.targetId}
                      </span>
                    ) : null}
                  </Link>
                ) : (
                  "—"
                )}
              </td>
              <td className={`px-3 py-2 font-medium ${OUTCOME_STYLE[e.outcome] ?? ""}`}>{e.outcome}</td>
              <td className="px-3 py-2">
                <AuditDetails raw={e.details} />
              </td>
              <td className="px-3 py-2 font-mono text-xs">
                {e.requestIds?.split(",").map((id) => (
                  <span key={id} className="block w-40 truncate" title={id}>
                    {id}
                  </span>
                )) ?? "—"}
              </td>
              <td className="px-3 py-2 text-xs">
                <span className="block font-mono">{e.ip ?? "—"}</span>
                {e.userAgent && (
                  <span className="block max-w-48 truncate text-slate-500 dark:text-slate-400" title={e.userAgent}>
                    {e.userAgent}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
