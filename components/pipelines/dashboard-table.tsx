import { TableScroll } from "@/components/ui/table-scroll";
import Link from "next/link";
import type { DashboardRow } from "@/lib/pipelines/types";
import { executionDuration, timeAgo, triggerLabel, triggerWho, utc } from "@/lib/pipelines/format";
import { Revision } from "./revision";
import { StageStrip } from "./stage-strip";
import { PipelineStatusBadge } from "./status";

/**
 * The dashboard's table: one row per provisioned pipeline with its latest execution. A server component with
 * no hooks (the benchmark renders it to HTML as the page does). Links do not prefetch: 200 rows must not
 * mean 200 background requests.
 */
export function DashboardTable({
  rows,
  now,
  drift = {},
}: {
  rows: DashboardRow[];
  now: number;
  drift?: Record<string, { status: string; checkedAt: string; drifted: number }>;
}) {
  return (
    <TableScroll label="Pipelines">
      <table className="w-full text-left text-sm" data-testid="dashboard-table">
        <thead className="bg-slate-50 text-slate-600 dark:bg-slate-800 dark:text-slate-300">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">
              Pipeline
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Latest execution
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Stages
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Source revision
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Started
            </th>
            <th scope="col" className="px-4 py-2 text-right font-medium">
              Duration
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ onboarding: o, snapshot: s }) => {
            const e = s.latest;
            const href = `/pipelines/${o.id}`;
            return (
              <tr
                key={o.id}
                className="border-t border-slate-100 align-top hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800"
                data-testid={`onboarding-row-${o.pipelineName}`}
                data-pipeline={o.pipelineName}
                data-status={e?.status ?? (s.error ? "error" : "none")}
              >
                <td className="whitespace-nowrap px-4 py-3">
                  <Link href={href} prefetch={false} className="font-mono font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                    {o.pipelineName}
                  </Link>
                  {drift[o.id]?.status === "drifted" && (
                    <Link
                      href={`/onboardings/${o.id}#drift`}
                      prefetch={false}
                      className="ml-2 inline-flex items-center gap-1 rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-inset ring-amber-300 hover:underline dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-700"
                      data-testid="drift-badge"
                      title={`${drift[o.id].drifted} resource(s) out of sync, verified ${drift[o.id].checkedAt}`}
                    >
                      <span aria-hidden>≠</span>Drifted
                    </Link>
                  )}
                  <span className="block font-mono text-xs text-slate-600 dark:text-slate-300">
                    {o.repositoryName}@{o.branchName}
                  </span>
                  <span
                    className="block text-xs text-slate-500 dark:text-slate-400"
                    title={`${o.repoAccount.name} → ${o.toolsAccount.name}`}
                  >
                    {o.repoAccount.accountId} → {o.toolsAccount.accountId} · {o.region}
                  </span>
                </td>
                {s.error && !e ? (
                  <td colSpan={5} className="px-4 py-3">
                    <p className="text-sm text-red-800 dark:text-red-200" data-testid="row-error">
                      {s.error.message}
                    </p>
                    {s.error.code && (
                      <p className="text-xs text-red-700/80 dark:text-red-300/80">
                        {s.error.code}
                        {s.error.requestId ? ` · AWS request id ${s.error.requestId}` : ""}
                      </p>
                    )}
                  </td>
                ) : (
                  <>
                    <td className="min-w-[10rem] px-4 py-3">
                      {e ? (
                        <Link href={`${href}/executions/${e.id}`} prefetch={false} className="inline-block" title={`Execution ${e.id}`}>
                          <PipelineStatusBadge status={e.status} testId="latest-status" />
                        </Link>
                      ) : (
                        <PipelineStatusBadge status={undefined} label="Never run" testId="latest-status" />
                      )}
                      {e && (
                        <span className="mt-1 block text-xs text-slate-500 dark:text-slate-400">
                          {triggerLabel(e.triggerType)}
                          {triggerWho(e.triggerDetail) ? ` · ${triggerWho(e.triggerDetail)}` : ""}
                        </span>
                      )}
                      {s.error && <span className="mt-1 block text-xs text-amber-700 dark:text-amber-300">{s.error.message}</span>}
                    </td>
                    <td className="px-4 py-3">
                      <StageStrip stages={s.stages} testId="stage-strip" />
                    </td>
                    <td className="max-w-xs px-4 py-3">
                      <Revision revision={e?.sourceRevisions[0]} compact />
                    </td>
                    <td className="whitespace-nowrap px-4 py-3 text-xs text-slate-600 dark:text-slate-300">
                      {e?.startTime ? (
                        <time dateTime={e.startTime} title={utc(e.startTime)}>
                          {timeAgo(e.startTime, now)}
                        </time>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td className="whitespace-nowrap px-4 py-3 text-right text-xs tabular-nums text-slate-600 dark:text-slate-300">
                      {e ? executionDuration(e, now) : "—"}
                    </td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
