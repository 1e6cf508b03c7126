import type { DestroyStep } from "./common";
import { destroyForwardPushRuleStep, destroyStartOnPushRuleStep } from "./rules";
import { destroyPipelineStep } from "./pipeline";
import { destroyProjectStep } from "./project";
import { destroyRepoRolesStep, destroyToolsRolesStep } from "./roles";
import { destroyBusPermissionStep, destroyKeyStatementsStep } from "./shared-statements";
import { destroyBucketStep } from "./bucket";
import { destroyKeyStep } from "./kms-key";
import { destroyNotificationsStep } from "./notifications";

/** The teardown order of docs/aws-domain.md#teardown-order: rules, pipeline, project, roles, shared statements, then bucket and key per the options. */
export const DESTROY_STEPS: DestroyStep[] = [
  destroyNotificationsStep,
  destroyStartOnPushRuleStep,
  destroyForwardPushRuleStep,
  destroyPipelineStep,
  destroyProjectStep,
  destroyToolsRolesStep,
  destroyRepoRolesStep,
  destroyKeyStatementsStep,
  destroyBusPermissionStep,
  destroyBucketStep,
  destroyKeyStep,
];
