import type { ActionResult } from "@/lib/actions/result";

/** A server action as a form posts to it through useActionState. */
export type FormAction<T = unknown> = (prev: unknown, form: FormData) => Promise<ActionResult<T>>;
