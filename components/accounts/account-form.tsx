"use client";

import { COMMERCIAL_REGIONS } from "@/lib/names/regions";
import type { ActionResult } from "@/lib/actions/result";
import { Field, inputClass, describedBy } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useFormAction } from "@/components/ui/use-form-action";

export interface AccountFormValues {
  id?: string;
  name: string;
  accountId: string;
  purpose: string;
  defaultRegion: string;
  roleArn: string;
  externalId: string;
  organizationId: string;
}

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<unknown>>;

export function AccountForm({ action, initial, submitLabel }: { action: Action; initial: AccountFormValues; submitLabel: string }) {
  const { state, onSubmit, pending } = useFormAction(action);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const invalid = (k: string) => (errors[k]?.length ? true : undefined);

  return (
    <form
      onSubmit={onSubmit}
      className="space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-700 dark:bg-slate-900"
      noValidate
    >
      {initial.id && <input type="hidden" name="id" value={initial.id} />}
      <Field id="name" label="Display name" errors={errors.name}>
        <input
          id="name"
          name="name"
          defaultValue={initial.name}
          maxLength={64}
          required
          aria-invalid={invalid("name")}
          aria-describedby={describedBy("name", false)}
          className={inputClass}
        />
      </Field>
      <Field id="accountId" label="AWS account id" hint="12 digits" errors={errors.accountId}>
        <input
          id="accountId"
          name="accountId"
          defaultValue={initial.accountId}
          inputMode="numeric"
          required
          aria-invalid={invalid("accountId")}
          aria-describedby={describedBy("accountId", true)}
          className={inputClass}
        />
      </Field>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Purpose</legend>
        <div className="mt-1 flex flex-wrap gap-6 text-sm" aria-describedby="purpose-error">
          {[
            ["tools", "Tools (hosts pipelines)"],
            ["repo", "Repo (hosts CodeCommit repositories)"],
            ["both", "Both"],
          ].map(([value, label]) => (
            <label key={value} className="flex items-center gap-2">
              <input type="radio" name="purpose" value={value} defaultChecked={initial.purpose === value} />
              {label}
            </label>
          ))}
        </div>
        <div id="purpose-error" aria-live="polite">
          {errors.purpose?.map((e) => (
            <p key={e} className="mt-1 text-sm text-red-700 dark:text-red-300">
              {e}
            </p>
          ))}
        </div>
      </fieldset>
      <Field id="defaultRegion" label="Default region" errors={errors.defaultRegion}>
        <select
          id="defaultRegion"
          name="defaultRegion"
          defaultValue={initial.defaultRegion}
          aria-invalid={invalid("defaultRegion")}
          aria-describedby={describedBy("defaultRegion", false)}
          className={inputClass}
        >
          {COMMERCIAL_REGIONS.map((r) => (
            <option key={r.id} value={r.id}>
              {r.id} — {r.name}
            </option>
          ))}
        </select>
      </Field>
      <Field
        id="roleArn"
        label="Provisioning role ARN"
        hint="The IAM role the portal assumes in this account, e.g. arn:aws:iam::123456789012:role/PortalProvisioningRole"
        errors={errors.roleArn}
      >
        <input
          id="roleArn"
          name="roleArn"
          defaultValue={initial.roleArn}
          required
          aria-invalid={invalid("roleArn")}
          aria-describedby={describedBy("roleArn", true)}
          className={`${inputClass} font-mono`}
        />
      </Field>
      <Field
        id="organizationId"
        label="AWS Organization id (tools accounts, optional)"
        hint="Set it when every repo account is in this Organization: the event bus and artifact key then grant the Organization in one statement (aws:PrincipalOrgID) instead of one per repo account."
        errors={errors.organizationId}
      >
        <input
          id="organizationId"
          name="organizationId"
          defaultValue={initial.organizationId}
          placeholder="o-a1b2c3d4e5"
          aria-invalid={invalid("organizationId")}
          aria-describedby={describedBy("organizationId", true)}
          className={`${inputClass} font-mono`}
        />
      </Field>
      <Field
        id="externalId"
        label="External id"
        hint="Leave empty and the portal generates one; paste it into the role's trust policy."
        errors={errors.externalId}
      >
        <input
          id="externalId"
          name="externalId"
          defaultValue={initial.externalId}
          aria-invalid={invalid("externalId")}
          aria-describedby={describedBy("externalId", true)}
          className={`${inputClass} font-mono`}
        />
      </Field>
      <FormStatus state={state} />
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
      >
        {pending ? "Saving…" : submitLabel}
      </button>
    </form>
  );
}
