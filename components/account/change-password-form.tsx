"use client";

import Link from "next/link";
import { Field, describedBy, inputClass } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useFormAction } from "@/components/ui/use-form-action";
import type { FormAction } from "@/components/admin/types";
import { MIN_PASSWORD } from "@/lib/users/limits";

export function ChangePasswordForm({ action }: { action: FormAction<undefined> }) {
  const { state, onSubmit, pending } = useFormAction(action);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <div className="space-y-4">
      <form
        onSubmit={onSubmit}
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-700 dark:bg-slate-900"
        noValidate
      >
        <Field id="current" label="Current password" errors={errors.current}>
          <input
            id="current"
            name="current"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={errors.current?.length ? true : undefined}
            aria-describedby={describedBy("current", false)}
            className={inputClass}
          />
        </Field>
        <Field id="password" label="New password" hint={`At least ${MIN_PASSWORD} characters.`} errors={errors.password}>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={MIN_PASSWORD}
            required
            aria-invalid={errors.password?.length ? true : undefined}
            aria-describedby={describedBy("password", true)}
            className={inputClass}
          />
        </Field>
        <Field id="confirm" label="Repeat new password" errors={errors.confirm}>
          <input
            id="confirm"
            name="confirm"
            type="password"
            autoComplete="new-password"
            required
            aria-invalid={errors.confirm?.length ? true : undefined}
            aria-describedby={describedBy("confirm", false)}
            className={inputClass}
          />
        </Field>
        <FormStatus state={state} />
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          {pending ? "Changing…" : "Change password"}
        </button>
      </form>
      {state?.ok && (
        <Link href="/" className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          Continue to the portal
        </Link>
      )}
    </div>
  );
}
