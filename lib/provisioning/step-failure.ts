// Moved to lib/core/errors.ts; kept for the step modules.
export { StepFailure } from "@/lib/core/errors";
