/**
 * Reads, for one ledger row, whether the resource exists in AWS and whether it is still this onboarding's own
 * (./ownership.ts): the name resolves to the recorded ARN and the tags name this onboarding. Writes nothing. The
 * destroy steps call it in the plan (so the offboard page shows what is kept and why) and again right before
 * deleting. Each kind's read lives in its module (lib/resources/<kind>.ts).
 */
export { inspectRecorded as inspect } from "@/lib/resources/lifecycle";
export { inspectBucket } from "@/lib/resources/s3-bucket";
export type { Inspection } from "@/lib/resources/types";
