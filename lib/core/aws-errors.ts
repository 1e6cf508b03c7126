/** Facts about an AWS SDK error, without depending on which client threw it. */
export interface AwsErrorInfo {
  name: string;
  message: string;
  requestId?: string;
  httpStatus?: number;
  network: boolean;
  /** The SDK received an answer but could not read it (not AWS refusing anything). */
  parseFailure?: boolean;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);
// What @smithy/middleware-serde appends to an error thrown while deserializing a response.
const DESERIALIZATION_HINT =
  /\s*Deserialization error: to see the raw response, inspect the hidden field \{error\}\.\$response on this object\.?/;

/**
 * An answer the SDK could not deserialize: the serde middleware attaches the raw `$response` to every error it
 * rethrows, and AWS's own error responses become service exceptions that carry `$fault`; a parse failure has the
 * response but no fault (and usually the serde hint in its message).
 */
export function isSdkParseFailure(e: unknown): boolean {
  if (!e || typeof e !== "object") return false;
  const err = e as { message?: unknown; $fault?: unknown };
  if (typeof err.message === "string" && DESERIALIZATION_HINT.test(err.message)) return true;
  return "$response" in err && err.$fault === undefined;
}

export function awsErrorInfo(e: unknown): AwsErrorInfo {
  const err = e as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { requestId?: string; httpStatusCode?: number };
    cause?: { code?: string };
  };
  const code = err?.code ?? err?.cause?.code ?? "";
  const name = err?.name ?? "Error";
  const parseFailure = isSdkParseFailure(e);
  const raw = err?.message ?? String(e);
  return {
    name,
    message: parseFailure ? raw.replace(DESERIALIZATION_HINT, "").trim() : raw,
    requestId: err?.$metadata?.requestId,
    httpStatus: err?.$metadata?.httpStatusCode,
    network:
      NETWORK_CODES.has(code) || name === "TimeoutError" || /ECONNREFUSED|ENOTFOUND|getaddrinfo|socket hang up/i.test(err?.message ?? ""),
    parseFailure,
  };
}

/**
 * A parse failure in human words: what happened, that it is not a permission problem, what to do. `detail` is the
 * parser's own message (first line, shortened): enough to report, no SDK internals.
 */
export function parseFailureMessage(detail: string): string {
  const first = detail.split("\n")[0].trim();
  const short = first.length > 160 ? `${first.slice(0, 157)}…` : first;
  return `AWS's answer could not be read (${short || "unreadable response"}). The request reached an endpoint, but its response was not what AWS sends: often a proxy, a firewall page or an outage answering in AWS's place. It is not a permission problem. Try again; if it persists, check the AWS endpoint the portal uses.`;
}

/** Error-name checks for the "exists / missing" answers AWS answers for a resource that exists or not. */
export function isAwsError(e: unknown, ...names: string[]): boolean {
  const err = e as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return names.includes(err?.name ?? "") || names.includes(err?.Code ?? "");
}

/** Runs a read; an error named in `missing` means "not there" and becomes null. */
export async function readOrNull<T>(read: () => Promise<T>, ...missing: string[]): Promise<T | null> {
  try {
    return await read();
  } catch (e) {
    if (isAwsError(e, ...missing)) return null;
    throw e;
  }
}

/**
 * Runs a delete; an error named in `gone` means it was deleted already and counts as done (every teardown and
 * retire path deletes idempotently). True when this call deleted it.
 */
export async function deleteUnlessGone(remove: () => Promise<unknown>, ...gone: string[]): Promise<boolean> {
  try {
    await remove();
    return true;
  } catch (e) {
    if (isAwsError(e, ...gone)) return false;
    throw e;
  }
}
