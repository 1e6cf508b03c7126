"use client";

import { useState } from "react";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionResult } from "@/lib/actions/result";
import { defaultCodeBuildProjectName } from "@/lib/names/derive";
import { FormStatus } from "@/components/ui/form-status";
import { NotificationsField } from "./notifications-field";
import { ApprovalField, BranchSelect, BuildStageFields, PipelineTypeField } from "./onboarding-fields";

export interface EditValues {
  id: string;
  toolsAccountId: string;
  repoAccountId: string;
  region: string;
  repositoryName: string;
  pipelineName: string;
  branchName: string;
  buildMode: "create" | "existing";
  buildProject: string;
  approval: boolean;
  notifications: boolean;
  notificationEmails: string[];
  pipelineType: "V1" | "V2";
}

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<unknown>>;

/** What may change after creation; the names that identify resources stay fixed. */
export function EditOnboardingForm({ action, initial }: { action: Action; initial: EditValues }) {
  const { state, onSubmit: submit, pending } = useFormAction(action);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const [branchName, setBranchName] = useState(initial.branchName);
  const [buildMode, setBuildMode] = useState(initial.buildMode);
  const [createName, setCreateName] = useState(
    initial.buildMode === "create" ? initial.buildProject : defaultCodeBuildProjectName(initial.pipelineName),
  );
  const [existingName, setExistingName] = useState(initial.buildMode === "existing" ? initial.buildProject : "");
  const [approval, setApproval] = useState(initial.approval);
  const [pipelineType, setPipelineType] = useState(initial.pipelineType);

  return (
    <form
      onSubmit={submit}
      className="space-y-6 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-700 dark:bg-slate-900"
      noValidate
    >
      <input type="hidden" name="id" value={initial.id} />
      <BranchSelect
        repoAccountId={initial.repoAccountId}
        region={initial.region}
        repositoryName={initial.repositoryName}
        value={branchName}
        onChange={setBranchName}
        errors={errors.branchName}
      />
      <BuildStageFields
        toolsAccountId={initial.toolsAccountId}
        region={initial.region}
        mode={buildMode}
        onMode={setBuildMode}
        createName={createName}
        onCreateName={setCreateName}
        existingName={existingName}
        onExistingName={setExistingName}
        errors={errors}
      />
      <ApprovalField checked={approval} onChange={setApproval} errors={errors.approval} />
      <NotificationsField initialEnabled={initial.notifications} initialEmails={initial.notificationEmails} errors={errors} />
      <PipelineTypeField value={pipelineType} onChange={setPipelineType} errors={errors.pipelineType} />
      <FormStatus state={state} />
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
      >
        {pending ? "Checking…" : "Save and show the plan"}
      </button>
    </form>
  );
}
