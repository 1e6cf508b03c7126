import { CopyButton } from "./copy-button";

export function CodeBlock({ title, code, testId, copyLabel }: { title?: string; code: string; testId?: string; copyLabel?: string }) {
  return (
    <figure className="overflow-hidden rounded-lg border border-slate-200">
      {title && (
        <figcaption className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 bg-slate-50 px-3 py-1.5 text-xs font-medium text-slate-600">
          <span className="min-w-0 break-words">{title}</span>
          <CopyButton text={code} label={copyLabel ?? "Copy"} />
        </figcaption>
      )}
      <pre className="max-h-96 overflow-auto bg-slate-900 p-3 text-xs leading-relaxed text-slate-100" data-testid={testId}>
        <code>{code}</code>
      </pre>
    </figure>
  );
}
