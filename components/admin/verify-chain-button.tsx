"use client";

import { useActionState } from "react";
import type { VerifyResult } from "@/lib/audit/verify";
import type { ChainProblemKind } from "@/lib/audit/chain";
import type { FormAction } from "./types";

const KIND: Record<ChainProblemKind, string> = {
  edited: "content edited",
  link: "link broken",
  missing: "row missing",
  unsigned: "not signed with the audit key",
  head: "exported head does not match",
};

export function VerifyChainButton({ action }: { action: FormAction<VerifyResult> }) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const r = state?.ok ? state.data : undefined;
  return (
    <form action={formAction} className="max-w-md space-y-2">
      <label htmlFor="verify-head" className="block text-xs text-slate-600 dark:text-slate-300">
        Exported head to check against (optional)
      </label>
      <div className="flex gap-2">
        <input
          id="verify-head"
          name="head"
          placeholder="seq:hash"
          className="w-64 rounded border border-slate-300 px-2 py-1.5 font-mono text-xs dark:border-slate-600"
        />
        <button
          type="submit"
          disabled={pending}
          className="rounded border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-600 dark:bg-slate-900 dark:hover:bg-slate-800"
        >
          {pending ? "Verifying…" : "Verify chain"}
        </button>
      </div>
      <div aria-live="polite" data-testid="verify-result">
        {state && !state.ok && <p className="text-sm text-red-700 dark:text-red-300">{state.fieldErrors?.head?.[0] ?? state.error}</p>}
        {r &&
          (r.intact ? (
            <div className="rounded border border-emerald-300 bg-emerald-50 p-2 text-sm text-emerald-900 dark:border-emerald-700 dark:bg-emerald-950 dark:text-emerald-200">
              <p>
                Chain intact: {r.checked} event{r.checked === 1 ? "" : "s"} checked in {r.durationMs} ms
                {r.checkedAgainst ? `, including the exported head at seq ${r.checkedAgainst.seq}` : ""}.
              </p>
              {r.head && (
                <p className="mt-1 break-all text-xs">
                  Head to export and keep elsewhere: <code data-testid="chain-head">{`${r.head.seq}:${r.head.hash}`}</code>
                </p>
              )}
            </div>
          ) : (
            <p className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-200">
              <strong>Chain broken at seq {r.problem?.seq}</strong> ({r.problem ? KIND[r.problem.kind] : ""}): {r.problem?.message}{" "}
              {r.checked} event{r.checked === 1 ? "" : "s"} before it are intact.
            </p>
          ))}
      </div>
    </form>
  );
}
