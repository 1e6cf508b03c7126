"use client";

import { createContext, useCallback, useContext, useState, type ReactNode } from "react";
import type { ActionResult } from "@/lib/actions/result";

interface Feedback {
  text: string;
  warning: boolean;
  seq: number;
}
const Ctx = createContext<((r: ActionResult<unknown>) => void) | null>(null);
const Shown = createContext<Feedback | null>(null);

/**
 * The outcome of the last successful command on the page. A command often removes its own form (a stopped
 * run has no Stop form, an answered approval no Approve form), so its confirmation lives here, at page level,
 * where it survives the refresh the command triggers. Errors stay next to the form that caused them.
 */
export function CommandFeedbackProvider({ children }: { children: ReactNode }) {
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const report = useCallback((r: ActionResult<unknown>) => {
    if (!r.ok || !r.message) return;
    const warning = Boolean((r.data as { warning?: boolean } | undefined)?.warning);
    setFeedback((f) => ({ text: r.message!, warning, seq: (f?.seq ?? 0) + 1 }));
  }, []);
  return (
    <Ctx.Provider value={report}>
      <Shown.Provider value={feedback}>{children}</Shown.Provider>
    </Ctx.Provider>
  );
}

export const useReportCommand = () => useContext(Ctx);

export function CommandFeedbackBanner() {
  const f = useContext(Shown);
  return (
    <p
      role="status"
      aria-live="polite"
      data-testid="command-feedback"
      data-outcome={f ? (f.warning ? "warning" : "ok") : undefined}
      className={f ? `rounded-lg border px-4 py-2 text-sm ${f.warning ? "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200" : "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-700 dark:bg-emerald-950 dark:text-emerald-200"}` : "sr-only"}
    >
      {f?.text}
    </p>
  );
}
