"use client";

import Link from "next/link";
import { Field, describedBy, inputClass } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useFormAction } from "@/components/ui/use-form-action";
import { ROLES } from "@/lib/auth/roles";
import { OneTimePassword } from "./one-time-password";
import { PasswordFields } from "./password-fields";
import type { FormAction } from "./types";

type Created = { id: string; email: string; generatedPassword?: string };

export function CreateUserForm({ action }: { action: FormAction<Created> }) {
  // Submitted through onSubmit so a refused submit keeps what was typed; key={created.id} clears it after success.
  const { state, onSubmit, pending } = useFormAction(action);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const invalid = (k: string) => (errors[k]?.length ? true : undefined);
  const created = state?.ok ? state.data : undefined;

  return (
    <div className="space-y-6">
      {created && (
        <div className="space-y-3">
          {created.generatedPassword && <OneTimePassword email={created.email} password={created.generatedPassword} />}
          <p className="text-sm">
            <Link href={`/admin/users/${created.id}`} className="text-indigo-700 underline dark:text-indigo-300">
              Open {created.email}
            </Link>{" "}
            or create another user below.
          </p>
        </div>
      )}
      <form
        onSubmit={onSubmit}
        className="space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-700 dark:bg-slate-900"
        noValidate
        key={created?.id}
      >
        <Field id="email" label="Email" errors={errors.email}>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="off"
            required
            maxLength={254}
            aria-invalid={invalid("email")}
            aria-describedby={describedBy("email", false)}
            className={inputClass}
          />
        </Field>
        <Field id="name" label="Name" hint="Optional." errors={errors.name}>
          <input
            id="name"
            name="name"
            maxLength={100}
            aria-invalid={invalid("name")}
            aria-describedby={describedBy("name", true)}
            className={inputClass}
          />
        </Field>
        <Field
          id="role"
          label="Role"
          hint="admin: users, accounts, audit · engineer: onboard and run pipelines · viewer: read-only"
          errors={errors.role}
        >
          <select
            id="role"
            name="role"
            defaultValue="viewer"
            aria-invalid={invalid("role")}
            aria-describedby={describedBy("role", true)}
            className={inputClass}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
        <PasswordFields errors={errors} />
        <FormStatus state={state} />
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          {pending ? "Creating…" : "Create user"}
        </button>
      </form>
    </div>
  );
}
