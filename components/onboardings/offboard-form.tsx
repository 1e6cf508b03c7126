"use client";

import { useActionState, useState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { FormStatus } from "@/components/ui/form-status";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<unknown>>;

const input =
  "rounded border border-slate-300 bg-white px-2 py-1 text-slate-900 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100";

/**
 * The teardown options (they change the plan above: the form reloads the page with them) and the confirmation,
 * where the person types the pipeline name before the destroy run starts.
 */
export function OffboardForm({
  onboardingId,
  pipelineName,
  action,
  options,
  keyDeletable,
}: {
  onboardingId: string;
  pipelineName: string;
  action: Action;
  options: { deleteBucket: boolean; deleteKey: boolean; keyWaitingDays: number };
  keyDeletable: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const [typed, setTyped] = useState("");
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const err = (k: string) => errors?.[k]?.[0];
  return (
    <div className="space-y-6">
      <form
        method="get"
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
        data-testid="teardown-options"
      >
        <h2 className="text-base font-semibold">Options</h2>
        <label className="flex items-start gap-2">
          <input type="checkbox" name="deleteBucket" value="on" defaultChecked={options.deleteBucket} className="mt-1" />
          <span>Delete the artifact bucket with every object version in it (default: keep it and its artifacts)</span>
        </label>
        <label className="flex items-start gap-2">
          <input
            type="checkbox"
            name="deleteKey"
            value="on"
            defaultChecked={options.deleteKey}
            disabled={!keyDeletable}
            className="mt-1"
            aria-describedby="key-hint"
          />
          <span>Schedule the deletion of the artifact KMS key (default: keep it)</span>
        </label>
        <p id="key-hint" className="text-xs text-slate-600 dark:text-slate-300">
          {keyDeletable
            ? "KMS deletes the key after the waiting period; until then CancelKeyDeletion undoes it. Artifacts it encrypted become unreadable."
            : "Not possible: another onboarding uses the key, or the portal did not create it."}
        </p>
        <label className="flex flex-wrap items-center gap-2">
          <span>Waiting period (7 to 30 days)</span>
          <input type="number" name="keyWaitingDays" min={7} max={30} defaultValue={options.keyWaitingDays} className={`w-20 ${input}`} />
        </label>
        <button
          type="submit"
          className="rounded border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-900 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700"
        >
          Update the plan
        </button>
      </form>

      <form
        action={formAction}
        className="space-y-3 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
        data-testid="offboard-form"
      >
        <input type="hidden" name="id" value={onboardingId} />
        {options.deleteBucket && <input type="hidden" name="deleteBucket" value="on" />}
        {options.deleteKey && keyDeletable && <input type="hidden" name="deleteKey" value="on" />}
        <input type="hidden" name="keyWaitingDays" value={options.keyWaitingDays} />
        <label className="block space-y-1">
          <span className="font-medium">
            Type the pipeline name <span className="font-mono">{pipelineName}</span> to confirm
          </span>
          <input
            name="confirmName"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            className={`block w-full max-w-sm ${input}`}
            aria-invalid={!!err("confirmName")}
            aria-describedby={err("confirmName") ? "confirm-error" : undefined}
          />
        </label>
        {err("confirmName") && (
          <p id="confirm-error" className="text-red-700 dark:text-red-300" aria-live="polite">
            {err("confirmName")}
          </p>
        )}
        {err("keyWaitingDays") && (
          <p className="text-red-700 dark:text-red-300" aria-live="polite">
            {err("keyWaitingDays")}
          </p>
        )}
        <button
          type="submit"
          disabled={pending || typed.trim() !== pipelineName}
          className="rounded bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800 disabled:opacity-60"
        >
          {pending ? "Starting…" : "Offboard"}
        </button>
        <FormStatus state={state} />
      </form>
    </div>
  );
}
