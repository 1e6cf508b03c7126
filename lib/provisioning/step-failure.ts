/** A failure the step itself diagnosed: not retried, shown to the user as is. */
export class StepFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = "StepFailure";
  }
}
