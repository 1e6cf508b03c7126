import { CopyButton } from "./copy-button";

/**
 * A scrolling code listing. The listing is focusable and named (its title) so keyboard users can scroll it
 * (axe: scrollable-region-focusable).
 */
export function CodeBlock({ title, code, testId, copyLabel }: { title?: string; code: string; testId?: string; copyLabel?: string }) {
  return (
    <figure className="overflow-hidden rounded-lg border border-slate-200 dark:border-slate-700">
      {title && (
        <figcaption className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 bg-slate-50 px-3 py-1.5 text-xs font-medium text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300">
          <span className="min-w-0 break-words">{title}</span>
          <CopyButton text={code} label={copyLabel ?? "Copy"} />
        </figcaption>
      )}
      <pre
        tabIndex={0}
        role="region"
        aria-label={title ?? "Code"}
        className="relative max-h-96 overflow-auto bg-slate-900 p-3 text-xs leading-relaxed text-slate-100 dark:bg-slate-950"
        data-testid={testId}
      >
        <code>{code}</code>
      </pre>
    </figure>
  );
}
