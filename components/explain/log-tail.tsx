import type { BuildLogTail } from "@/lib/explain/types";

/**
 * The newest lines of a failed build's log (secrets masked), in a keyboard-scrollable block, with the console link
 * beside it; for a role without `pipelines.logs.read`, a sentence saying who sees them instead.
 */
export function LogTail({ log }: { log: BuildLogTail }) {
  const phase = log.failedPhase ? ` (failed phase ${log.failedPhase})` : "";
  const label = log.withheld ? `Build log${phase}` : `Last ${log.lines.length} lines of the build log${phase}`;
  return (
    <div className="space-y-2" data-testid="log-tail">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id="log-tail-heading" className="text-sm font-semibold">
          {label}
        </h3>
        <p className="flex flex-wrap gap-x-4 text-sm">
          <a
            href={log.consoleUrl}
            target="_blank"
            rel="noreferrer"
            className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
            data-testid="log-console-link"
          >
            Open in CloudWatch Logs ↗<span className="sr-only"> (AWS console, new tab)</span>
          </a>
          {log.deepLink && (
            <a
              href={log.deepLink}
              target="_blank"
              rel="noreferrer"
              className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
            >
              Full log ↗<span className="sr-only"> (new tab)</span>
            </a>
          )}
        </p>
      </div>
      <p className="break-all font-mono text-xs text-slate-600 dark:text-slate-300">
        {log.groupName} / {log.streamName}
      </p>
      {log.withheld ? (
        <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="log-tail-withheld">
          {log.withheld}
        </p>
      ) : log.error ? (
        <p role="status" className="text-sm text-slate-600 dark:text-slate-300" data-testid="log-tail-error">
          {log.error}
        </p>
      ) : (
        <pre
          tabIndex={0}
          role="region"
          aria-label={label}
          className="relative max-h-96 overflow-auto rounded-lg bg-slate-900 p-3 text-xs leading-relaxed text-slate-100 dark:bg-slate-950"
          data-testid="log-tail-lines"
        >
          <code>{log.lines.join("\n")}</code>
        </pre>
      )}
    </div>
  );
}
