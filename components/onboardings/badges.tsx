import type { PlanAction } from "@/lib/provisioning/types";

const base = "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset whitespace-nowrap";

const ONBOARDING: Record<string, [string, string]> = {
  draft: ["Not applied yet", "bg-slate-100 text-slate-700 ring-slate-300"],
  provisioning: ["Provisioning", "bg-sky-50 text-sky-800 ring-sky-300"],
  active: ["Active", "bg-emerald-50 text-emerald-800 ring-emerald-300"],
  changed: ["Changes not applied", "bg-amber-50 text-amber-900 ring-amber-300"],
  failed: ["Failed", "bg-red-50 text-red-800 ring-red-300"],
  offboarding: ["Offboarding", "bg-sky-50 text-sky-800 ring-sky-300"],
  offboarded: ["Offboarded", "bg-slate-100 text-slate-700 ring-slate-300 dark:bg-slate-800 dark:text-slate-200"],
};

export function OnboardingStatusBadge({ status }: { status: string }) {
  const [label, cls] = ONBOARDING[status] ?? [status, "bg-slate-100 text-slate-700 ring-slate-300"];
  return <span className={`${base} ${cls}`} data-testid="onboarding-status">{label}</span>;
}

const RUN: Record<string, [string, string, string]> = {
  queued: ["Queued", "◷", "bg-slate-100 text-slate-700 ring-slate-300"],
  pending: ["Pending", "○", "bg-slate-100 text-slate-600 ring-slate-300"],
  running: ["Running", "", "bg-sky-50 text-sky-800 ring-sky-300"],
  succeeded: ["Succeeded", "✓", "bg-emerald-50 text-emerald-800 ring-emerald-300"],
  failed: ["Failed", "✕", "bg-red-50 text-red-800 ring-red-300"],
  skipped: ["Skipped", "–", "bg-slate-100 text-slate-500 ring-slate-300"],
  cancelled: ["Cancelled", "–", "bg-slate-100 text-slate-500 ring-slate-300"],
};

/** Status of a run or a step: an icon (a spinner while running) and the word, so colour is never the only cue. */
export function RunStatusBadge({ status, testId }: { status: string; testId?: string }) {
  const [label, icon, cls] = RUN[status] ?? [status, "", "bg-slate-100 text-slate-700 ring-slate-300"];
  return (
    <span className={`${base} ${cls}`} data-testid={testId} data-status={status}>
      {status === "running" ? <span aria-hidden className="inline-block h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent" /> : <span aria-hidden>{icon}</span>}
      {label}
    </span>
  );
}

const ACTION: Record<PlanAction, [string, string]> = {
  create: ["create", "bg-emerald-50 text-emerald-800 ring-emerald-300"],
  update: ["update", "bg-amber-50 text-amber-800 ring-amber-300"],
  "no-change": ["no change", "bg-slate-100 text-slate-600 ring-slate-300"],
  adopt: ["adopt", "bg-violet-50 text-violet-800 ring-violet-300"],
  conflict: ["conflict", "bg-red-50 text-red-800 ring-red-300"],
  delete: ["delete", "bg-rose-50 text-rose-800 ring-rose-300"],
  keep: ["keep", "bg-sky-50 text-sky-800 ring-sky-300"],
};

export function PlanActionBadge({ action }: { action: PlanAction }) {
  const [label, cls] = ACTION[action] ?? [action, "bg-slate-100 text-slate-700 ring-slate-300"];
  return <span className={`${base} ${cls}`} data-testid="plan-action" data-action={action}>{label}</span>;
}
