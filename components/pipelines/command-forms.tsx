"use client";

import { useEffect, useRef, useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { ActionResult } from "@/lib/actions/result";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { useReportCommand } from "./command-feedback";
import { useCommand, type CommandAction } from "./use-command";

const primary = "rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60";
const secondary =
  "rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 disabled:opacity-60 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800";
const danger = "rounded bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-60";

/**
 * The outcome of a command next to its form. Inside a CommandFeedbackProvider the page's feedback list announces
 * every outcome (aria-live), so here only the error is repeated, visually, next to the form that caused it; the
 * latest answer replaces the previous one (a success clears an older error).
 */
export function CommandStatus({ state, testId }: { state: ActionResult<unknown> | undefined; testId: string }) {
  const banner = useReportCommand() !== null;
  const warning = state?.ok && (state.data as { warning?: boolean } | undefined)?.warning;
  const text = state ? (state.ok ? (banner ? undefined : state.message) : state.error) : undefined;
  return (
    <p
      role={banner ? undefined : "status"}
      aria-live={banner ? undefined : "polite"}
      data-testid={testId}
      data-outcome={state ? (state.ok ? (warning ? "warning" : "ok") : "error") : undefined}
      className={`min-h-5 text-sm ${!state ? "" : !state.ok ? "text-red-700 dark:text-red-300" : warning ? "text-amber-800 dark:text-amber-200" : "text-emerald-700 dark:text-emerald-300"}`}
    >
      {text}
    </p>
  );
}

const errorsOf = (state: ActionResult<unknown> | undefined, field: string) => (state && !state.ok ? state.fieldErrors?.[field] : undefined);

export function StartForm({ action, onboardingId, pipelineType }: { action: CommandAction; onboardingId: string; pipelineType: string }) {
  const { state, onSubmit, pending } = useCommand(action, "start");
  const v2 = pipelineType === "V2";
  const commitErrors = errorsOf(state, "commitId");
  return (
    <form onSubmit={onSubmit} className="space-y-2" data-testid="start-form">
      <input type="hidden" name="id" value={onboardingId} />
      <Field
        id="start-commit"
        label="Source revision (optional)"
        hint={
          v2
            ? "A commit id to build instead of the branch's latest commit."
            : "A revision override needs a V2 pipeline; this one is V1, so it builds the branch's latest commit."
        }
        errors={commitErrors}
      >
        <input
          id="start-commit"
          name="commitId"
          disabled={!v2}
          placeholder={v2 ? "e.g. 3f2a9c1" : "latest commit of the branch"}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={commitErrors ? true : undefined}
          aria-describedby={describedBy("start-commit", true)}
          className={`${inputClass} font-mono disabled:bg-slate-100 disabled:text-slate-500`}
        />
      </Field>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending} className={primary}>
          {pending ? "Starting…" : "Start execution"}
        </button>
        <CommandStatus state={state} testId="start-status" />
      </div>
    </form>
  );
}

export interface RevisionRef {
  commitId?: string;
  message?: string;
}

/** "revision 1234567 “Fix typo”", or nothing when the execution has no source revision yet. */
function revisionText(r: RevisionRef | undefined): string {
  if (!r?.commitId) return "";
  return ` (revision ${r.commitId.slice(0, 7)}${r.message ? ` “${r.message.length > 60 ? `${r.message.slice(0, 59)}…` : r.message}”` : ""})`;
}

/**
 * Stop one in-progress execution (any of them, not only the latest): a button opens a confirmation that
 * names the execution and its revision, with the stop mode and a reason.
 */
