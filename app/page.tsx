import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { isAllowed } from "@/lib/auth/access-table";
import { countAccounts } from "@/lib/accounts/queries";
import { countOnboardings } from "@/lib/onboarding/queries";
import { loadDashboard } from "@/lib/pipelines/dashboard";
import { latestDriftStatuses } from "@/lib/drift/store";
import { parseDashboardFilters } from "@/lib/pipelines/validation";
import { DashboardFiltersForm } from "@/components/pipelines/dashboard-filters";
import { DashboardTable } from "@/components/pipelines/dashboard-table";
import { LiveRefresh } from "@/components/pipelines/live-refresh";

// The root segment: the layout's title template applies to child segments only.
export const metadata = { title: { absolute: "Pipelines · Crossline" } };
export const dynamic = "force-dynamic";

/**
 * The dashboard: every provisioned pipeline with its latest execution, filtered server-side by the query
 * string, kept current by LiveRefresh (router.refresh every 10 s, answered from the shared 5 s cache).
 */
export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePage("/");
  const { filters, problems } = parseDashboardFilters(await searchParams);
  const data = await loadDashboard(filters, user.email);
  const drift = Object.fromEntries(await latestDriftStatuses(data.rows.map((r) => r.onboarding.id)));
  const now = Date.now();
  const canOnboard = isAllowed("/onboardings/new", user.role);
  const filtered = Boolean(filters.account || filters.status || filters.q);

  if (data.total === 0) {
    const [accounts, onboardings] = await Promise.all([countAccounts(), countOnboardings()]);
    return (
      <div className="space-y-6">
        <Header canOnboard={canOnboard && accounts > 0} />
        <div
          className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-300"
          data-testid="onboardings-empty"
        >
          <p className="font-medium text-slate-800 dark:text-slate-200">No pipelines yet.</p>
          <p className="mt-2 text-sm">
            {onboardings > 0 ? (
              <>
                {onboardings} onboarding{onboardings === 1 ? " is" : "s are"} not provisioned yet:{" "}
                <Link href="/onboardings" className="text-indigo-700 underline dark:text-indigo-300">
                  open the onboardings
                </Link>{" "}
                to review a plan and apply it.
              </>
            ) : accounts === 0 ? (
              <>
                Start by{" "}
                <Link href="/accounts" className="text-indigo-700 underline dark:text-indigo-300">
                  registering your AWS accounts
                </Link>
                .
              </>
            ) : canOnboard ? (
              <>
                {accounts} AWS account{accounts === 1 ? "" : "s"} registered.{" "}
                <Link href="/onboardings/new" className="text-indigo-700 underline dark:text-indigo-300">
                  Onboard a repository
                </Link>{" "}
                to get its cross-account pipeline; it shows up here with every run.
              </>
            ) : (
              <>
                {accounts} AWS account{accounts === 1 ? "" : "s"} registered. An engineer or an admin onboards repositories; their pipelines
                show up here.
              </>
            )}
          </p>
        </div>
      </div>
    );
  }

  return (
    <div className="space-y-4">
      <Header canOnboard={canOnboard} refresh={<LiveRefresh dataAt={data.dataAt} serverNow={now} intervalMs={10_000} />} />
      {problems.length > 0 && (
        <div
          role="alert"
          className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200"
          data-testid="filter-problems"
        >
          <p className="font-medium">Some filters were ignored:</p>
          <ul className="mt-1 list-disc pl-5">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <DashboardFiltersForm filters={filters} accounts={data.accounts} />
      <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="dashboard-count">
        {filtered ? `${data.rows.length} of ${data.total} pipelines match.` : `${data.total} pipeline${data.total === 1 ? "" : "s"}.`}
        {data.notProvisioned > 0 && (
          <>
            {" "}
            <Link href="/onboardings" className="text-indigo-700 underline dark:text-indigo-300">
              {data.notProvisioned} onboarding{data.notProvisioned === 1 ? "" : "s"} not provisioned yet
            </Link>
            .
          </>
        )}
      </p>
      {data.rows.length === 0 ? (
        <div
          className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-300"
          data-testid="dashboard-no-match"
        >
          No pipeline matches these filters.{" "}
          <Link href="/" className="text-indigo-700 underline dark:text-indigo-300">
            Clear the filters
          </Link>
          .
        </div>
      ) : (
        <DashboardTable rows={data.rows} now={now} drift={drift} />
      )}
    </div>
  );
}

function Header({ canOnboard, refresh }: { canOnboard: boolean; refresh?: React.ReactNode }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <div>
        <h1 className="text-2xl font-semibold">Pipelines</h1>
        {refresh}
      </div>
      <div className="flex gap-2">
        <Link
          href="/onboardings"
          className="rounded border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-900 dark:hover:bg-slate-800"
        >
          All onboardings
        </Link>
        {canOnboard && (
          <Link href="/onboardings/new" className="rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700">
            Onboard a repository
          </Link>
        )}
      </div>
    </div>
  );
}
