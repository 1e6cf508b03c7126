"use client";

import { startTransition, useActionState, type FormEvent } from "react";
import type { ActionResult } from "@/lib/actions/result";

export type CommandAction = (prev: unknown, form: FormData) => Promise<ActionResult<unknown>>;

/**
 * useFormAction's contract (submit through onSubmit so React does not reset what was typed after an error)
 * plus the clicked button's name/value, so one form can offer Approve and Reject, or two retry modes.
 */
export function useCommand(action: CommandAction) {
  const [state, dispatch, pending] = useActionState(action, undefined);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const data = new FormData(e.currentTarget, submitter && submitter.form === e.currentTarget ? submitter : null);
    startTransition(() => dispatch(data));
  };
  return { state, onSubmit, pending };
}
