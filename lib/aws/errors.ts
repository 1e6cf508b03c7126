/** Facts about an AWS SDK error, without depending on which client threw it. */
export interface AwsErrorInfo {
  name: string;
  message: string;
  requestId?: string;
  httpStatus?: number;
  network: boolean;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

export function awsErrorInfo(e: unknown): AwsErrorInfo {
  const err = e as { name?: string; code?: string; message?: string; $metadata?: { requestId?: string; httpStatusCode?: number }; cause?: { code?: string } };
  const code = err?.code ?? err?.cause?.code ?? "";
  const name = err?.name ?? "Error";
  return {
    name,
    message: err?.message ?? String(e),
    requestId: err?.$metadata?.requestId,
    httpStatus: err?.$metadata?.httpStatusCode,
    network: NETWORK_CODES.has(code) || name === "TimeoutError" || /ECONNREFUSED|ENOTFOUND|getaddrinfo|socket hang up/i.test(err?.message ?? ""),
  };
}
