import type { ActionExecutionView } from "@/lib/pipelines/types";
import { duration, utc } from "@/lib/pipelines/format";
import { PipelineStatusBadge } from "./status";

/** Every action execution of one execution (retries included), grouped by stage in pipeline order. */
export function ActionExecutions({ actions, stageOrder, now }: { actions: ActionExecutionView[]; stageOrder: string[]; now: number }) {
  const stages = [...new Set([...stageOrder.filter((s) => actions.some((a) => a.stageName === s)), ...actions.map((a) => a.stageName)])];
  if (!actions.length)
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-300">
        No action has run yet in this execution.
      </p>
    );
  return (
    <div className="space-y-4">
      {stages.map((stage) => (
        <section
          key={stage}
          className="rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900"
          aria-labelledby={`stage-h-${stage}`}
          data-testid={`exec-stage-${stage}`}
        >
          <h3
            id={`stage-h-${stage}`}
            className="border-b border-slate-200 bg-slate-50 px-4 py-2 text-sm font-semibold dark:border-slate-700 dark:bg-slate-800"
          >
            {stage}
          </h3>
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {actions
              .filter((a) => a.stageName === stage)
              .map((a) => (
                <li key={a.actionExecutionId} className="px-4 py-3" data-testid={`exec-action-${a.actionName}`} data-status={a.status}>
                  <div className="flex flex-wrap items-center gap-3">
                    <span className="font-medium">{a.actionName}</span>
                    {a.provider && (
                      <span className="text-xs text-slate-500 dark:text-slate-400">
                        {a.provider}
                        {a.category ? ` · ${a.category}` : ""}
                      </span>
                    )}
                    <PipelineStatusBadge status={a.status} testId="exec-action-status" />
                    <span className="ml-auto text-xs tabular-nums text-slate-500 dark:text-slate-400">
                      {a.startTime ? (
                        <time dateTime={a.startTime} title={utc(a.startTime)}>
                          {utc(a.startTime).slice(11)}
                        </time>
                      ) : null}
                      {a.startTime ? ` · ${duration(a.startTime, a.status === "InProgress" ? undefined : a.lastUpdateTime, now)}` : ""}
                    </span>
                  </div>
                  {a.summary && (
                    <p className="mt-1 break-words text-sm text-slate-700 dark:text-slate-300" data-testid="exec-action-summary">
                      {a.summary}
                    </p>
                  )}
                  {a.errorMessage && (
                    <div
                      className="mt-2 rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
                      data-testid="exec-action-error"
                    >
                      <p className="break-words">{a.errorMessage}</p>
                      {a.errorCode && (
                        <p className="mt-1 text-xs opacity-80">
                          Error code <span className="font-mono">{a.errorCode}</span>
                        </p>
                      )}
                    </div>
                  )}
                  <p className="mt-1 flex flex-wrap gap-x-3 text-xs">
                    {a.externalExecutionUrl && (
                      <a
                        href={a.externalExecutionUrl}
                        target="_blank"
                        rel="noreferrer"
                        className="text-indigo-700 hover:underline dark:text-indigo-300"
                        data-testid="exec-action-link"
                      >
                        {a.provider === "CodeCommit" ? "Commit" : a.provider === "CodeBuild" ? "Build" : "Details"} ↗
                      </a>
                    )}
                    {a.logsUrl && (
                      <a
                        href={a.logsUrl}
                        target="_blank"
                        rel="noreferrer"
                        className="text-indigo-700 hover:underline dark:text-indigo-300"
                        data-testid="exec-action-logs"
                      >
                        Build logs ↗
                      </a>
                    )}
                    {a.externalExecutionId && (
                      <span className="font-mono text-slate-500 dark:text-slate-400" title={a.externalExecutionId}>
                        {a.externalExecutionId.length > 50 ? `${a.externalExecutionId.slice(0, 50)}…` : a.externalExecutionId}
                      </span>
                    )}
                    {a.updatedBy && a.category === "Approval" && a.status !== "InProgress" && (
                      <span className="text-slate-500 dark:text-slate-400">by {a.updatedBy.split("/").pop()}</span>
                    )}
                  </p>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
