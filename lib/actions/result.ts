import type { FieldErrors } from "@/lib/core/errors";

export type ActionResult<T = undefined> =
  { ok: true; data: T; message?: string } | { ok: false; error: string; fieldErrors?: FieldErrors; errorId?: string };

export const initialActionState = { ok: false, error: "" } as ActionResult<never>;
