"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { FormStatus } from "@/components/ui/form-status";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<unknown>>;

/** Starts a provisioning run; the action redirects to the run's progress page. */
export function ApplyButton({ onboardingId, action, nothingToChange }: { onboardingId: string; action: Action; nothingToChange: boolean }) {
  const [state, formAction, pending] = useActionState(action, undefined);
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-3" data-testid="apply-form">
      <input type="hidden" name="id" value={onboardingId} />
      <button type="submit" disabled={pending} aria-describedby="apply-hint" className="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60">
        {pending ? "Starting…" : "Apply"}
      </button>
      <p id="apply-hint" className="text-xs text-slate-500">
        {nothingToChange ? "Everything already matches: applying re-checks each resource and makes no mutating call." : "Creates and updates exactly what is listed below, step by step; you can follow each step."}
      </p>
      <FormStatus state={state} />
    </form>
  );
}
