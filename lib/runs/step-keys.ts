/**
 * Every step key a run may hold. Runs in the database name their steps by these keys (RunStep.stepKey): never rename
 * one. lib/runs/catalogues.test.ts checks that each registered catalogue's steps are exactly these.
 */
export const APPLY_STEP_KEYS = [
  "tools.event-bus-permission",
  "tools.kms-key",
  "tools.bucket",
  "tools.pipeline-role",
  "tools.codebuild-role",
  "tools.codebuild-project",
  "repo.cross-account-role",
  "tools.key-policy",
  "tools.bucket-policy",
  "repo.forward-push-role",
  "tools.start-on-push-role",
  "tools.pipeline",
  "tools.start-on-push-rule",
  "repo.forward-push-rule",
  "tools.notifications-topic",
  "tools.notifications-rule",
  "tools.retire-unused",
] as const;

export const DESTROY_STEP_KEYS = [
  "destroy.tools.notifications",
  "destroy.tools.start-on-push-rule",
  "destroy.repo.forward-push-rule",
  "destroy.tools.pipeline",
  "destroy.tools.codebuild-project",
  "destroy.tools.roles",
  "destroy.repo.roles",
  "destroy.tools.key-policy",
  "destroy.tools.event-bus-permission",
  "destroy.tools.bucket",
  "destroy.tools.kms-key",
] as const;

export type ApplyStepKey = (typeof APPLY_STEP_KEYS)[number];
export type DestroyStepKey = (typeof DESTROY_STEP_KEYS)[number];
export type StepKey = ApplyStepKey | DestroyStepKey;

const ALL = new Set<string>([...APPLY_STEP_KEYS, ...DESTROY_STEP_KEYS]);

export function isStepKey(key: string): key is StepKey {
  return ALL.has(key);
}
