import { redact } from "@/lib/audit/redact";

/** The event's details as JSON with secret-looking values redacted (again, in case an old row predates redaction). */
export function AuditDetails({ raw }: { raw: string }) {
  const text = detailsText(raw);
  if (text === null) return <span className="text-slate-500 dark:text-slate-400">—</span>;
  if (text.length <= 80) return <code className="break-all font-mono text-xs">{text.replace(/\n\s*/g, " ")}</code>;
  return (
    <details>
      <summary className="cursor-pointer font-mono text-xs">{text.replace(/\n\s*/g, " ").slice(0, 60)}…</summary>
      <pre className="mt-1 max-w-md overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-800">
        {text}
      </pre>
    </details>
  );
}

/** The details as indented JSON, redacted; null when there are none; the raw text when it is not JSON. */
function detailsText(raw: string): string | null {
  try {
    const parsed = redact(JSON.parse(raw)) as Record<string, unknown>;
    if (parsed && typeof parsed === "object" && Object.keys(parsed).length === 0) return null;
    return JSON.stringify(parsed, null, 1);
  } catch {
    return raw;
  }
}
