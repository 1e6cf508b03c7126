"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { FormStatus } from "@/components/ui/form-status";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<unknown>>;

const button = "rounded px-3 py-2 text-sm font-medium disabled:opacity-60";

/** "Verify now": reads both accounts and stores the result; the page re-renders with it. */
export function VerifyNowButton({ onboardingId, action }: { onboardingId: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, undefined);
  return (
    <form action={formAction} className="space-y-1" data-testid="verify-form">
      <input type="hidden" name="id" value={onboardingId} />
      <button
        type="submit"
        disabled={pending}
        className={`${button} border border-slate-300 bg-white text-slate-900 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700`}
      >
        {pending ? "Verifying…" : "Verify now"}
      </button>
      <FormStatus state={state} />
    </form>
  );
}

/** "Repair": starts an apply of the onboarding (redirects to its progress page). */
export function RepairButton({ onboardingId, action, count }: { onboardingId: string; action: Action; count: number }) {
  const [state, formAction, pending] = useActionState(action, undefined);
  return (
    <form action={formAction} className="space-y-1" data-testid="repair-form">
      <input type="hidden" name="id" value={onboardingId} />
      <button
        type="submit"
        disabled={pending}
        aria-describedby="repair-hint"
        className={`${button} bg-amber-600 text-white hover:bg-amber-700`}
      >
        {pending ? "Starting…" : "Repair"}
      </button>
      <p id="repair-hint" className="max-w-sm text-xs text-slate-600 dark:text-slate-300">
        Applies the onboarding again: the {count} resource{count === 1 ? "" : "s"} out of sync {count === 1 ? "is" : "are"} converged, the
        others are only read. Nothing is adopted.
      </p>
      <FormStatus state={state} />
    </form>
  );
}
