import { awsErrorInfo } from "@/lib/core/aws-errors";
import { StepFailure } from "@/lib/core/errors";

export type ErrorClass = "retryable" | "propagation" | "fatal";

export interface ClassifiedError {
  kind: ErrorClass;
  /** "step": the step diagnosed it and its message stands alone; "aws": AWS's own error. */
  source?: "step" | "aws";
  code: string;
  message: string;
  requestId?: string;
  /** The SDK could not read AWS's answer (see isSdkParseFailure). */
  parseFailure?: boolean;
}

const THROTTLING = new Set([
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "SlowDown",
  "ProvisionedThroughputExceededException",
  "LimitExceededException_throttle",
]);
const TRANSIENT = new Set([
  "InternalFailure",
  "InternalError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "InternalServerError",
  "InternalServiceError",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
  "ConcurrentModificationException",
  "OperationAbortedException",
]);

/**
 * Sorts an error into: retry with backoff (throttling, 5xx, network), wait for IAM to propagate (a principal
 * or role AWS cannot see yet), or fail the step now with a message a person can act on.
 */
export function classify(e: unknown): ClassifiedError {
  if (e instanceof StepFailure)
    return { kind: e.retry === "propagation" ? "propagation" : "fatal", source: "step", code: e.code, message: e.message };
  const info = awsErrorInfo(e);
  const base = { code: info.name, message: info.message, requestId: info.requestId, ...(info.parseFailure ? { parseFailure: true } : {}) };
  if (THROTTLING.has(info.name) || TRANSIENT.has(info.name) || info.network || (info.httpStatus ?? 0) >= 500)
    return { ...base, kind: "retryable" };
  // A new role is not yet visible to KMS, S3, CodePipeline, CodeBuild or STS: these heal within a minute or two.
  if (info.name === "MalformedPolicyDocumentException" && /principal/i.test(info.message)) return { ...base, kind: "propagation" };
  if (info.name === "MalformedPolicy" && /principal/i.test(info.message)) return { ...base, kind: "propagation" };
  if (info.name === "InvalidStructureException" && /AssumeRole|not authorized/i.test(info.message)) return { ...base, kind: "propagation" };
  if (info.name === "InvalidInputException" && /sts:AssumeRole|not authorized/i.test(info.message)) return { ...base, kind: "propagation" };
  if (info.name === "MalformedPolicyDocument" && /principal/i.test(info.message)) return { ...base, kind: "propagation" };
  // The provisioning role itself just created (or its trust just edited): STS needs a moment to see it.
  if (info.name === "AccessDenied" && /sts:AssumeRole on resource/.test(info.message)) return { ...base, kind: "propagation" };
  return { ...base, kind: "fatal" };
}

export interface RetryPolicy {
  /** Total time to keep retrying throttling / 5xx. */
  retryableBudgetMs: number;
  /** Total time to wait for IAM propagation (Terraform's AWS provider uses 2 minutes). */
  propagationBudgetMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retryableBudgetMs: 60_000, propagationBudgetMs: 120_000, baseDelayMs: 250, maxDelayMs: 5_000 };

/** Runs `fn`, retrying retryable and propagation errors with bounded exponential backoff and jitter. */
export async function withRetry<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  onRetry?: (c: ClassifiedError, attempt: number) => void,
): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const c = classify(e);
      const budget = c.kind === "propagation" ? policy.propagationBudgetMs : c.kind === "retryable" ? policy.retryableBudgetMs : 0;
      const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt - 1, 10)) * (0.5 + Math.random() / 2);
      if (Date.now() - started + delay > budget) throw e;
      onRetry?.(c, attempt);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
