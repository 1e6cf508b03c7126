import "server-only";
import { randomUUID } from "node:crypto";
import { awsErrorInfo, parseFailureMessage } from "@/lib/core/aws-errors";
import { StepFailure } from "@/lib/core/errors";

export interface PlanError {
  title: string;
  message: string;
  code?: string;
  requestId?: string;
  errorId?: string;
}

/**
 * Why a plan could not be made, as something a person can act on. A step's own diagnosis (StepFailure) is
 * shown as is; an AWS refusal keeps AWS's message (it names the action and resource) and says where to fix
 * it; anything else is logged with an id and shown generically.
 */
export function planErrorOf(e: unknown): PlanError {
  if (e instanceof StepFailure) return { title: "The plan cannot be made as it stands", message: e.message, code: e.code };
  const info = awsErrorInfo(e);
  if (info.parseFailure)
    return {
      title: "AWS's answer could not be read",
      message: `${parseFailureMessage(info.message)} Nothing was written; reload the page to plan again.`,
      requestId: info.requestId,
    };
  const fromAws = !!(e as { $metadata?: unknown })?.$metadata || info.network;
  if (!fromAws) {
    const errorId = randomUUID().slice(0, 8);
    console.error(`[plan] error ${errorId}`, e);
    return {
      title: "The plan could not be made",
      message: `Something went wrong while reading the accounts (error id ${errorId}). Try again or report the id.`,
      errorId,
    };
  }
  if (info.network)
    return {
      title: "AWS could not be reached",
      message: `The portal could not reach AWS while reading the accounts (${info.message}). Try again in a moment.`,
      code: info.name,
    };
  if (/AccessDenied|not authorized|InvalidClientTokenId|ExpiredToken/i.test(`${info.name} ${info.message}`)) {
    const assume = /sts:AssumeRole/i.test(info.message);
    return {
      title: assume ? "The portal cannot assume an account's provisioning role" : "AWS denied a read the plan needs",
      message: `${info.message} — ${assume ? "Test the connection on the account page and fix the role's trust policy." : "Add the missing permission to the account's provisioning role (its account page shows the complete policy)."}`,
      code: info.name,
      requestId: info.requestId,
    };
  }
  return { title: "AWS answered a read the plan needs with an error", message: info.message, code: info.name, requestId: info.requestId };
}
