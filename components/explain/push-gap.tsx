import type { Explanation } from "@/lib/explain/types";
import { ExplanationList } from "./why-failed";

/** Pushes that never started the pipeline, shown on the pipeline page when detected. */
export function PushGap({ items }: { items: Explanation[] }) {
  if (!items.length) return null;
  return (
    <section
      aria-labelledby="push-gap-heading"
      className="space-y-3 rounded-lg border border-amber-300 bg-white p-4 text-slate-900 dark:border-amber-700 dark:bg-slate-900 dark:text-slate-100"
      data-testid="push-gap"
    >
      <h2 id="push-gap-heading" className="text-lg font-semibold">
        Pushes are not reaching this pipeline
      </h2>
      <ExplanationList items={items} />
    </section>
  );
}
