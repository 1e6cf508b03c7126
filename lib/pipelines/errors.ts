/**
 * AWS's refusals of pipeline reads and commands, as sentences a person can act on. Pure (no I/O): the command
 * and the account it ran in come in, the message goes out; unknown errors return null (the caller logs them
 * with an id and shows a generic message).
 */
import { awsErrorInfo } from "@/lib/core/aws-errors";
import type { PlainError } from "./types";

export interface ErrorContext {
  /** The IAM action the command needed, e.g. codepipeline:StartPipelineExecution. */
  iamAction: string;
  pipelineName: string;
  region: string;
  stageName?: string;
  executionId?: string;
  /** The account whose provisioning role made the call. */
  account: { name: string; accountId: string; roleArn: string };
}

const short = (id: string | undefined) => (id ? id.slice(0, 8) : "");

/** The IAM action named in an AccessDenied message ("…is not authorized to perform: X on resource: Y…"). */
function deniedAction(message: string): { action?: string; resource?: string } {
  const m = /not authorized to perform:?\s*([a-z0-9-]+:[A-Za-z0-9*]+)(?:\s+on resource:?\s*(\S+))?/i.exec(message);
  return { action: m?.[1], resource: m?.[2]?.replace(/[.,;]+$/, "") };
}

export function plainAwsError(e: unknown, c: ErrorContext): PlainError | null {
  const info = awsErrorInfo(e);
  const base = { code: info.name, requestId: info.requestId };
  const where = `${c.account.name} (${c.account.accountId})`;
  const exec = c.executionId ? `execution ${short(c.executionId)}` : "the execution";
  const msg = (message: string): PlainError => ({ message, ...base });

  if (info.network)
    return msg(`The portal could not reach AWS (${c.region}) to ${verb(c.iamAction)} ${c.pipelineName}. Try again in a moment.`);
  switch (info.name) {
    case "ConflictException":
      return msg(
        `${c.pipelineName} is busy: ${info.message.replace(/\.$/, "")}. Wait for the running execution to finish (or stop it), then try again.`,
      );
    case "PipelineExecutionNotStoppableException":
      return msg(`${cap(exec)} cannot be stopped: it is no longer running (${info.message.replace(/\.$/, "")}).`);
    case "DuplicatedStopRequestException":
      return msg(`${cap(exec)} is already stopping (stop and wait was requested before). To stop it at once, choose “Stop and abandon”.`);
    case "StageNotRetryableException":
      return msg(
        `Stage ${c.stageName ?? ""} of ${exec} cannot be retried now: only a failed or stopped stage of a finished execution can be retried. (${info.message})`,
      );
    case "NotLatestPipelineExecutionException":
      return msg(
        `Stage ${c.stageName ?? ""} has been run by a newer execution since ${exec}: only the latest execution of a stage can be retried. Retry it from the newer execution or start a new run.`,
      );
    case "ApprovalAlreadyCompletedException":
      return msg(`This approval was already answered (perhaps by someone else a moment ago). The page now shows its outcome.`);
    case "InvalidApprovalTokenException":
      return msg(
        `This approval request is no longer current: the execution it belonged to has moved on or was replaced. Answer the current request instead.`,
      );
    case "PipelineNotFoundException":
      return msg(`The pipeline ${c.pipelineName} no longer exists in ${where}, ${c.region}. Re-apply the onboarding to create it again.`);
    case "PipelineExecutionNotFoundException":
      return msg(`${cap(exec)} of ${c.pipelineName} was not found in ${where}; AWS keeps the execution history for 12 months.`);
    case "StageNotFoundException":
    case "ActionNotFoundException":
      return msg(`${info.message} The pipeline's structure changed; reload the page.`);
    case "ValidationException":
    case "InvalidParameterValueException":
      return msg(`AWS refused the request: ${info.message}`);
    case "ThrottlingException":
    case "TooManyRequestsException":
    case "Throttling":
      return msg(`AWS is throttling requests to CodePipeline in ${where} right now. Try again in a few seconds.`);
  }
  if (/AccessDenied|not authorized|UnauthorizedOperation/i.test(`${info.name} ${info.message}`)) {
    const assume = /sts:AssumeRole|sts:SetSourceIdentity/i.test(info.message);
    if (assume || (info.name === "AccessDenied" && !/codepipeline|codebuild|codecommit/i.test(info.message)))
      return msg(
        `The portal cannot assume the provisioning role ${c.account.roleArn} of ${where}. Test the connection on the account page and fix the role's trust policy.`,
      );
    const d = deniedAction(info.message);
    const action = d.action ?? c.iamAction;
    return msg(
      `AWS denied the provisioning role ${c.account.roleArn} of ${where} the permission ${action}${d.resource ? ` on ${d.resource}` : ""}. Add ${action} to that role (the account page shows the complete permission policy).`,
    );
  }
  if (/InvalidClientTokenId|ExpiredToken|UnrecognizedClient|InvalidSignature/i.test(info.name))
    return msg(`The portal's own AWS credentials were refused (${info.name}). Check the credentials the portal runs with.`);
  return null;
}

function verb(iamAction: string): string {
  const op = iamAction.split(":")[1] ?? iamAction;
  return `call ${op} on`;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
