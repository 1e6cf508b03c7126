"use client";

import Link from "next/link";
import { useEffect, useState, type ReactNode } from "react";
import type { FieldErrors } from "@/lib/core/errors";
import { Field, describedBy, inputClass } from "@/components/ui/field";
import { useRemoteList, type RemoteState } from "./use-remote-list";

export const invalidIf = (errors: FieldErrors, k: string) => (errors[k]?.length ? true : undefined);

/** Loading / error / empty line under a select whose options come from AWS. */
export function ListStatus({
  id,
  state,
  what,
  empty,
  typeable,
}: {
  id: string;
  state: RemoteState<unknown>;
  what: string;
  empty?: boolean;
  typeable?: boolean;
}) {
  return (
    <div id={`${id}-list`} aria-live="polite" className="mt-1 text-xs">
      {state.status === "loading" && (
        <p className="flex items-center gap-2 text-slate-500 dark:text-slate-400">
          <Spinner /> Loading {what}…
        </p>
      )}
      {state.status === "error" && (
        <div
          role="alert"
          className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-200"
          data-testid={`${id}-list-error`}
        >
          <p>{state.error}</p>
          {state.accountUrl && (
            <p className="mt-1">
              <Link href={state.accountUrl} className="font-medium underline">
                Open the account page
              </Link>{" "}
              to test the connection and fix the role.
            </p>
          )}
          {typeable && (
            <p className="mt-1" data-testid={`${id}-typeable`}>
              You can still type the name: it is checked against AWS when you create the onboarding.
            </p>
          )}
        </div>
      )}
      {state.status === "ok" && empty && <p className="text-amber-800 dark:text-amber-300">No {what} found in this account and region.</p>}
    </div>
  );
}

/** Under an account select: the account's last connection test failed or never ran. */
export function AccountWarning({ id, account }: { id: string; account?: { id: string; warning: string | null } }) {
  return (
    <div id={`${id}-warning`} aria-live="polite">
      {account?.warning && (
        <p
          className="mt-1 rounded border border-amber-300 bg-amber-50 px-2 py-1 text-xs text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
          data-testid={`${id}-warning`}
        >
          <span aria-hidden>⚠ </span>
          {account.warning}{" "}
          <Link href={`/accounts/${account.id}`} className="font-medium underline">
            Open the account page
          </Link>
        </p>
      )}
    </div>
  );
}

export function Spinner({ className = "h-3 w-3" }: { className?: string }) {
  return (
    <span aria-hidden className={`inline-block animate-spin rounded-full border-2 border-current border-t-transparent ${className}`} />
  );
}

