import { TableScroll } from "@/components/ui/table-scroll";
import Link from "next/link";
import type { ExecutionView } from "@/lib/pipelines/types";
import { executionDuration, isActive, timeAgo, triggerLabel, triggerWho, utc } from "@/lib/pipelines/format";
import { Revision } from "./revision";
import { PipelineStatusBadge } from "./status";
import { StopForm } from "./command-forms";
import type { CommandAction } from "./use-command";

/**
 * Execution history, newest first: status, trigger, source revision, start and duration; with `stop` (engineers
 * and admins), every in-progress execution gets its own Stop.
 */
export function HistoryTable({
  onboardingId,
  executions,
  now,
  stop,
}: {
  onboardingId: string;
  executions: ExecutionView[];
  now: number;
  stop?: { action: CommandAction; pipelineName: string };
}) {
  return (
    <TableScroll label="Execution history table">
      <table className="w-full text-left text-sm" data-testid="history-table">
        <thead className="bg-slate-50 text-slate-600 dark:bg-slate-800 dark:text-slate-300">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">
              Execution
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Trigger
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
            {stop && (
              <th scope="col" className="px-4 py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {executions.map((e) => (
            <tr
              key={e.id}
              className="border-t border-slate-100 align-top dark:border-slate-800"
              data-testid="history-row"
              data-execution={e.id}
              data-status={e.status}
            >
              <td className="px-4 py-2">
                <Link
                  href={`/pipelines/${onboardingId}/executions/${e.id}`}
                  prefetch={false}
                  className="font-mono text-indigo-700 hover:underline dark:text-indigo-300"
                  title={e.id}
                >
                  {e.id.slice(0, 8)}
                </Link>
              </td>
              <td className="px-4 py-2">
                <PipelineStatusBadge status={e.status} />
                {e.statusSummary && e.status !== "Succeeded" && (
                  <span className="mt-1 block max-w-xs truncate text-xs text-slate-500 dark:text-slate-400" title={e.statusSummary}>
                    {e.statusSummary}
                  </span>
                )}
                {e.stopReason && (
                  <span className="mt-1 block max-w-xs truncate text-xs text-slate-500 dark:text-slate-400" title={e.stopReason}>
                    Stop reason: {e.stopReason}
                  </span>
                )}
                {e.status === "Failed" && (
                  <Link
                    href={`/pipelines/${onboardingId}/executions/${e.id}#why`}
                    prefetch={false}
                    className="mt-1 block text-xs font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                    data-testid="why-failed-link"
                  >
                    Why it failed<span className="sr-only"> (execution {e.id.slice(0, 8)})</span>
                  </Link>
                )}
              </td>
              <td className="px-4 py-2 text-xs text-slate-600 dark:text-slate-300">
                {triggerLabel(e.triggerType)}
                {triggerWho(e.triggerDetail) && (
                  <span className="block text-slate-500 dark:text-slate-400">{triggerWho(e.triggerDetail)}</span>
                )}
              </td>
              <td className="max-w-xs px-4 py-2">
                <Revision revision={e.sourceRevisions[0]} compact />
              </td>
              <td className="whitespace-nowrap px-4 py-2 text-xs text-slate-600 dark:text-slate-300">
                {e.startTime ? (
                  <time dateTime={e.startTime} title={utc(e.startTime)}>
                    {timeAgo(e.startTime, now)}
                  </time>
                ) : (
                  "—"
                )}
              </td>
              <td className="whitespace-nowrap px-4 py-2 text-right text-xs tabular-nums text-slate-600 dark:text-slate-300">
                {executionDuration(e, now)}
              </td>
              {stop && (
                <td className="px-4 py-2">
                  {isActive(e.status) && (
                    <StopForm
                      action={stop.action}
                      onboardingId={onboardingId}
                      pipelineName={stop.pipelineName}
                      executionId={e.id}
                      stopping={e.status === "Stopping"}
                      revision={e.sourceRevisions[0]}
                      compact
                    />
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
