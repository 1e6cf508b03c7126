import type { StageStateView } from "@/lib/pipelines/types";
import { statusLabel } from "@/lib/pipelines/format";
import { StatusIcon, statusStyle } from "./status";

/** One chip per stage, coloured by the stage's latest status, in pipeline order. */
export function StageStrip({ stages, testId }: { stages: StageStateView[]; testId?: string }) {
  if (!stages.length) return <span className="text-xs text-slate-500 dark:text-slate-400">—</span>;
  return (
    <ol className="flex items-center gap-1" aria-label="Stages" data-testid={testId}>
      {stages.map((s, i) => (
        <li key={s.name} className="flex items-center gap-1">
          {i > 0 && <span aria-hidden className={`h-px w-2 ${s.transitionEnabled ? "bg-slate-300 dark:bg-slate-600" : "bg-red-400"}`} />}
          <span
            title={`${s.name}: ${statusLabel(s.status)}`}
            data-stage={s.name}
            data-status={s.status ?? "none"}
            className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-[11px] font-medium ${statusStyle(s.status).chip}`}
          >
            <StatusIcon status={s.status} />
            <span className="max-w-[7rem] truncate">{s.name}</span>
            <span className="sr-only">: {statusLabel(s.status)}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}
