"use client";

import { useRef, useState } from "react";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionResult } from "@/lib/actions/result";
import { COMMERCIAL_REGIONS } from "@/lib/names/regions";
import { defaultCodeBuildProjectName, defaultPipelineName } from "@/lib/names/derive";
import { Field, describedBy, inputClass } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { NotificationsField } from "./notifications-field";
import {
  AccountWarning,
  ApprovalField,
  BranchSelect,
  BuildStageFields,
  PipelineTypeField,
  RemoteCombobox,
  invalidIf,
} from "./onboarding-fields";
import { useRemoteList } from "./use-remote-list";

export interface AccountOption {
  id: string;
  name: string;
  accountId: string;
  defaultRegion: string;
  /** Set when the account's last connection test failed or never ran (see connectionWarning). */
  warning: string | null;
}

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<unknown>>;

/** The onboarding form: every list comes from the accounts through their roles; the server validates again. */
export function OnboardingForm({
  action,
  toolsAccounts,
  repoAccounts,
}: {
  action: Action;
  toolsAccounts: AccountOption[];
  repoAccounts: AccountOption[];
}) {
  const { state, onSubmit: submit, pending } = useFormAction(action);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};

  const firstTools = toolsAccounts[0];
  const [toolsAccountId, setToolsAccountId] = useState(firstTools?.id ?? "");
  const [region, setRegion] = useState(firstTools?.defaultRegion ?? "us-east-1");
  const [repoAccountId, setRepoAccountId] = useState(
    (repoAccounts.find((a) => a.accountId !== firstTools?.accountId) ?? repoAccounts[0])?.id ?? "",
  );
  const [repositoryName, setRepositoryName] = useState("");
  const [branchName, setBranchName] = useState("");
  const [pipelineEdited, setPipelineEdited] = useState<string | null>(null);
  const [buildMode, setBuildMode] = useState<"create" | "existing">("create");
  const [projectEdited, setProjectEdited] = useState<string | null>(null);
  const [existingProject, setExistingProject] = useState("");
  const [approval, setApproval] = useState(false);
  // V2 is what the AWS console proposes for new pipelines; existing V1 onboardings keep V1 (the edit form).
  const [pipelineType, setPipelineType] = useState<"V1" | "V2">("V2");
  // Whether the branch was filled in from the repository's default (then it follows the repository) or typed.
  const branchAuto = useRef(true);

  // Derived names follow the repository and branch until the person types their own.
  const pipelineName = pipelineEdited ?? (repositoryName && branchName ? defaultPipelineName(repositoryName, branchName) : "");
  const createProject = projectEdited ?? (pipelineName ? defaultCodeBuildProjectName(pipelineName) : "");

  const reposUrl = repoAccountId
    ? `/api/accounts/${encodeURIComponent(repoAccountId)}/repositories?region=${encodeURIComponent(region)}`
    : null;
  const repos = useRemoteList<{ repositories: string[] }>(reposUrl);
  const repoOptions = repos.status === "ok" ? repos.data.repositories : [];

  const chooseTools = (id: string) => {
    setToolsAccountId(id);
    const a = toolsAccounts.find((x) => x.id === id);
    if (a) setRegion(a.defaultRegion);
  };
  const chooseRepoAccount = (id: string) => {
    setRepoAccountId(id);
    setRepositoryName("");
    setBranchName("");
  };
  const chooseRegion = (r: string) => {
    setRegion(r);
    setRepositoryName("");
    setBranchName("");
  };
  const chooseRepository = (r: string) => {
    setRepositoryName(r);
    if (branchAuto.current) setBranchName("");
  };
  const typeBranch = (b: string) => {
    branchAuto.current = b === "";
    setBranchName(b);
  };
  const tools = toolsAccounts.find((a) => a.id === toolsAccountId);
  const repoAccount = repoAccounts.find((a) => a.id === repoAccountId);
  // Option text stays "name (id)" (what people and tests pick by); the warning shows under the select.
  const option = (a: AccountOption) => `${a.name} (${a.accountId})`;

  return (
    <form
      onSubmit={submit}
      className="space-y-6 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-700 dark:bg-slate-900"
      noValidate
    >
      <section className="grid gap-5 sm:grid-cols-2" aria-label="Accounts and region">
        <Field
          id="toolsAccountId"
          label="Tools account"
          hint="Hosts the pipeline, its artifact bucket and KMS key."
          errors={errors.toolsAccountId}
        >
          <select
            id="toolsAccountId"
            name="toolsAccountId"
            value={toolsAccountId}
            onChange={(e) => chooseTools(e.target.value)}
            aria-invalid={invalidIf(errors, "toolsAccountId")}
            aria-describedby={`${describedBy("toolsAccountId", true)} toolsAccountId-warning`}
            className={inputClass}
          >
            {toolsAccounts.length === 0 && <option value="">No tools account registered</option>}
            {toolsAccounts.map((a) => (
              <option key={a.id} value={a.id}>
                {option(a)}
              </option>
            ))}
          </select>
          <AccountWarning id="toolsAccountId" account={tools} />
        </Field>
        <Field id="region" label="Region" hint="Pipeline, bucket, key and repository share one region." errors={errors.region}>
          <select
            id="region"
            name="region"
            value={region}
            onChange={(e) => chooseRegion(e.target.value)}
            aria-invalid={invalidIf(errors, "region")}
            aria-describedby={describedBy("region", true)}
            className={inputClass}
          >
            {COMMERCIAL_REGIONS.map((r) => (
              <option key={r.id} value={r.id}>
                {r.id} — {r.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="repoAccountId" label="Repo account" hint="Hosts the CodeCommit repository." errors={errors.repoAccountId}>
          <select
            id="repoAccountId"
            name="repoAccountId"
            value={repoAccountId}
            onChange={(e) => chooseRepoAccount(e.target.value)}
            aria-invalid={invalidIf(errors, "repoAccountId")}
            aria-describedby={`${describedBy("repoAccountId", true)} repoAccountId-warning`}
            className={inputClass}
          >
            {repoAccounts.length === 0 && <option value="">No repo account registered</option>}
            {repoAccounts.map((a) => (
              <option key={a.id} value={a.id}>
                {option(a)}
              </option>
            ))}
          </select>
          <AccountWarning id="repoAccountId" account={repoAccount} />
        </Field>
      </section>

      <section className="grid gap-5 sm:grid-cols-2" aria-label="Source">
        <RemoteCombobox
          id="repositoryName"
          label="Repository"
          hint="Pick from the list or type the name."
          value={repositoryName}
          onChange={chooseRepository}
          options={repoOptions}
          state={repos}
          what="repositories"
          errors={errors.repositoryName}
          placeholder={repoAccountId ? "Choose or type a repository" : "Choose the repo account first"}
        />
        <BranchSelect
          repoAccountId={repoAccountId}
          region={region}
          repositoryName={repositoryName}
          value={branchName}
          onChange={typeBranch}
          onDefault={(l) => {
            if (!branchAuto.current) return;
            setBranchName((b) => (b && l.branches.includes(b) ? b : (l.defaultBranch ?? l.branches[0] ?? "")));
          }}
          errors={errors.branchName}
        />
      </section>

      <Field
        id="pipelineName"
        label="Pipeline name"
        hint={
          <>
            1–100 characters: letters, digits, <code>.</code> <code>@</code> <code>-</code> <code>_</code>. Defaults to
            &lt;repository&gt;-&lt;branch&gt;.
          </>
        }
        errors={errors.pipelineName}
      >
        <input
          id="pipelineName"
          name="pipelineName"
          value={pipelineName}
          onChange={(e) => setPipelineEdited(e.target.value)}
          aria-invalid={invalidIf(errors, "pipelineName")}
          aria-describedby={describedBy("pipelineName", true)}
          className={`${inputClass} font-mono`}
          autoComplete="off"
        />
      </Field>

      <BuildStageFields
        toolsAccountId={toolsAccountId}
        region={region}
        mode={buildMode}
        onMode={setBuildMode}
        createName={createProject}
        onCreateName={setProjectEdited}
        existingName={existingProject}
        onExistingName={setExistingProject}
        errors={errors}
      />

      <ApprovalField checked={approval} onChange={setApproval} errors={errors.approval} />
      <NotificationsField errors={errors} />
      <PipelineTypeField value={pipelineType} onChange={setPipelineType} errors={errors.pipelineType} />

      <FormStatus state={state} />
      <div className="flex items-center gap-3">
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          {pending ? "Checking both accounts…" : "Create onboarding and show the plan"}
        </button>
        <p className="text-xs text-slate-500 dark:text-slate-400">Nothing is created in AWS until you apply the plan.</p>
      </div>
    </form>
  );
}
