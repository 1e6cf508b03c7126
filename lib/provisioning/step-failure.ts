/** A failure the step itself diagnosed, shown to the user as is. */
export class StepFailure extends Error {
  /** "propagation": AWS could not see a role the portal just created; retried while IAM catches up. */
  constructor(readonly code: string, message: string, readonly retry: "never" | "propagation" = "never") {
    super(message);
    this.name = "StepFailure";
  }
}
