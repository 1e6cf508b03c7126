import Link from "next/link";
import { auditQueryString } from "@/lib/audit/filters";

const linkClass = "rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800";

export function AuditPager({
  query,
  newerCursor,
  olderCursor,
  paged,
}: {
  query: Record<string, string>;
  newerCursor?: number;
  olderCursor?: number;
  paged: boolean;
}) {
  if (!paged && newerCursor === undefined && olderCursor === undefined) return null;
  return (
    <nav aria-label="Audit history pages" className="flex items-center gap-2">
      {paged && (
        <Link href={`/admin/audit${auditQueryString(query)}`} className={linkClass}>
          Newest
        </Link>
      )}
      {newerCursor !== undefined && (
        <Link href={`/admin/audit${auditQueryString(query, { after: newerCursor })}`} rel="prev" className={linkClass}>
          ← Newer
        </Link>
      )}
      {olderCursor !== undefined && (
        <Link href={`/admin/audit${auditQueryString(query, { before: olderCursor })}`} rel="next" className={linkClass}>
          Older →
        </Link>
      )}
    </nav>
  );
}
