// Drift: verify an onboarding's resources against the desired state, on a paced schedule and on demand, and repair.
export { verifyOnboarding } from "./verify";
export { latestDrift, latestDriftStatuses } from "./store";
export { startRepair, verifyNow, repairOfRun } from "./service";
export { driftSchedulerTick, driftTickInBackground } from "./scheduler";
export type { DriftCheckView, DriftItem, DriftItemStatus, DriftStatus } from "./types";
