import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { isAllowed } from "@/lib/auth/access-table";
import { countAccounts } from "@/lib/accounts/queries";
import { listOnboardings } from "@/lib/onboarding/queries";
import { OnboardingStatusBadge, RunStatusBadge } from "@/components/onboardings/badges";
import { Utc } from "@/components/onboardings/utc";
import { TableScroll } from "@/components/ui/table-scroll";

export const metadata = { title: "Onboardings" };

/** Every onboarding, whatever its status (the dashboard at / shows only provisioned pipelines). */
export default async function OnboardingsPage() {
  const user = await requirePage("/onboardings");
  const [accounts, onboardings] = await Promise.all([countAccounts(), listOnboardings()]);
  const canOnboard = isAllowed("/onboardings/new", user.role);
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <div>
          <p className="text-sm text-slate-500 dark:text-slate-400">
            <Link href="/" className="underline underline-offset-2 hover:text-slate-900 dark:hover:text-white">
              Pipelines
            </Link>{" "}
            /
          </p>
          <h1 className="text-2xl font-semibold">Onboardings</h1>
        </div>
        {canOnboard && accounts > 0 && (
          <Link href="/onboardings/new" className="rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700">
            Onboard a repository
          </Link>
        )}
      </div>
      {onboardings.length === 0 ? (
        <div
          className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-300"
          data-testid="onboardings-empty"
        >
          <p>No pipelines onboarded yet.</p>
          <p className="mt-2 text-sm">
            {accounts === 0 ? (
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
                to get its cross-account pipeline.
              </>
            ) : (
              <>
                {accounts} AWS account{accounts === 1 ? "" : "s"} registered. An engineer or an admin onboards repositories.
              </>
            )}
          </p>
        </div>
      ) : (
        <TableScroll label="Onboardings">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600 dark:bg-slate-800 dark:text-slate-300">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Repository
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Accounts
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Pipeline
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Status
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Last run
                </th>
              </tr>
            </thead>
            <tbody>
              {onboardings.map((o) => {
                const last = o.runs[0];
                return (
                  <tr
                    key={o.id}
                    className="border-t border-slate-100 dark:border-slate-800"
                    data-testid={`onboarding-row-${o.pipelineName}`}
                  >
                    <td className="px-4 py-2">
                      <Link
                        href={`/onboardings/${o.id}`}
                        className="font-mono font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                      >
                        {o.repositoryName}@{o.branchName}
                      </Link>
                    </td>
                    <td className="px-4 py-2 text-slate-700 dark:text-slate-300">
                      {o.repoAccount.name} → {o.toolsAccount.name}
                      <span className="block font-mono text-xs text-slate-500 dark:text-slate-400">
                        {o.repoAccount.accountId} → {o.toolsAccount.accountId} · {o.region}
                      </span>
                    </td>
                    <td className="px-4 py-2 font-mono">
                      {o.pipelineArn ? (
                        <Link href={`/pipelines/${o.id}`} prefetch={false} className="text-indigo-700 hover:underline dark:text-indigo-300">
                          {o.pipelineName}
                        </Link>
                      ) : (
                        o.pipelineName
                      )}
                    </td>
                    <td className="px-4 py-2">
                      <OnboardingStatusBadge status={o.status} />
                    </td>
                    <td className="px-4 py-2">
                      {last ? (
                        <Link href={`/onboardings/${o.id}/runs/${last.id}`} className="flex items-center gap-2 hover:underline">
                          <RunStatusBadge status={last.status} />{" "}
                          <span className="text-xs text-slate-500 dark:text-slate-400">
                            <Utc at={last.createdAt} />
                          </span>
                        </Link>
                      ) : (
                        <Link href={`/onboardings/${o.id}/plan`} className="text-xs text-indigo-700 hover:underline dark:text-indigo-300">
                          Review the plan
                        </Link>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}
