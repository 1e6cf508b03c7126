import { statusLabel } from "@/lib/pipelines/format";

/** Colours per CodePipeline status (execution, stage or action); the word and an icon always come with it. */
const STYLES: Record<string, { badge: string; card: string; chip: string; icon: string }> = {
  Succeeded: { badge: "bg-emerald-50 text-emerald-800 ring-emerald-300", card: "border-emerald-400 bg-emerald-50", chip: "bg-emerald-500", icon: "✓" },
  Failed: { badge: "bg-red-50 text-red-800 ring-red-300", card: "border-red-400 bg-red-50", chip: "bg-red-500", icon: "✕" },
  InProgress: { badge: "bg-sky-50 text-sky-800 ring-sky-300", card: "border-sky-400 bg-sky-50", chip: "bg-sky-500", icon: "" },
  Stopping: { badge: "bg-amber-50 text-amber-800 ring-amber-300", card: "border-amber-400 bg-amber-50", chip: "bg-amber-400", icon: "" },
  Stopped: { badge: "bg-amber-50 text-amber-900 ring-amber-300", card: "border-amber-400 bg-amber-50", chip: "bg-amber-500", icon: "■" },
  Abandoned: { badge: "bg-amber-50 text-amber-900 ring-amber-300", card: "border-amber-300 bg-amber-50", chip: "bg-amber-300", icon: "■" },
  Superseded: { badge: "bg-violet-50 text-violet-800 ring-violet-300", card: "border-violet-300 bg-violet-50", chip: "bg-violet-400", icon: "↷" },
  Cancelled: { badge: "bg-slate-100 text-slate-600 ring-slate-300", card: "border-slate-300 bg-slate-50", chip: "bg-slate-400", icon: "–" },
  Skipped: { badge: "bg-slate-100 text-slate-600 ring-slate-300", card: "border-slate-300 bg-slate-50", chip: "bg-slate-300", icon: "–" },
};
const NONE = { badge: "bg-white text-slate-500 ring-slate-300", card: "border-dashed border-slate-300 bg-white", chip: "bg-slate-200", icon: "○" };

export const statusStyle = (s: string | undefined) => (s && STYLES[s]) || NONE;

const spinning = (s: string | undefined) => s === "InProgress" || s === "Stopping";

export function StatusIcon({ status }: { status: string | undefined }) {
  if (spinning(status)) return <span aria-hidden className="inline-block h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent" />;
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
