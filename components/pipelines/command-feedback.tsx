"use client";

import { createContext, useCallback, useContext, useReducer, type ReactNode } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { feedbackEvent, feedbackReducer, type FeedbackEntry } from "@/lib/pipelines/feedback";

type Report = (command: string, form: { executionId?: string; stageName?: string }, r: ActionResult<unknown>) => void;
const Ctx = createContext<Report | null>(null);
const Shown = createContext<{ entries: FeedbackEntry[]; dismiss: (key: string) => void }>({ entries: [], dismiss: () => {} });

/**
 * The outcomes of the commands run on this page, one message per command and execution, newest first
 * (lib/pipelines/feedback.ts). A command often removes its own form (a stopped run has no Stop form, an
 * answered approval no Approve form), so the messages live here, at page level, where they survive the refresh
 * the command triggers.
 */
export function CommandFeedbackProvider({ children }: { children: ReactNode }) {
  const [entries, dispatch] = useReducer(feedbackReducer, []);
  const report = useCallback<Report>((command, form, r) => {
    const ev = feedbackEvent(command, form, r);
    if (ev) dispatch(ev);
  }, []);
  const dismiss = useCallback((key: string) => dispatch({ type: "dismiss", key }), []);
  return (
    <Ctx.Provider value={report}>
      <Shown.Provider value={{ entries, dismiss }}>{children}</Shown.Provider>
    </Ctx.Provider>
  );
}

export const useReportCommand = () => useContext(Ctx);

const COMMAND_LABELS: Record<string, string> = { start: "Start", stop: "Stop", retry: "Retry", approve: "Approval", push: "Push" };
const tone = {
  ok: "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-700 dark:bg-emerald-950 dark:text-emerald-100",
  warning: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100",
  error: "border-red-300 bg-red-50 text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100",
};

export function CommandFeedbackBanner() {
  const { entries, dismiss } = useContext(Shown);
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid="command-feedback"
      data-outcome={entries[0]?.outcome}
      className={entries.length ? "space-y-2" : "sr-only"}
    >
      {entries.length > 0 && (
        <ul className="space-y-2">
          {entries.map((e) => (
            <li
              key={e.key}
              data-testid="command-feedback-item"
              data-outcome={e.outcome}
              data-command={e.command}
              data-execution={e.executionId}
              className={`flex items-start justify-between gap-3 rounded-lg border px-4 py-2 text-sm ${tone[e.outcome]}`}
            >
              <p className="min-w-0 break-words">
                <span className="font-semibold">
                  {e.outcome === "error" ? "Failed: " : ""}
                  {COMMAND_LABELS[e.command] ?? e.command}
                  {e.executionId && (
                    <>
                      {" "}
                      · execution <span className="font-mono">{e.executionId.slice(0, 8)}</span>
                    </>
                  )}
                </span>{" "}
                — {e.text}
              </p>
              <button
                type="button"
                onClick={() => dismiss(e.key)}
                className="shrink-0 rounded px-1 text-xs underline"
                aria-label={`Dismiss the ${COMMAND_LABELS[e.command] ?? e.command} message`}
              >
                Dismiss
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
