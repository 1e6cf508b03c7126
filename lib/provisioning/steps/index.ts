import type { OnboardingSpec } from "@/lib/policies/types";
import type { StepDefinition } from "@/lib/runs/types";
import { kmsKeyStep } from "./kms-key";
import { bucketStep } from "./bucket";
import { codeBuildRoleStep, crossAccountRoleStep, forwardPushRoleStep, pipelineRoleStep, startOnPushRoleStep } from "./roles";
import { codeBuildProjectStep } from "./codebuild-project";
import { bucketPolicyStep, keyPolicyStep } from "./shared-policy";
import { eventBusPermissionStep } from "./event-bus-permission";
import { forwardPushRuleStep, startOnPushRuleStep } from "./event-rule";
import { pipelineStep } from "./pipeline";
import { retireUnusedStep } from "./retire-unused";
import { notificationRuleStep, notificationTopicStep } from "./notifications";

/** Every step, in the order a person would follow docs/aws-domain.md#the-cross-account-procedure; dependsOn lets independent steps run together. */
export const ALL_STEPS: StepDefinition[] = [
  eventBusPermissionStep,
  kmsKeyStep,
  bucketStep,
  pipelineRoleStep,
  codeBuildRoleStep,
  codeBuildProjectStep,
  crossAccountRoleStep,
  keyPolicyStep,
  bucketPolicyStep,
  forwardPushRoleStep,
  startOnPushRoleStep,
  pipelineStep,
  startOnPushRuleStep,
  forwardPushRuleStep,
  notificationTopicStep,
  notificationRuleStep,
  retireUnusedStep,
];

export function stepsFor(spec: OnboardingSpec): StepDefinition[] {
  return ALL_STEPS.filter((s) => !s.enabled || s.enabled(spec));
}

export function stepByKey(key: string): StepDefinition {
  const s = ALL_STEPS.find((x) => x.key === key);
  if (!s) throw new Error(`Unknown step ${key}`);
  return s;
}
