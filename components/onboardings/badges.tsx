import type { PlanAction } from "@/lib/runs/types";

const base = "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset whitespace-nowrap";

const ONBOARDING: Record<string, [string, string]> = {
  draft: ["Not applied yet", "bg-slate-100 text-slate-700 ring-slate-300 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-600"],
  provisioning: ["Provisioning", "bg-sky-50 text-sky-800 ring-sky-300 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-700"],
  active: ["Active", "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-700"],
  changed: ["Changes not applied", "bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-700"],
  failed: ["Failed", "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-700"],
  offboarding: ["Offboarding", "bg-sky-50 text-sky-800 ring-sky-300 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-700"],
  offboarded: ["Offboarded", "bg-slate-100 text-slate-700 ring-slate-300 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-600"],
};

export function OnboardingStatusBadge({ status }: { status: string }) {
  const [label, cls] = ONBOARDING[status] ?? [
    status,
    "bg-slate-100 text-slate-700 ring-slate-300 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-600",
  ];
  return (
    <span className={`${base} ${cls}`} data-testid="onboarding-status">
      {label}
    </span>
  );
}

const RUN: Record<string, [string, string, string]> = {
  queued: ["Queued", "◷", "bg-slate-100 text-slate-700 ring-slate-300 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-600"],
  pending: ["Pending", "○", "bg-slate-100 text-slate-600 ring-slate-300 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-600"],
  running: ["Running", "", "bg-sky-50 text-sky-800 ring-sky-300 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-700"],
  succeeded: [
    "Succeeded",
    "✓",
    "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-700",
  ],
  failed: ["Failed", "✕", "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-700"],
  skipped: ["Skipped", "–", "bg-slate-100 text-slate-500 ring-slate-300 dark:bg-slate-800 dark:text-slate-400 dark:ring-slate-600"],
  cancelled: ["Cancelled", "–", "bg-slate-100 text-slate-500 ring-slate-300 dark:bg-slate-800 dark:text-slate-400 dark:ring-slate-600"],
};

/** Status of a run or a step: an icon (a spinner while running) and the word, so colour is never the only cue. */
export function RunStatusBadge({ status, testId }: { status: string; testId?: string }) {
  const [label, icon, cls] = RUN[status] ?? [
    status,
    "",
    "bg-slate-100 text-slate-700 ring-slate-300 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-600",
  ];
  return (
    <span className={`${base} ${cls}`} data-testid={testId} data-status={status}>
      {status === "running" ? (
        <span aria-hidden className="inline-block h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent" />
      ) : (
        <span aria-hidden>{icon}</span>
      )}
      {label}
    </span>
  );
}

const ACTION: Record<PlanAction, [string, string]> = {
  create: ["create", "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-700"],
  update: ["update", "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-700"],
  "no-change": ["no change", "bg-slate-100 text-slate-600 ring-slate-300 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-600"],
  adopt: ["adopt", "bg-violet-50 text-violet-800 ring-violet-300 dark:bg-violet-950 dark:text-violet-200 dark:ring-violet-700"],
  conflict: ["conflict", "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-700"],
  delete: ["delete", "bg-rose-50 text-rose-800 ring-rose-300 dark:bg-rose-950 dark:text-rose-200 dark:ring-rose-700"],
  keep: ["keep", "bg-sky-50 text-sky-800 ring-sky-300 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-700"],
};

export function PlanActionBadge({ action }: { action: PlanAction }) {
  const [label, cls] = ACTION[action] ?? [
    action,
    "bg-slate-100 text-slate-700 ring-slate-300 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-600",
  ];
  return (
    <span className={`${base} ${cls}`} data-testid="plan-action" data-action={action}>
      {label}
    </span>
  );
}
