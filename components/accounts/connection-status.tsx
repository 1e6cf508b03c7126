import { formatDistanceToNowStrict } from "date-fns";

export function ConnectionStatus({ ok, at, message }: { ok: boolean | null; at: Date | null; message?: string | null }) {
  if (!at || ok === null) return <span className="text-slate-500 dark:text-slate-400">Not tested</span>;
  return (
    <span className={ok ? "text-emerald-700 dark:text-emerald-300" : "text-red-700 dark:text-red-300"} title={message ?? undefined}>
      <span aria-hidden>{ok ? "● " : "▲ "}</span>
      {ok ? "Connected" : "Failed"} <span className="text-slate-500 dark:text-slate-400">· {formatDistanceToNowStrict(at, { addSuffix: true })}</span>
    </span>
  );
}
