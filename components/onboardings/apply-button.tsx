"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { FormStatus } from "@/components/ui/form-status";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<unknown>>;

export interface PlanResourceRef {
  stepKey: string;
  title: string;
  name: string;
  accountId: string;
}

/**
 * Starts a provisioning run; the action redirects to the run's progress page. Existing resources the portal did not
 * create ("adopt") are taken over only after an explicit confirmation; another onboarding's resources ("conflict")
 * block the apply.
 */
export function ApplyButton({
  onboardingId,
  action,
  nothingToChange,
  adoptions = [],
  conflicts = [],
  confirmation,
}: {
  onboardingId: string;
  action: Action;
  nothingToChange: boolean;
  adoptions?: PlanResourceRef[];
  conflicts?: PlanResourceRef[];
  /** What the apply writes, where (lib/onboarding/apply-confirmation.ts); shown before anything is sent. */
  confirmation?: string;
}) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const confirmError = state && !state.ok ? state.fieldErrors?.confirmAdopt?.[0] : undefined;
  return (
    <form action={formAction} className="space-y-3" data-testid="apply-form">
      <input type="hidden" name="id" value={onboardingId} />
      {conflicts.length > 0 && (
        <div
          role="alert"
          className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-200"
          data-testid="apply-conflicts"
        >
          <p className="font-semibold">These resources belong to another onboarding; the portal will not take them over:</p>
          <ul className="mt-1 list-disc pl-5">
            {conflicts.map((c) => (
              <li key={c.stepKey}>
                {c.title}: <span className="font-mono">{c.name}</span> ({c.accountId})
              </li>
            ))}
          </ul>
          <p className="mt-1">Rename the pipeline or the project, or offboard the other onboarding first.</p>
        </div>
      )}
      {adoptions.length > 0 && (
        <fieldset
          className="rounded-lg border border-violet-300 bg-violet-50 p-3 text-sm text-violet-950 dark:border-violet-700 dark:bg-violet-950 dark:text-violet-100"
          data-testid="apply-adoptions"
        >
          <legend className="px-1 font-semibold">Existing resources the portal did not create</legend>
          <ul className="list-disc pl-5">
            {adoptions.map((a) => (
              <li key={a.stepKey}>
                {a.title}: <span className="font-mono">{a.name}</span> ({a.accountId})
              </li>
            ))}
          </ul>
          <input type="hidden" name="adopt" value={adoptions.map((a) => a.stepKey).join(",")} />
          <label className="mt-2 flex items-start gap-2">
            <input
              type="checkbox"
              name="confirmAdopt"
              className="mt-1"
              aria-describedby={confirmError ? "confirm-adopt-error" : undefined}
              aria-invalid={!!confirmError}
            />
            <span>
              Let the portal take these over: it tags them as this onboarding&apos;s and rewrites their settings and policies as the plan
              shows.
            </span>
          </label>
          {confirmError && (
            <p id="confirm-adopt-error" className="mt-1 text-red-700 dark:text-red-300" aria-live="polite">
              {confirmError}
            </p>
          )}
        </fieldset>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <ConfirmDialog
          triggerLabel={pending ? "Starting…" : "Apply"}
          triggerClassName="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
          triggerTestId="apply-open"
          disabled={pending || conflicts.length > 0}
          title="Apply this plan?"
          confirmLabel="Apply"
          tone="primary"
          testId="apply-dialog"
        >
          <p data-testid="apply-dialog-summary">
            {confirmation ?? "Apply creates and updates the resources and policies the plan lists, in the tools and repo accounts."}
          </p>
          {adoptions.length > 0 && (
            <p>Resources the portal did not create are taken over only if you ticked the box below the plan&apos;s list.</p>
          )}
        </ConfirmDialog>
        <p id="apply-hint" className="text-xs text-slate-500 dark:text-slate-400">
          {nothingToChange
            ? "Everything already matches: applying re-checks each resource and makes no mutating call."
            : "Creates and updates exactly what is listed below, step by step; you can follow each step."}
        </p>
      </div>
      <FormStatus state={state} />
    </form>
  );
}
