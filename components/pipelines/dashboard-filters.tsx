import Link from "next/link";
import { STATUS_FILTER_LABELS, STATUS_FILTERS, type DashboardFilters } from "@/lib/pipelines/validation";

/** Filters as a plain GET form: the server reads them from the query string (works without JavaScript). */
export function DashboardFiltersForm({
  filters,
  accounts,
}: {
  filters: DashboardFilters;
  accounts: { accountId: string; name: string }[];
}) {
  const active = Boolean(filters.account || filters.status || filters.q);
  const field = "rounded border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900";
  return (
    <form
      method="get"
      action="/"
      role="search"
      aria-label="Filter pipelines"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-700 dark:bg-slate-900"
      data-testid="dashboard-filters"
    >
      <label className="text-xs font-medium text-slate-600 dark:text-slate-300">
        Account
        <select name="account" defaultValue={filters.account ?? ""} className={`${field} mt-1 block`}>
          <option value="">All accounts</option>
          {accounts.map((a) => (
            <option key={a.accountId} value={a.accountId}>
              {a.name} ({a.accountId})
            </option>
          ))}
        </select>
      </label>
      <label className="text-xs font-medium text-slate-600 dark:text-slate-300">
        Status
        <select name="status" defaultValue={filters.status ?? ""} className={`${field} mt-1 block`}>
          <option value="">Any status</option>
          {STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {STATUS_FILTER_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <label className="min-w-48 flex-1 text-xs font-medium text-slate-600 dark:text-slate-300">
        Search
        <input
          type="search"
          name="q"
          defaultValue={filters.q ?? ""}
          maxLength={100}
          placeholder="Pipeline, repository or branch"
          className={`${field} mt-1 block w-full`}
        />
      </label>
      <button type="submit" className="rounded bg-slate-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-900">
        Filter
      </button>
      {active && (
        <Link href="/" className="py-1.5 text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          Clear filters
        </Link>
      )}
    </form>
  );
}
