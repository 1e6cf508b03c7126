"use client";

import { useEffect, useRef } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { useReportCommand } from "./command-feedback";
import { useCommand, type CommandAction } from "./use-command";

const primary = "rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60";
const secondary = "rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 disabled:opacity-60 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800";
const danger = "rounded bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-60";

/**
 * The outcome of a command next to its form, announced to screen readers. Inside a CommandFeedbackProvider
 * only errors show here (successes go to the page's banner, which outlives this form).
 */
export function CommandStatus({ state, testId }: { state: ActionResult<unknown> | undefined; testId: string }) {
  const banner = useReportCommand() !== null;
  const warning = state?.ok && (state.data as { warning?: boolean } | undefined)?.warning;
  const text = state ? (state.ok ? (banner ? undefined : state.message) : state.error) : undefined;
  return (
    <p
      role="status"
      aria-live="polite"
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
  const { state, onSubmit, pending } = useCommand(action);
  const v2 = pipelineType === "V2";
  const commitErrors = errorsOf(state, "commitId");
  return (
    <form onSubmit={onSubmit} className="space-y-2" data-testid="start-form">
      <input type="hidden" name="id" value={onboardingId} />
      <Field
        id="start-commit"
        label="Source revision (optional)"
        hint={v2 ? "A commit id to build instead of the branch's latest commit." : "A revision override needs a V2 pipeline; this one is V1, so it builds the branch's latest commit."}
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
        <button type="submit" disabled={pending} className={primary}>{pending ? "Starting…" : "Start execution"}</button>
        <CommandStatus state={state} testId="start-status" />
      </div>
    </form>
  );
}

export function StopForm({ action, onboardingId, executionId, stopping }: { action: CommandAction; onboardingId: string; executionId: string; stopping: boolean }) {
  const { state, onSubmit, pending } = useCommand(action);
  const reasonErrors = errorsOf(state, "reason");
  const idSuffix = executionId.slice(0, 8);
  return (
    <form onSubmit={onSubmit} className="space-y-2" data-testid="stop-form">
      <input type="hidden" name="id" value={onboardingId} />
      <input type="hidden" name="executionId" value={executionId} />
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">How to stop execution <span className="font-mono">{idSuffix}</span></legend>
        <div className="mt-1 space-y-1 text-sm">
          <label className="flex items-start gap-2">
            <input type="radio" name="mode" value="wait" defaultChecked={!stopping} disabled={stopping} className="mt-1" />
            <span><span className="font-medium">Stop and wait</span> <span className="text-slate-500 dark:text-slate-400">— running actions finish, nothing new starts.</span></span>
          </label>
          <label className="flex items-start gap-2">
            <input type="radio" name="mode" value="abandon" defaultChecked={stopping} className="mt-1" />
            <span><span className="font-medium">Stop and abandon</span> <span className="text-slate-500 dark:text-slate-400">— running actions are abandoned now (a build is stopped).</span></span>
          </label>
        </div>
      </fieldset>
      <Field id={`stop-reason-${idSuffix}`} label="Reason (recorded with the execution)" errors={reasonErrors}>
        <input id={`stop-reason-${idSuffix}`} name="reason" maxLength={200} autoComplete="off" aria-invalid={reasonErrors ? true : undefined} aria-describedby={describedBy(`stop-reason-${idSuffix}`, false)} className={inputClass} />
      </Field>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending} className={danger}>{pending ? "Stopping…" : "Stop execution"}</button>
        <CommandStatus state={state} testId="stop-status" />
      </div>
    </form>
  );
}

export function RetryForm({ action, onboardingId, executionId, stageName }: { action: CommandAction; onboardingId: string; executionId: string; stageName: string }) {
  const { state, onSubmit, pending } = useCommand(action);
  return (
    <form onSubmit={onSubmit} className="space-y-1" data-testid={`retry-form-${stageName}`}>
      <input type="hidden" name="id" value={onboardingId} />
      <input type="hidden" name="executionId" value={executionId} />
      <input type="hidden" name="stageName" value={stageName} />
      <div className="flex flex-wrap gap-2">
        <button type="submit" name="mode" value="FAILED_ACTIONS" disabled={pending} className={primary}>Retry failed actions</button>
        <button type="submit" name="mode" value="ALL_ACTIONS" disabled={pending} className={secondary}>Retry all actions</button>
      </div>
      <CommandStatus state={state} testId={`retry-status-${stageName}`} />
    </form>
  );
}

export function ApprovalForm({ action, onboardingId, stageName, actionName, token }: { action: CommandAction; onboardingId: string; stageName: string; actionName: string; token: string }) {
  const { state, onSubmit, pending } = useCommand(action);
  const commentErrors = errorsOf(state, "comment");
  const id = `approval-comment-${stageName}-${actionName}`;
  return (
    <form onSubmit={onSubmit} className="space-y-2" data-testid={`approval-form-${stageName}-${actionName}`}>
      <input type="hidden" name="id" value={onboardingId} />
      <input type="hidden" name="stageName" value={stageName} />
      <input type="hidden" name="actionName" value={actionName} />
      <input type="hidden" name="token" value={token} />
      <Field id={id} label="Comment" hint="Recorded with the approval (required to reject)." errors={commentErrors}>
        <textarea id={id} name="comment" rows={2} maxLength={512} aria-invalid={commentErrors ? true : undefined} aria-describedby={describedBy(id, true)} className={inputClass} />
      </Field>
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" name="decision" value="Approved" disabled={pending} className="rounded bg-emerald-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-800 disabled:opacity-60">Approve</button>
        <button type="submit" name="decision" value="Rejected" disabled={pending} className={danger}>Reject</button>
      </div>
      <CommandStatus state={state} testId="approval-status" />
    </form>
  );
}

export function PushForm({ action, onboardingId, target }: { action: CommandAction; onboardingId: string; target: string }) {
  const { state, onSubmit, pending } = useCommand(action);
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
        <button type="submit" disabled={pending} className={secondary}>{pending ? "Pushing…" : "Simulate push"}</button>
        <CommandStatus state={state} testId="push-status" />
      </div>
    </form>
  );
}
