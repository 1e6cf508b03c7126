"use client";

import { startTransition, useActionState, type FormEvent } from "react";
import { useReportCommand } from "./command-feedback";
import type { ActionResult } from "@/lib/actions/result";

export type CommandAction = (prev: unknown, form: FormData) => Promise<ActionResult<unknown>>;

const field = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" && v ? v : undefined;
};

/**
 * useFormAction's contract (submit through onSubmit so React does not reset what was typed after an error)
 * plus the clicked button's name/value, so one form can offer Approve and Reject, or two retry modes.
 * Every answer, success or error, is reported to the page's CommandFeedbackProvider (when there is one) under
 * `command` and the execution (and stage) the form acted on.
 */
export function useCommand(action: CommandAction, command: string) {
  const report = useReportCommand();
  // Reported as soon as the server answers: the same answer may re-render the page without this form.
  const [state, dispatch, pending] = useActionState(async (prev: unknown, form: FormData) => {
    const result = await action(prev, form);
    report?.(command, { executionId: field(form, "executionId"), stageName: field(form, "stageName") }, result);
    return result;
  }, undefined);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const data = new FormData(e.currentTarget, submitter && submitter.form === e.currentTarget ? submitter : null);
    startTransition(() => dispatch(data));
  };
  return { state, onSubmit, pending };
}
