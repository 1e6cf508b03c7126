"use client";

import { useActionState } from "react";
import { FormStatus } from "@/components/ui/form-status";
import type { FormAction } from "./types";

export function DisableUserForm({
  userId,
  email,
  disabled,
  action,
  lockedReason,
}: {
  userId: string;
  email: string;
  disabled: boolean;
  action: FormAction;
  lockedReason?: string;
}) {
  const [state, formAction, pending] = useActionState(action, undefined);
  return (
    <form
      action={formAction}
      className="space-y-2"
      onSubmit={(e) => {
        if (!disabled && !window.confirm(`Disable ${email}? They are signed out at once and cannot sign in until re-enabled.`))
          e.preventDefault();
      }}
    >
      <input type="hidden" name="id" value={userId} />
      <input type="hidden" name="disabled" value={disabled ? "false" : "true"} />
      <button
        type="submit"
        disabled={pending || (!disabled && !!lockedReason)}
        aria-describedby="disable-hint"
        className={
          disabled
            ? "rounded bg-emerald-700 px-3 py-2 text-sm font-medium text-white hover:bg-emerald-800 disabled:opacity-60"
            : "rounded border border-red-300 px-3 py-2 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-60 dark:border-red-700 dark:text-red-300 dark:hover:bg-red-900"
        }
      >
        {pending ? "Saving…" : disabled ? "Re-enable user" : "Disable user"}
      </button>
      <p id="disable-hint" className="text-xs text-slate-500 dark:text-slate-400">
        {!disabled ? lockedReason : null}
      </p>
      <FormStatus state={state} />
    </form>
  );
}