export function StopForm({
  action,
  onboardingId,
  pipelineName,
  executionId,
  stopping,
  revision,
  compact = false,
}: {
  action: CommandAction;
  onboardingId: string;
  pipelineName: string;
  executionId: string;
  stopping: boolean;
  revision?: RevisionRef;
  compact?: boolean;
}) {
  const { state, onSubmit, pending } = useCommand(action, "stop");
  const [mode, setMode] = useState<"wait" | "abandon">(stopping ? "abandon" : "wait");
  const reasonErrors = errorsOf(state, "reason");
  const idSuffix = executionId.slice(0, 8);
  const fieldId = `stop-reason-${idSuffix}${compact ? "-row" : ""}`;
  return (
    <form onSubmit={onSubmit} className="space-y-2" data-testid={compact ? `stop-form-${executionId}` : "stop-form"}>
      <input type="hidden" name="id" value={onboardingId} />
      <input type="hidden" name="executionId" value={executionId} />
      <div className="flex flex-wrap items-center gap-3">
        <ConfirmDialog
          triggerLabel={pending ? "Stopping…" : compact ? "Stop…" : "Stop execution…"}
          triggerClassName={
            compact
              ? "rounded border border-red-300 bg-white px-2 py-0.5 text-xs font-medium text-red-800 hover:bg-red-50 disabled:opacity-60 dark:border-red-700 dark:bg-slate-900 dark:text-red-200 dark:hover:bg-red-900"
              : danger
          }
          triggerTestId={compact ? `stop-row-${executionId}` : "stop-open"}
          disabled={pending}
          title={`Stop execution ${idSuffix}?`}
          confirmLabel={mode === "abandon" ? "Stop and abandon" : "Stop and wait"}
          testId="stop-dialog"
        >
          <p data-testid="stop-dialog-summary">
            {mode === "abandon" ? "Stop and abandon" : "Stop and wait for"} execution <span className="font-mono">{idSuffix}</span>
            {revisionText(revision)} of {pipelineName}:{" "}
            {mode === "abandon"
              ? "running actions are abandoned now (a running build is stopped) and the execution ends as Stopped. This cannot be undone."
              : "running actions finish, nothing new starts, then the execution ends as Stopped."}
          </p>
          <fieldset>
            <legend className="text-sm font-medium">How to stop</legend>
            <div className="mt-1 space-y-1">
              <label className="flex items-start gap-2">
                <input
                  type="radio"
                  name="mode"
                  value="wait"
                  checked={mode === "wait"}
                  onChange={() => setMode("wait")}
                  disabled={stopping}
                  className="mt-1"
                />
                <span>
                  <span className="font-medium">Stop and wait</span> — running actions finish, nothing new starts.
                </span>
              </label>
              <label className="flex items-start gap-2">
                <input
                  type="radio"
                  name="mode"
                  value="abandon"
                  checked={mode === "abandon"}
                  onChange={() => setMode("abandon")}
                  className="mt-1"
                />
                <span>
                  <span className="font-medium">Stop and abandon</span> — running actions are abandoned now (a build is stopped).
                </span>
              </label>
            </div>
          </fieldset>
          <Field id={fieldId} label="Reason (recorded with the execution)" errors={reasonErrors}>
            <input
              id={fieldId}
              name="reason"
              maxLength={200}
              autoComplete="off"
              aria-invalid={reasonErrors ? true : undefined}
              aria-describedby={describedBy(fieldId, false)}
              className={inputClass}
            />
          </Field>
        </ConfirmDialog>
        <CommandStatus state={state} testId={compact ? `stop-status-${executionId}` : "stop-status"} />
      </div>
    </form>
  );
}

export function RetryForm({
  action,
  onboardingId,
  executionId,
  stageName,
  revision,
}: {
  action: CommandAction;
  onboardingId: string;
  executionId: string;
  stageName: string;
  revision?: RevisionRef;
}) {
  const { state, onSubmit, pending } = useCommand(action, "retry");
  const what = (
    <>
      execution <span className="font-mono">{executionId.slice(0, 8)}</span>
      {revisionText(revision)}
    </>
  );
  return (
    <form onSubmit={onSubmit} className="space-y-1" data-testid={`retry-form-${stageName}`}>
      <input type="hidden" name="id" value={onboardingId} />
      <input type="hidden" name="executionId" value={executionId} />
      <input type="hidden" name="stageName" value={stageName} />
      <div className="flex flex-wrap gap-2">
        <ConfirmDialog
          triggerLabel="Retry failed actions…"
          triggerClassName={primary}
          disabled={pending}
          title={`Retry the failed actions of ${stageName}?`}
          confirmLabel="Retry failed actions"
          confirmName="mode"
          confirmValue="FAILED_ACTIONS"
          tone="primary"
          testId={`retry-dialog-${stageName}-failed`}
        >
          <p>
            Runs the failed and abandoned actions of stage {stageName} of {what} again, with the roles and policies as they are now; the
            execution then continues with the next stages.
          </p>
        </ConfirmDialog>
        <ConfirmDialog
          triggerLabel="Retry all actions…"
          triggerClassName={secondary}
          disabled={pending}
          title={`Retry every action of ${stageName}?`}
          confirmLabel="Retry all actions"
          confirmName="mode"
          confirmValue="ALL_ACTIONS"
          tone="primary"
          testId={`retry-dialog-${stageName}-all`}
        >
          <p>
            Runs every action of stage {stageName} of {what} again, including those that succeeded; the execution then continues with the
            next stages.
          </p>
        </ConfirmDialog>
      </div>
      <CommandStatus state={state} testId={`retry-status-${stageName}`} />
    </form>
  );
}

