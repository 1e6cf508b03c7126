"use client";

import { useActionState } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { OneTimePassword } from "./one-time-password";
import { PasswordFields } from "./password-fields";
import type { FormAction } from "./types";

export function ResetPasswordForm({
  userId,
  email,
  action,
}: {
  userId: string;
  email: string;
  action: FormAction<{ generatedPassword?: string }>;
}) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const generated = state?.ok ? state.data.generatedPassword : undefined;
  return (
    <div className="space-y-4">
      {generated && <OneTimePassword email={email} password={generated} />}
      <form action={formAction} className="space-y-4" noValidate>
        <input type="hidden" name="id" value={userId} />
        <PasswordFields errors={errors} />
        <FormStatus state={state} />
        <button
          type="submit"
          disabled={pending}
          className="rounded border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-600 dark:hover:bg-slate-800"
        >
          {pending ? "Resetting…" : "Reset password"}
        </button>
      </form>
    </div>
  );
}
