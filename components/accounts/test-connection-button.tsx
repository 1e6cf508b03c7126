"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import type { Diagnosis } from "@/lib/accounts/diagnose";
import { ConnectionDiagnosis } from "./connection-status";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<Diagnosis>>;

export function TestConnectionButton({ accountId, action }: { accountId: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const d = state?.ok ? state.data : undefined;
  return (
    <form action={formAction} className="space-y-3">
      <input type="hidden" name="id" value={accountId} />
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
      >
        {pending ? "Testing…" : "Test connection"}
      </button>
      <div aria-live="polite" data-testid="connection-result">
        {state && !state.ok && <p className="text-sm text-red-700 dark:text-red-300">{state.error}</p>}
        {d && (
          <div
            className={`rounded border p-3 text-sm ${d.ok ? "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-700 dark:bg-emerald-950 dark:text-emerald-200" : "border-red-300 bg-red-50 text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-200"}`}
          >
            <p className="font-semibold">{d.title}</p>
            {d.checks?.length ? (
              <ConnectionDiagnosis tried={d.tried} checks={d.checks} requestId={d.requestId} />
            ) : (
              <p className="mt-1 break-words">{d.detail}</p>
            )}
            {d.assumedRoleArn && <p className="mt-1 font-mono text-xs">{d.assumedRoleArn}</p>}
            {d.requestId && !d.checks?.length && <p className="mt-1 text-xs">AWS request id {d.requestId}</p>}
          </div>
        )}
      </div>
    </form>
  );
}
