import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { auditQueryString, parseAuditQuery } from "@/lib/audit/filters";
import { queryAuditPage } from "@/lib/audit/query";
import { AuditFilterForm } from "@/components/admin/audit-filter-form";
import { AuditTable } from "@/components/admin/audit-table";
import { AuditPager } from "@/components/admin/audit-pager";
import { VerifyChainButton } from "@/components/admin/verify-chain-button";
import { verifyChainAction } from "./actions";

export const metadata = { title: "Audit history" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePage("/admin/audit");
  const parsed = parseAuditQuery(await searchParams);
  const page = parsed.ok ? await queryAuditPage(parsed.filters, parsed.cursor) : null;
  const exportHref = (format: "csv" | "json") => `/api/admin/audit/export${auditQueryString(parsed.ok ? parsed.query : {}, { format })}`;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500 dark:text-slate-400">
            <Link href="/admin" className="underline underline-offset-2 hover:text-slate-900 dark:hover:text-white">
              Admin
            </Link>{" "}
            /
          </p>
          <h1 className="text-2xl font-semibold">Audit history</h1>
          <p className="mt-1 max-w-2xl text-sm text-slate-600 dark:text-slate-300">
            Every event is chained to the one before it by an HMAC-SHA256 keyed with the audit key, which lives outside the database. The
            portal never edits or deletes events; verification finds any row that was. Keep the head it shows elsewhere and check against it
            later to catch a truncated history.
          </p>
        </div>
        <VerifyChainButton action={verifyChainAction} />
      </div>
      <AuditFilterForm values={parsed.ok ? parsed.query : parsed.raw} errors={parsed.ok ? {} : parsed.fieldErrors} />
      {!parsed.ok || !page ? (
        <p
          role="alert"
          className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-700 dark:bg-red-950 dark:text-red-200"
        >
          Some filters are not valid, so no events are shown. Correct the highlighted fields.
        </p>
      ) : (
        <>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <AuditPager
              query={parsed.query}
              newerCursor={page.newerCursor}
              olderCursor={page.olderCursor}
              paged={parsed.cursor.before !== undefined || parsed.cursor.after !== undefined}
            />
            <div className="ml-auto flex gap-2 text-sm">
              <a
                href={exportHref("csv")}
                className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
                download
              >
                Export CSV
              </a>
              <a
                href={exportHref("json")}
                className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
                download
              >
                Export JSON
              </a>
            </div>
          </div>
          <AuditTable events={page.events} />
          <AuditPager
            query={parsed.query}
            newerCursor={page.newerCursor}
            olderCursor={page.olderCursor}
            paged={parsed.cursor.before !== undefined || parsed.cursor.after !== undefined}
          />
        </>
      )}
    </div>
  );
}