export function ApprovalForm({
  action,
  onboardingId,
  stageName,
  actionName,
  executionId,
  revision,
  token,
}: {
  action: CommandAction;
  onboardingId: string;
  stageName: string;
  actionName: string;
  executionId: string;
  revision?: RevisionRef;
  token: string;
}) {
  const { state, onSubmit, pending } = useCommand(action, "approve");
  const commentErrors = errorsOf(state, "comment");
  const id = `approval-comment-${stageName}-${actionName}-${executionId.slice(0, 8)}`;
  return (
    <form onSubmit={onSubmit} className="space-y-2" data-testid={`approval-form-${stageName}-${actionName}`}>
      <input type="hidden" name="id" value={onboardingId} />
      <input type="hidden" name="stageName" value={stageName} />
      <input type="hidden" name="actionName" value={actionName} />
      <input type="hidden" name="executionId" value={executionId} />
      <input type="hidden" name="token" value={token} />
      <Field id={id} label="Comment" hint="Recorded with the approval (required to reject)." errors={commentErrors}>
        <textarea
          id={id}
          name="comment"
          rows={2}
          maxLength={512}
          aria-invalid={commentErrors ? true : undefined}
          aria-describedby={describedBy(id, true)}
          className={inputClass}
        />
      </Field>
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="submit"
          name="decision"
          value="Approved"
          disabled={pending}
          className="rounded bg-emerald-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-800 disabled:opacity-60"
        >
          Approve
        </button>
        <ConfirmDialog
          triggerLabel="Reject…"
          triggerClassName={danger}
          disabled={pending}
          title={`Reject execution ${executionId.slice(0, 8)}?`}
          confirmLabel="Reject"
          confirmName="decision"
          confirmValue="Rejected"
          testId="reject-dialog"
        >
          <p>
            Rejects {stageName} / {actionName} of execution <span className="font-mono">{executionId.slice(0, 8)}</span>
            {revisionText(revision)}: the stage fails, the execution ends as Failed and its revision is not built. Your comment is recorded
            with the rejection.
          </p>
        </ConfirmDialog>
      </div>
      <CommandStatus state={state} testId="approval-status" />
    </form>
  );
}

export function PushForm({ action, onboardingId, target }: { action: CommandAction; onboardingId: string; target: string }) {
  const { state, onSubmit, pending } = useCommand(action, "push");
  const messageErrors = errorsOf(state, "message");
  const input = useRef<HTMLInputElement>(null);
  // After a successful push the field is cleared for the next one (what was typed stays after an error).
  useEffect(() => {
    if (state?.ok && input.current) input.current.value = "";
  }, [state]);
  return (
    <form onSubmit={onSubmit} className="space-y-2" data-testid="push-form">
      <input type="hidden" name="id" value={onboardingId} />
      <Field id="push-message" label={`Commit message for ${target}`} hint="Include [fail] to make the build fail." errors={messageErrors}>
        <input
          ref={input}
          id="push-message"
          name="message"
          maxLength={500}
          placeholder="Simulated change from the portal"
          autoComplete="off"
          aria-invalid={messageErrors ? true : undefined}
          aria-describedby={describedBy("push-message", true)}
          className={inputClass}
        />
      </Field>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending} className={secondary}>
          {pending ? "Pushing…" : "Simulate push"}
        </button>
        <CommandStatus state={state} testId="push-status" />
      </div>
    </form>
  );
}
