export type FieldErrors = Record<string, string[] | undefined>;

/** An error a person can act on, raised inside an action's handler (or a service it calls) and shown as is. */
export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
  }
}

/** A failure a run's step diagnosed itself, shown to the user as is. */
export class StepFailure extends Error {
  /** "propagation": AWS could not see a role the portal just created; retried while IAM catches up. */
  constructor(
    readonly code: string,
    message: string,
    readonly retry: "never" | "propagation" = "never",
  ) {
    super(message);
    this.name = "StepFailure";
  }
}
