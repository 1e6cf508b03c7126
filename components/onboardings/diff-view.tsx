/** A line diff ("  ", "- ", "+ " prefixes): additions green, removals red, with a text cue besides colour. */
export function DiffView({ diff, title }: { diff: string; title: string }) {
  const lines = diff.split("\n");
  const added = lines.filter((l) => l.startsWith("+ ")).length;
  const removed = lines.filter((l) => l.startsWith("- ")).length;
  return (
    <figure className="overflow-hidden rounded-lg border border-slate-200 dark:border-slate-700" data-testid="plan-diff">
      <figcaption className="flex items-center gap-3 border-b border-slate-200 bg-slate-50 px-3 py-1.5 text-xs font-medium text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300">
        <span>Changes to {title}</span>
        <span className="text-emerald-700 dark:text-emerald-300">+{added}</span>
        <span className="text-red-700 dark:text-red-300">−{removed}</span>
      </figcaption>
      <pre
        tabIndex={0}
        role="region"
        aria-label={`Changes to ${title}`}
        className="max-h-[32rem] overflow-auto bg-white py-2 text-xs leading-relaxed dark:bg-slate-900"
      >
        <code>
          {lines.map((l, i) => {
            const kind = l.startsWith("+ ") ? "add" : l.startsWith("- ") ? "del" : "same";
            const cls =
              kind === "add"
                ? "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
                : kind === "del"
                  ? "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-200"
                  : "text-slate-600 dark:text-slate-300";
            return (
              <span key={i} className={`block px-3 ${cls}`} data-diff={kind}>
                <span aria-hidden className="inline-block w-4 select-none font-bold">
                  {kind === "add" ? "+" : kind === "del" ? "−" : " "}
                </span>
                <span className="sr-only">{kind === "add" ? "added: " : kind === "del" ? "removed: " : ""}</span>
                {l.slice(2) || " "}
              </span>
            );
          })}
        </code>
      </pre>
    </figure>
  );
}
