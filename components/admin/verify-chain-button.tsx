"use client";

import { useActionState } from "react";
import type { VerifyResult } from "@/lib/audit/verify";
import type { FormAction } from "./types";

export function VerifyChainButton({ action }: { action: FormAction<VerifyResult> }) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const r = state?.ok ? state.data : undefined;
  return (
    <form action={formAction} className="space-y-2">
      <button type="submit" disabled={pending} className="rounded border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-100 disabled:opacity-60">
        {pending ? "Verifying…" : "Verify chain"}
      </button>
      <div aria-live="polite" data-testid="verify-result">
        {state && !state.ok && <p className="text-sm text-red-700">{state.error}</p>}
        {r &&
          (r.intact ? (
            <p className="rounded border border-emerald-300 bg-emerald-50 p-2 text-sm text-emerald-900">
              Chain intact: {r.checked} event{r.checked === 1 ? "" : "s"} checked in {r.durationMs} ms.
            </p>
          ) : (
            <p className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900">
              <strong>Chain broken at seq {r.problem?.seq}</strong> ({r.problem?.kind === "edited" ? "content edited" : r.problem?.kind === "link" ? "link broken" : "row missing"}): {r.problem?.message} {r.checked} event{r.checked === 1 ? "" : "s"} before it are intact.
            </p>
          ))}
      </div>
    </form>
  );
}
