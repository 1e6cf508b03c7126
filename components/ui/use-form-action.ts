"use client";

import { startTransition, useActionState, type FormEvent } from "react";
import type { ActionResult } from "@/lib/actions/result";

type Action<T> = (prev: unknown, form: FormData) => Promise<ActionResult<T>>;

/**
 * useActionState for a form submitted through onSubmit rather than `<form action>`: React resets a form
 * after an action submitted through `action`, which would wipe what the person typed when the server
 * answers with field errors.
 */
export function useFormAction<T>(action: Action<T>) {
  const [state, dispatch, pending] = useActionState(action, undefined);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  };
  return { state, onSubmit, pending };
}