/** A select whose options are listed from AWS; disabled while loading or when the list failed. */
export function RemoteSelect({
  id,
  label,
  hint,
  value,
  onChange,
  options,
  state,
  what,
  errors,
  placeholder,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  value: string;
  onChange: (v: string) => void;
  options: string[];
  state: RemoteState<unknown>;
  what: string;
  errors?: string[];
  placeholder: string;
}) {
  const ready = state.status === "ok" && options.length > 0;
  // Keep a submitted value visible even if it is not (or no longer) in the list.
  const all = value && !options.includes(value) ? [value, ...options] : options;
  return (
    <Field id={id} label={label} hint={hint} errors={errors}>
      <select
        id={id}
        name={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={!ready}
        aria-busy={state.status === "loading" || undefined}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={`${describedBy(id, !!hint)} ${id}-list`}
        className={`${inputClass} disabled:bg-slate-100 disabled:text-slate-500`}
      >
        {!value && <option value="">{state.status === "loading" ? `Loading ${what}…` : placeholder}</option>}
        {all.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      {/* A disabled select is not submitted: keep the value in the form anyway. */}
      {!ready && value && <input type="hidden" name={id} value={value} />}
      <ListStatus id={id} state={state} what={what} empty={state.status === "ok" && options.length === 0} />
    </Field>
  );
}

/** `value` once it has stopped changing for `ms` (typed names should not fetch a list per keystroke). */
export function useDebounced<T>(value: T, ms = 400): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/**
 * A text input whose suggestions are listed from AWS. Always typeable: a list that fails or is slow never blocks
 * the form; a typed name is checked against AWS when the onboarding is created.
 */
export function RemoteCombobox({
  id,
  label,
  hint,
  value,
  onChange,
  options,
  state,
  what,
  errors,
  placeholder,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  value: string;
  onChange: (v: string) => void;
  options: string[];
  state: RemoteState<unknown>;
  what: string;
  errors?: string[];
  placeholder: string;
}) {
  return (
    <Field id={id} label={label} hint={hint} errors={errors}>
      <input
        id={id}
        name={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        list={`${id}-options`}
        autoComplete="off"
        spellCheck={false}
        placeholder={state.status === "loading" ? `Loading ${what}… (or type a name)` : placeholder}
        aria-busy={state.status === "loading" || undefined}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={`${describedBy(id, !!hint)} ${id}-list`}
        className={`${inputClass} font-mono`}
      />
      <datalist id={`${id}-options`} data-testid={`${id}-options`}>
        {options.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
      <ListStatus id={id} state={state} what={what} empty={state.status === "ok" && options.length === 0} typeable />
    </Field>
  );
}

export function BranchSelect({
  repoAccountId,
  region,
  repositoryName,
  value,
  onChange,
  onDefault,
  errors,
}: {
  repoAccountId: string;
  region: string;
  repositoryName: string;
  value: string;
  onChange: (v: string) => void;
  /** Called with the repository's default branch once the list arrives. */
  onDefault?: (list: { branches: string[]; defaultBranch: string | null }) => void;
  errors?: string[];
}) {
  const repo = useDebounced(repositoryName.trim());
  const url =
    repoAccountId && repo
      ? `/api/accounts/${encodeURIComponent(repoAccountId)}/repositories/${encodeURIComponent(repo)}/branches?region=${encodeURIComponent(region)}`
      : null;
  const state = useRemoteList<{ branches: string[]; defaultBranch: string | null }>(url);
  const loaded = state.status === "ok" ? state.data : null;
  useEffect(() => {
    if (loaded && onDefault) onDefault(loaded);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per loaded list (`loaded` is a new object only when a list arrives); `onDefault` is a new closure at every render of the form
  }, [loaded]);
  return (
    <>
      <RemoteCombobox
        id="branchName"
        label="Branch"
        hint="A push to this branch starts the pipeline. Pick from the list or type the name."
        value={value}
        onChange={onChange}
        options={state.status === "ok" ? state.data.branches : []}
        state={repositoryName ? state : { status: "idle" }}
        what="branches"
        errors={errors}
        placeholder={repositoryName ? "Choose or type a branch" : "e.g. main"}
      />
    </>
  );
}

/** A radio or checkbox whose label is short (its accessible name) and whose explanation is its description. */
function Choice({
  id,
  type,
  name,
  value,
  checked,
  onChange,
  label,
  description,
}: {
  id: string;
  type: "radio" | "checkbox";
  name: string;
  value?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  description: ReactNode;
}) {
  return (
    <div className="flex items-start gap-2">
      <input
        type={type}
        id={id}
        name={name}
        value={value}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={`${id}-desc`}
        className="mt-1"
      />
      <div>
        <label htmlFor={id}>{label}</label>
        <p id={`${id}-desc`} className="text-xs text-slate-500 dark:text-slate-400">
          {description}
        </p>
      </div>
    </div>
  );
}

export function BuildStageFields({
  toolsAccountId,
  region,
  mode,
  onMode,
  createName,
  onCreateName,
  existingName,
  onExistingName,
  errors,
}: {
  toolsAccountId: string;
  region: string;
  mode: "create" | "existing";
  onMode: (m: "create" | "existing") => void;
  createName: string;
  onCreateName: (v: string) => void;
  existingName: string;
  onExistingName: (v: string) => void;
  errors: FieldErrors;
}) {
  const url =
    mode === "existing" && toolsAccountId
      ? `/api/accounts/${encodeURIComponent(toolsAccountId)}/build-projects?region=${encodeURIComponent(region)}`
      : null;
  const state = useRemoteList<{ projects: string[] }>(url);
  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-4 dark:border-slate-700">
      <legend className="px-1 text-sm font-medium text-slate-700 dark:text-slate-300">Build stage</legend>
      <div className="space-y-2 text-sm" role="radiogroup" aria-label="Build stage" aria-describedby="buildMode-error">
        <Choice
          id="buildMode-create"
          type="radio"
          name="buildMode"
          value="create"
          checked={mode === "create"}
          onChange={() => onMode("create")}
          label="Create a default CodeBuild project"
          description="Managed Amazon Linux image (aws/codebuild/amazonlinux-x86_64-standard:5.0), buildspec.yml read from the repository."
        />
        <Choice
          id="buildMode-existing"
          type="radio"
          name="buildMode"
          value="existing"
          checked={mode === "existing"}
          onChange={() => onMode("existing")}
          label="Use an existing project"
          description="A CodeBuild project in the tools account, in the pipeline's region, that an administrator of that account has tagged portal:managed-by = crossline-portal (your builds run as its service role)."
        />
      </div>
      <div id="buildMode-error" aria-live="polite">
        {errors.buildMode?.map((e) => (
          <p key={e} className="text-sm text-red-700 dark:text-red-300">
            {e}
          </p>
        ))}
      </div>
      {mode === "create" ? (
        <Field
          id="buildProject"
          label="CodeBuild project name"
          hint="Created in the tools account; defaults to <pipeline>-build."
          errors={errors.buildProject}
        >
          <input
            id="buildProject"
            name="buildProject"
            value={createName}
            onChange={(e) => onCreateName(e.target.value)}
            aria-invalid={invalidIf(errors, "buildProject")}
            aria-describedby={describedBy("buildProject", true)}
            className={`${inputClass} font-mono`}
          />
        </Field>
      ) : (
        <RemoteSelect
          id="buildProject"
          label="Existing CodeBuild project"
          value={existingName}
          onChange={onExistingName}
          options={state.status === "ok" ? state.data.projects : []}
          state={toolsAccountId ? state : { status: "idle" }}
          what="CodeBuild projects"
          errors={errors.buildProject}
          placeholder={toolsAccountId ? "Choose a project" : "Choose the tools account first"}
        />
      )}
    </fieldset>
  );
}

export function ApprovalField({ checked, onChange, errors }: { checked: boolean; onChange: (v: boolean) => void; errors?: string[] }) {
  return (
    <div className="text-sm">
      <Choice
        id="approval"
        type="checkbox"
        name="approval"
        checked={checked}
        onChange={onChange}
        label="Add a manual approval stage"
        description="After the source stage, the pipeline waits for someone to approve before it builds."
      />
      <div id="approval-error" aria-live="polite">
        {errors?.map((e) => (
          <p key={e} className="mt-1 text-sm text-red-700 dark:text-red-300">
            {e}
          </p>
        ))}
      </div>
    </div>
  );
}

export function PipelineTypeField({
  value,
  onChange,
  errors,
}: {
  value: "V1" | "V2";
  onChange: (v: "V1" | "V2") => void;
  errors?: string[];
}) {
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Pipeline type</legend>
      <div className="mt-1 space-y-2 text-sm" role="radiogroup" aria-label="Pipeline type" aria-describedby="pipelineType-error">
        <Choice
          id="pipelineType-V1"
          type="radio"
          name="pipelineType"
          value="V1"
          checked={value === "V1"}
          onChange={() => onChange("V1")}
          label="V1"
          description="Billed per active pipeline per month (first 30 days free)."
        />
        <Choice
          id="pipelineType-V2"
          type="radio"
          name="pipelineType"
          value="V2"
          checked={value === "V2"}
          onChange={() => onChange("V2")}
          label="V2"
          description="Billed per action execution minute; adds queued/parallel execution modes, variables and stage rollback."
        />
      </div>
      <div id="pipelineType-error" aria-live="polite">
        {errors?.map((e) => (
          <p key={e} className="mt-1 text-sm text-red-700 dark:text-red-300">
            {e}
          </p>
        ))}
      </div>
    </fieldset>
  );
}
