"use client";

import { useActionState } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { inputClass } from "@/components/ui/field";
import { ROLES, type Role } from "@/lib/auth/roles";
import type { FormAction } from "./types";

export function RoleForm({
  userId,
  role,
  action,
  lockedReason,
}: {
  userId: string;
  role: Role;
  action: FormAction;
  lockedReason?: string;
}) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={formAction} className="space-y-3">
      <input type="hidden" name="id" value={userId} />
      <label htmlFor="role" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
        Role
      </label>
      <div className="flex items-center gap-2">
        <select
          id="role"
          name="role"
          defaultValue={role}
          disabled={!!lockedReason}
          aria-describedby="role-error role-hint"
          className={`${inputClass} max-w-xs`}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <button
          type="submit"
          disabled={pending || !!lockedReason}
          className="rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          {pending ? "Saving…" : "Change role"}
        </button>
      </div>
      <p id="role-hint" className="text-xs text-slate-500 dark:text-slate-400">
        {lockedReason}
      </p>
      <div id="role-error" aria-live="polite">
        {errors.role?.map((e) => (
          <p key={e} className="text-sm text-red-700 dark:text-red-300">
            {e}
          </p>
        ))}
      </div>
      <FormStatus state={state} />
    </form>
  );
}
