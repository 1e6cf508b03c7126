import type { TrackedCall } from "@/lib/aws/call-tracker";

/** The longest run of calls inside one step where each starts after the previous ended (its inherent serial depth). */
export function serialDepth(calls: TrackedCall[]): number {
  const sorted = [...calls].filter((c) => c.endedAt !== undefined).sort((a, b) => a.startedAt - b.startedAt);
  const best = sorted.map(() => 1);
  for (let j = 0; j < sorted.length; j++) {
    for (let i = 0; i < j; i++) if (sorted[i].endedAt! <= sorted[j].startedAt + 0.001) best[j] = Math.max(best[j], best[i] + 1);
  }
  return Math.max(0, ...best);
}

/** Longest path through the step graph, weighting each step by its serial depth. */
export function longestChain(
  steps: { key: string; dependsOn: string[] }[],
  depth: Record<string, number>,
): { calls: number; path: string[] } {
  const keys = new Set(steps.map((s) => s.key));
  const memo = new Map<string, { calls: number; path: string[] }>();
  const visit = (key: string): { calls: number; path: string[] } => {
    const hit = memo.get(key);
    if (hit) return hit;
    const step = steps.find((s) => s.key === key)!;
    let best = { calls: 0, path: [] as string[] };
    for (const d of step.dependsOn.filter((x) => keys.has(x))) {
      const r = visit(d);
      if (r.calls > best.calls) best = r;
    }
    const out = { calls: best.calls + (depth[key] ?? 0), path: [...best.path, key] };
    memo.set(key, out);
    return out;
  };
  return steps.map((s) => visit(s.key)).reduce((a, b) => (b.calls > a.calls ? b : a), { calls: 0, path: [] });
}
