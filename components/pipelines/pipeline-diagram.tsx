import Link from "next/link";
import type { Declaration } from "@/lib/pipelines/read";
import type { ActionStateView, StageStateView } from "@/lib/pipelines/types";
import { statusLabel, timeAgo, utc } from "@/lib/pipelines/format";
import { RetryForm } from "./command-forms";
import type { CommandAction } from "./use-command";
import { PipelineStatusBadge, StatusIcon, statusStyle } from "./status";

interface Props {
  onboardingId: string;
  stages: StageStateView[];
  declaration: Declaration | null;
  now: number;
  /** Present for builders: a failed or stopped stage offers Retry. */
  retryAction?: CommandAction;
}

/**
 * The pipeline as a diagram: stages left to right joined by their transitions, each stage a column of action
 * cards grouped by run order (actions of one run order run in parallel), coloured by their latest status.
 */
export function PipelineDiagram({ onboardingId, stages, declaration, now, retryAction }: Props) {
  return (
    <div className="relative overflow-x-auto pb-2" data-testid="pipeline-diagram" role="region" aria-label="Pipeline diagram" tabIndex={0}>
      <ol className="flex min-w-max items-stretch gap-0">
        {stages.map((stage, i) => {
          const declared = declaration?.stages.find((s) => s.name === stage.name);
          const actions = stage.actions.map((a): ActionStateView => {
            const d = declared?.actions.find((x) => x.name === a.name);
            return d ? { ...a, category: d.category, provider: d.provider, runOrder: d.runOrder } : a;
          });
          const groups = [...new Set(actions.map((a) => a.runOrder ?? 1))]
            .sort((a, b) => a - b)
            .map((order) => actions.filter((a) => (a.runOrder ?? 1) === order));
          const retryable = retryAction && stage.executionId && (stage.status === "Failed" || stage.status === "Stopped");
          return (
            <li key={stage.name} className="flex items-stretch">
              {i > 0 && <Transition enabled={stage.transitionEnabled} reason={stage.transitionReason} inbound={stage.inboundExecutionId} />}
              <section
                className={`flex w-64 flex-col rounded-lg border-2 bg-white dark:bg-slate-900 ${statusStyle(stage.status)
                  .card.split(" ")
                  .filter((c) => /^(dark:)?border/.test(c))
                  .join(" ")}`}
                aria-label={`Stage ${stage.name}: ${statusLabel(stage.status)}`}
                data-testid={`stage-${stage.name}`}
                data-status={stage.status ?? "none"}
                data-execution={stage.executionId}
              >
                <header className="flex items-center justify-between gap-2 border-b border-slate-200 px-3 py-2 dark:border-slate-700">
                  <h3 className="truncate font-semibold text-slate-900 dark:text-slate-100">{stage.name}</h3>
                  <PipelineStatusBadge status={stage.status} testId="stage-status" />
                </header>
                <div className="flex flex-1 flex-col gap-2 p-2">
                  {groups.map((group, gi) => (
                    <div key={gi} className="flex flex-col gap-2">
                      {gi > 0 && <span aria-hidden className="mx-auto h-3 w-px bg-slate-300 dark:bg-slate-600" />}
                      {group.map((a) => (
                        <ActionCard key={a.name} action={a} now={now} />
                      ))}
                    </div>
                  ))}
                </div>
                {stage.executionId && (
                  <footer className="border-t border-slate-200 px-3 py-1.5 text-xs text-slate-600 dark:border-slate-700 dark:text-slate-300">
                    Execution{" "}
                    <Link
                      href={`/pipelines/${onboardingId}/executions/${stage.executionId}`}
                      prefetch={false}
                      className="font-mono text-indigo-700 hover:underline dark:text-indigo-300"
                    >
                      {stage.executionId.slice(0, 8)}
                    </Link>
                  </footer>
                )}
                {retryable && (
                  <div className="border-t border-slate-200 p-2 dark:border-slate-700">
                    <RetryForm action={retryAction!} onboardingId={onboardingId} executionId={stage.executionId!} stageName={stage.name} />
                  </div>
                )}
              </section>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function Transition({ enabled, reason, inbound }: { enabled: boolean; reason?: string; inbound?: string }) {
  return (
    <div
      className="flex w-10 flex-col items-center justify-center"
      title={enabled ? "Transition enabled" : `Transition disabled${reason ? `: ${reason}` : ""}`}
    >
      <span aria-hidden className={`text-lg ${enabled ? "text-slate-500 dark:text-slate-400" : "text-red-500 dark:text-red-400"}`}>
        {enabled ? "→" : "⊘"}
      </span>
      {!enabled && <span className="sr-only">Transition disabled</span>}
      {inbound && (
        <span
          className="mt-1 rounded bg-sky-100 px-1 text-[10px] text-sky-800 dark:bg-sky-900 dark:text-sky-200"
          title={`Execution ${inbound} waits to enter`}
        >
          waiting
        </span>
      )}
    </div>
  );
}

function ActionCard({ action: a, now }: { action: ActionStateView; now: number }) {
  const style = statusStyle(a.status);
  return (
    <article
      className={`rounded-md border px-3 py-2 text-sm ${style.card}`}
      data-testid={`action-${a.name}`}
      data-status={a.status ?? "none"}
    >
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="truncate font-medium text-slate-900 dark:text-slate-100" title={a.name}>
            {a.name}
          </p>
          {a.provider && (
            <p className="text-xs text-slate-600 dark:text-slate-300">
              {a.provider}
              {a.category ? ` · ${a.category}` : ""}
            </p>
          )}
        </div>
        <span className="flex items-center gap-1 whitespace-nowrap text-xs font-medium text-slate-700 dark:text-slate-300">
          <StatusIcon status={a.status} />
          {statusLabel(a.status)}
        </span>
      </div>
      {a.summary && (
        <p className="mt-1 line-clamp-2 break-words text-xs text-slate-700 dark:text-slate-300" title={a.summary}>
          {a.summary}
        </p>
      )}
      {a.errorMessage && (
        <p
          className="mt-1 line-clamp-4 break-words text-xs text-red-800 dark:text-red-200"
          title={a.errorMessage}
          data-testid="action-error"
        >
          {a.errorMessage}
        </p>
      )}
      <p className="mt-1 flex flex-wrap gap-x-2 text-xs text-slate-600 dark:text-slate-300">
        {a.lastStatusChange && (
          <time dateTime={a.lastStatusChange} title={utc(a.lastStatusChange)}>
            {timeAgo(a.lastStatusChange, now)}
          </time>
        )}
        {a.externalExecutionUrl && (
          <a
            href={a.externalExecutionUrl}
            target="_blank"
            rel="noreferrer"
            className="text-indigo-700 hover:underline dark:text-indigo-300"
          >
            Details ↗
          </a>
        )}
        {a.status === "InProgress" && a.category === "Approval" && (
          <span className="font-medium text-sky-800 dark:text-sky-200">waiting for approval</span>
        )}
      </p>
    </article>
  );
}
