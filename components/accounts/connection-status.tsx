import { formatDistanceToNowStrict } from "date-fns";
import type { DiagnosisCheck } from "@/lib/accounts/diagnose";

export function ConnectionStatus({ ok, at, message }: { ok: boolean | null; at: Date | null; message?: string | null }) {
  if (!at || ok === null) return <span className="text-slate-600 dark:text-slate-300">Not tested</span>;
  return (
    <span className={ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"} title={message ?? undefined}>
      <span aria-hidden>{ok ? "● " : "▲ "}</span>
      {ok ? "Connected" : "Failed"}{" "}
      <span className="text-slate-600 dark:text-slate-300">· {formatDistanceToNowStrict(at, { addSuffix: true })}</span>
    </span>
  );
}

/** A connection diagnosis as a list: what was tried, then each check with the exact value to compare. */
export function ConnectionDiagnosis({ tried, checks, requestId }: { tried?: string; checks?: DiagnosisCheck[]; requestId?: string }) {
  if (!tried && !checks?.length) return null;
  return (
    <div className="mt-2 space-y-2 text-sm" data-testid="connection-diagnosis">
      {tried && (
        <div>
          <p className="font-medium">What the portal tried</p>
          <p className="break-words">{tried}</p>
        </div>
      )}
      {!!checks?.length && (
        <div>
          <p className="font-medium">Check, in this order</p>
          <ol className="mt-1 list-decimal space-y-1 pl-5">
            {checks.map((c) => (
              <li key={c.what} data-testid="connection-check">
                {c.what}
                {c.value && (
                  <>
                    : <code className="break-all font-mono text-xs">{c.value}</code>
                  </>
                )}
              </li>
            ))}
          </ol>
        </div>
      )}
      {requestId && (
        <p className="text-xs">
          AWS request id <span className="font-mono">{requestId}</span>
        </p>
      )}
    </div>
  );
}
