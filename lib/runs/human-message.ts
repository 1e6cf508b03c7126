import { parseFailureMessage } from "@/lib/core/aws-errors";
import type { ClassifiedError } from "./classify";
import type { StepDefinition } from "./types";

export interface StepAccountInfo {
  accountId: string;
  roleArn: string;
  name: string;
}

/**
 * The message shown on a failed step: which account, which permission, which resource, what to do. AWS's
 * own message is kept (it names the action and the resource); the portal adds where to fix it.
 */
export function humanMessage(step: StepDefinition, c: ClassifiedError, account: StepAccountInfo): string {
  const where = `${step.title} in ${account.name} (${account.accountId})`;
  if (c.source === "step") return `${where}: ${c.message}`;
  if (c.parseFailure) return `${where}: ${parseFailureMessage(c.message)} Steps that succeeded keep their results; resume to try again.`;
  if (/AccessDenied|UnauthorizedOperation|not authorized/i.test(`${c.code} ${c.message}`)) {
    return `${where}: AWS denied the provisioning role ${account.roleArn}. ${c.message} — Add the missing permission to that role (the account page shows the complete permission policy), then resume.`;
  }
  if (c.kind === "propagation") {
    return `${where}: AWS still could not see a newly created role after waiting. ${c.message} — This usually heals within minutes; resume to try again.`;
  }
  if (c.kind === "retryable") {
    return `${where}: AWS kept failing or throttling (${c.code}). ${c.message} — Resume to try again.`;
  }
  return `${where}: ${c.message}`;
}
