import type { DriftItemStatus, DriftStatus } from "@/lib/drift/types";

const base = "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset whitespace-nowrap";

const STYLE: Record<DriftItemStatus, [string, string, string]> = {
  "in-sync": [
    "In sync",
    "✓",
    "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-700",
  ],
  drifted: ["Drifted", "≠", "bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-700"],
  missing: ["Missing", "✕", "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-700"],
  error: ["Not readable", "?", "bg-slate-100 text-slate-700 ring-slate-300 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-600"],
};

/** An icon and a word, so colour is never the only cue. */
export function DriftItemBadge({ status }: { status: DriftItemStatus }) {
  const [label, icon, cls] = STYLE[status] ?? STYLE.error;
  return (
    <span className={`${base} ${cls}`} data-testid="drift-item-status" data-status={status}>
      <span aria-hidden>{icon}</span>
      {label}
    </span>
  );
}

/** An onboarding's overall drift status. */
export function DriftBadge({ status, testId = "drift-status" }: { status: DriftStatus; testId?: string }) {
  const [label, icon, cls] = STYLE[status === "error" ? "error" : status];
  return (
    <span className={`${base} ${cls}`} data-testid={testId} data-status={status}>
      <span aria-hidden>{icon}</span>
      {label}
    </span>
  );
}
