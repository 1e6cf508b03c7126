export type FieldErrors = Record<string, string[] | undefined>;

export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | { ok: false; error: string; fieldErrors?: FieldErrors; errorId?: string };

export const initialActionState = { ok: false, error: "" } as ActionResult<never>;

/** An error a person can act on, raised inside an action's handler and shown as is. */
export class UserFacingError extends Error {
  constructor(message: string, readonly fieldErrors?: FieldErrors) {
    super(message);
  }
}
