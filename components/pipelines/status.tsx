import { statusLabel } from "@/lib/pipelines/format";

/**
 * Colours per CodePipeline status (execution, stage or action); the word and an icon always come with it. Each
 * chip is a background and text pair with at least 4.5:1 contrast (small 11 px text), in light and dark mode.
 */
const STYLES: Record<string, { badge: string; card: string; chip: string; icon: string }> = {
  Succeeded: {
    badge: "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-700",
    card: "border-emerald-400 bg-emerald-50 dark:border-emerald-600 dark:bg-emerald-950",
    chip: "bg-emerald-700 text-white",
    icon: "✓",
  },
  Failed: {
    badge: "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-700",
    card: "border-red-400 bg-red-50 dark:border-red-600 dark:bg-red-950",
    chip: "bg-red-700 text-white",
    icon: "✕",
  },
  InProgress: {
    badge: "bg-sky-50 text-sky-800 ring-sky-300 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-700",
    card: "border-sky-400 bg-sky-50 dark:border-sky-600 dark:bg-sky-950",
    chip: "bg-sky-700 text-white",
    icon: "",
  },
  Stopping: {
    badge: "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-700",
    card: "border-amber-400 bg-amber-50 dark:border-amber-600 dark:bg-amber-950",
    chip: "bg-amber-300 text-amber-950",
    icon: "",
  },
  Stopped: {
    badge: "bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-700",
    card: "border-amber-400 bg-amber-50 dark:border-amber-600 dark:bg-amber-950",
    chip: "bg-amber-400 text-amber-950",
    icon: "■",
  },
  Abandoned: {
    badge: "bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-700",
    card: "border-amber-300 bg-amber-50 dark:border-amber-700 dark:bg-amber-950",
    chip: "bg-amber-300 text-amber-950",
    icon: "■",
  },
  Superseded: {
    badge: "bg-violet-50 text-violet-800 ring-violet-300 dark:bg-violet-950 dark:text-violet-200 dark:ring-violet-700",
    card: "border-violet-300 bg-violet-50 dark:border-violet-700 dark:bg-violet-950",
    chip: "bg-violet-700 text-white",
    icon: "↷",
  },
  Cancelled: {
    badge: "bg-slate-100 text-slate-600 ring-slate-300 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-600",
    card: "border-slate-300 bg-slate-50 dark:border-slate-600 dark:bg-slate-800",
    chip: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
    icon: "–",
  },
  Skipped: {
    badge: "bg-slate-100 text-slate-600 ring-slate-300 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-600",
    card: "border-slate-300 bg-slate-50 dark:border-slate-600 dark:bg-slate-800",
    chip: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
    icon: "–",
  },
};
const NONE = {
  badge: "bg-white text-slate-500 ring-slate-300 dark:bg-slate-900 dark:text-slate-400 dark:ring-slate-600",
  card: "border-dashed border-slate-300 bg-white dark:border-slate-600 dark:bg-slate-900",
  chip: "bg-slate-100 text-slate-700 ring-1 ring-inset ring-slate-300 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-600",
  icon: "○",
};

export const statusStyle = (s: string | undefined) => (s && STYLES[s]) || NONE;

const spinning = (s: string | undefined) => s === "InProgress" || s === "Stopping";

export function StatusIcon({ status }: { status: string | undefined }) {
  if (spinning(status))
    return <span aria-hidden className="inline-block h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent" />;
  return <span aria-hidden>{statusStyle(status).icon}</span>;
}

/** Execution, stage or action status as a pill: icon + word + colour. */
export function PipelineStatusBadge({ status, testId, label }: { status: string | undefined; testId?: string; label?: string }) {
  return (
    <span
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${statusStyle(status).badge}`}
      data-testid={testId}
      data-status={status ?? "none"}
    >
      <StatusIcon status={status} />
      {label ?? statusLabel(status)}
    </span>
  );
}
