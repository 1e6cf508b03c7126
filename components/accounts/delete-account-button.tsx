"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/result";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<unknown>>;

export function DeleteAccountButton({ accountId, name, action }: { accountId: string; name: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, undefined);
  return (
    <form
      action={formAction}
      onSubmit={(e) => {
        if (!window.confirm(`Remove "${name}" from the portal? Nothing is deleted in AWS.`)) e.preventDefault();
      }}
    >
      <input type="hidden" name="id" value={accountId} />
      <button
        type="submit"
        disabled={pending}
        className="rounded border border-red-300 px-3 py-2 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-60 dark:border-red-700 dark:text-red-300 dark:hover:bg-red-900"
      >
        {pending ? "Removing…" : "Remove account"}
      </button>
      <p role="alert" aria-live="polite" className="mt-2 text-sm text-red-700 dark:text-red-300">
        {state && !state.ok ? state.error : null}
      </p>
    </form>
  );
}
