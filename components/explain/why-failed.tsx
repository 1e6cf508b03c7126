import type { ExecutionExplanation, Explanation } from "@/lib/explain/types";
import { ExplanationCard } from "./explanation-card";
import { LogTail } from "./log-tail";

/** "Why this failed": the explanations of a failed execution and, for a failed build, its log tail. */
export function WhyFailed({ x, error }: { x: ExecutionExplanation | null; error?: string }) {
  return (
    <section
      id="why"
      aria-labelledby="why-heading"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      data-testid="why-failed"
    >
      <h2 id="why-heading" className="text-lg font-semibold">
        Why this failed
      </h2>
      {error && (
        <p role="alert" className="text-sm text-red-800 dark:text-red-300">
          {error}
        </p>
      )}
      {x?.readError && (
        <p role="status" className="text-sm text-slate-600 dark:text-slate-300">
          {x.readError}
        </p>
      )}
      {x?.failedAction && (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Failed action:{" "}
          <span className="font-medium text-slate-900 dark:text-slate-100">
            {x.failedAction.stageName} / {x.failedAction.actionName}
          </span>
          {x.failedAction.buildPhase && (
            <>
              {" "}
              in build phase <span className="font-mono">{x.failedAction.buildPhase.phase}</span>
            </>
          )}
        </p>
      )}
      <ExplanationList items={x?.explanations ?? []} />
      {x?.buildLog && <LogTail log={x.buildLog} />}
    </section>
  );
}

export function ExplanationList({ items }: { items: Explanation[] }) {
  if (!items.length) return null;
  return (
    <div className="space-y-3">
      {items.map((e, i) => (
        <ExplanationCard key={`${e.kind}-${e.resourceArn}-${i}`} e={e} index={i} />
      ))}
    </div>
  );
}
