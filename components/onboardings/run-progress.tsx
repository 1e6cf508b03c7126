"use client";

import Link from "next/link";
import { useActionState, useEffect, useState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import type { RunProgress } from "@/lib/onboarding/service";
import { ArnLink } from "./arn-link";
import { RunStatusBadge } from "./badges";
import { formatDuration } from "@/lib/format/duration";
import { pipelineConsoleUrl } from "@/lib/resources/console-url";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<unknown>>;

const FINISHED = new Set(["succeeded", "failed", "cancelled"]);
const POLL_MS = 1000;

/**
 * The run's steps, kept current by polling GET /api/runs/[runId] every second until the run finishes; status
 * changes are announced in an aria-live region. A failed run can be resumed (builders), then polling resumes.
 */
export function RunProgressView({
  initial,
  titles,
  pipelineName,
  pipelineHref,
  renderedAt,
  resumeAction,
}: {
  initial: RunProgress;
  titles: Record<string, string>;
  pipelineName: string;
  /** The portal's own page of the pipeline (executions, approvals). */
  pipelineHref: string;
  renderedAt: number;
  /** Present only for roles allowed to resume. */
  resumeAction?: Action;
}) {
  const [run, setRun] = useState(initial);
  const [now, setNow] = useState(renderedAt);
  const [announcement, setAnnouncement] = useState("");
  const [pollError, setPollError] = useState<string | null>(null);
  const [previous, setPrevious] = useState(initial);
  const done = FINISHED.has(run.status);

  useEffect(() => {
    if (done) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const res = await fetch(`/api/runs/${encodeURIComponent(run.id)}`, { cache: "no-store", headers: { accept: "application/json" } });
        const body = await res.json().catch(() => ({}));
        if (stopped) return;
        if (!res.ok) setPollError((body as { error?: string }).error ?? `Progress could not be read (HTTP ${res.status}); retrying.`);
        else {
          setPollError(null);
          setRun(body as RunProgress);
        }
      } catch {
        if (!stopped) setPollError("The portal could not be reached; retrying.");
      }
      if (!stopped) {
        setNow(Date.now());
        timer = setTimeout(poll, POLL_MS);
      }
    };
    timer = setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [done, run.id]);

  // Announce what changed since the last answer: the run's status and steps that finished (while rendering the
  // new answer, not in an effect after it).
  if (previous !== run) {
    setPrevious(run);
    const parts: string[] = [];
    for (const s of run.steps) {
      const old = previous.steps.find((x) => x.key === s.key);
      if (old?.status !== s.status && (s.status === "succeeded" || s.status === "failed"))
        parts.push(`${titles[s.key] ?? s.key}: ${s.status}.`);
    }
    if (previous.status !== run.status) parts.push(`Run ${run.status}.`);
    if (parts.length) setAnnouncement(parts.join(" "));
  }

  const [resumeState, resume, resuming] = useActionState(
    resumeAction ?? (async () => ({ ok: false as const, error: "Not allowed." })),
    undefined,
  );
  const [handledResume, setHandledResume] = useState(resumeState);
  if (handledResume !== resumeState) {
    setHandledResume(resumeState);
    // The resumed run is queued again: show that at once and let the polling take over.
    if (resumeState?.ok) setRun((r) => (r.status === "failed" ? { ...r, status: "queued", error: null } : r));
  }

  const succeeded = run.steps.filter((s) => s.status === "succeeded").length;
  const failedStep = run.steps.find((s) => s.status === "failed");

  return (
    <div className="space-y-6">
      <p aria-live="polite" role="status" className="sr-only" data-testid="run-announcer">
        {announcement}
      </p>

      <div className="flex flex-wrap items-center gap-4 rounded-lg border border-slate-200 bg-white px-4 py-3 dark:border-slate-700 dark:bg-slate-900">
        <span className="text-sm text-slate-500 dark:text-slate-400">Run status</span>
        <RunStatusBadge status={run.status} testId="run-status" />
        <span className="text-sm text-slate-600 dark:text-slate-300" data-testid="run-counts">
          {succeeded} of {run.steps.length} steps succeeded
        </span>
        <span className="text-sm text-slate-600 dark:text-slate-300">Attempt {run.attempt}</span>
        <span className="text-sm text-slate-600 dark:text-slate-300">
          Duration {formatDuration(run.startedAt ?? run.createdAt, run.finishedAt, now)}
        </span>
        {!done && <span className="ml-auto text-xs text-slate-500 dark:text-slate-400">Updating every second…</span>}
      </div>
      {pollError && <p className="text-sm text-amber-700 dark:text-amber-300">{pollError}</p>}

      {run.status === "succeeded" && run.pipelineArn && (
        <div
          className="space-y-1 rounded-lg border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-700 dark:bg-emerald-950"
          data-testid="run-succeeded"
        >
          <p className="font-semibold text-emerald-900 dark:text-emerald-200">
            The pipeline is provisioned. Every push to the branch now starts it.
          </p>
          <p className="text-sm text-emerald-900 dark:text-emerald-200">Pipeline ARN</p>
          <p>
            <ArnLink arn={run.pipelineArn} testId="pipeline-arn" size="text-base font-semibold" />
          </p>
          <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm font-medium">
            <Link
              href={pipelineHref}
              className="text-indigo-700 underline hover:no-underline dark:text-indigo-300"
              data-testid="portal-pipeline-link"
            >
              Open the pipeline page
            </Link>
            <a
              href={pipelineConsoleUrl(pipelineName, run.region)}
              target="_blank"
              rel="noreferrer"
              className="text-indigo-700 underline hover:no-underline dark:text-indigo-300"
            >
              Open the pipeline in the AWS console ↗
            </a>
          </p>
        </div>
      )}

      {run.status === "failed" && (
        <div
          role="alert"
          className="space-y-3 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-200"
          data-testid="run-error"
        >
          <p className="font-semibold">The run stopped{failedStep ? ` at “${titles[failedStep.key] ?? failedStep.key}”` : ""}.</p>
          {run.error && <p className="break-words">{run.error}</p>}
          <p>Steps that succeeded keep their results; resuming retries from the failed step.</p>
          {resumeAction && (
            <form action={resume} className="flex flex-wrap items-center gap-3">
              <input type="hidden" name="runId" value={run.id} />
              <button
                type="submit"
                disabled={resuming}
                className="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
              >
                {resuming ? "Resuming…" : "Resume"}
              </button>
            </form>
          )}
        </div>
      )}
      {resumeState && (
        <p
          role="status"
          aria-live="polite"
          className={`text-sm ${resumeState.ok ? "text-emerald-700 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}
          data-testid="resume-status"
        >
          {resumeState.ok ? resumeState.message : resumeState.error}
        </p>
      )}

      <ol
        className="divide-y divide-slate-100 overflow-hidden rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-700 dark:bg-slate-900"
        aria-label="Steps"
      >
        {run.steps.map((s) => (
          <li key={s.key} className="px-4 py-3" data-testid={`step-${s.key}`} data-status={s.status}>
            <div className="flex flex-wrap items-center gap-3">
              <span className="w-6 text-right text-sm tabular-nums text-slate-500 dark:text-slate-400">{s.sequence}.</span>
              <span className="min-w-0 flex-1 font-medium">{titles[s.key] ?? s.key}</span>
              <span className="text-xs text-slate-500 dark:text-slate-400">
                {s.attempts > 0 ? `${s.attempts} attempt${s.attempts === 1 ? "" : "s"}` : ""}
              </span>
              <span className="w-24 text-right text-xs tabular-nums text-slate-500 dark:text-slate-400">
                {s.startedAt ? formatDuration(s.startedAt, s.finishedAt, now) : ""}
              </span>
              <span className="flex w-28 justify-end">
                <RunStatusBadge status={s.status} testId="step-status" />
              </span>
            </div>
            {s.status === "failed" && s.errorMessage && (
              <div
                className="ml-9 mt-2 rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
                data-testid="step-error"
              >
                <p className="break-words">{s.errorMessage}</p>
                <p className="mt-1 text-xs opacity-80">
                  {s.errorCode && (
                    <>
                      Error code <span className="font-mono">{s.errorCode}</span>
                    </>
                  )}
                  {s.requestId && (
                    <>
                      {" "}
                      · AWS request id <span className="font-mono">{s.requestId}</span>
                    </>
                  )}
                </p>
              </div>
            )}
            {s.output && Object.keys(s.output).length > 0 && (
              <dl className="ml-9 mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-xs">
                {Object.entries(s.output).map(([k, v]) => (
                  <div key={k} className="contents">
                    <dt className="text-slate-500 dark:text-slate-400">{k}</dt>
                    <dd className="min-w-0">
                      {typeof v === "string" && v.startsWith("arn:") ? (
                        <ArnLink arn={v} />
                      ) : (
                        <span className="break-all font-mono">{String(v)}</span>
                      )}
                    </dd>
                  </div>
                ))}
              </dl>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
