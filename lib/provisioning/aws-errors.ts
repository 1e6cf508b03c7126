// Moved to lib/core/aws-errors.ts; kept for the step modules (lib/provisioning/steps, lib/teardown/steps).
export { isAwsError, readOrNull, deleteUnlessGone } from "@/lib/core/aws-errors";
