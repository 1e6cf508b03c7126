/** Test helpers: real SDK v3 clients pointed at a sandbox. */
import { CodeCommitClient } from "@aws-sdk/client-codecommit";
import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import { SANDBOX_PORTAL_ACCESS_KEY_ID, sandboxRootAccessKeyId, type SandboxHandle } from "../index";

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
export const root = (account: string): Creds => ({ accessKeyId: sandboxRootAccessKeyId(account), secretAccessKey: "x" });
export const portal: Creds = { accessKeyId: SANDBOX_PORTAL_ACCESS_KEY_ID, secretAccessKey: "x" };

export function clients(h: SandboxHandle, credentials: Creds, extra: { maxAttempts?: number } = {}) {
  const cfg = { endpoint: h.url, region: "us-east-1", credentials, maxAttempts: extra.maxAttempts ?? 1 };
  return { sts: new STSClient(cfg), iam: new IAMClient(cfg), cc: new CodeCommitClient(cfg) };
}

export const trust = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

/** Capture the error a promise rejects with. */
export async function failure(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the call to fail");
}

/**
 * A retry strategy with the SDK's classification but no backoff delay, so fault tests stay fast.
 * Records the error type the SDK assigned to each retried failure ("THROTTLING", "TRANSIENT", "SERVER_ERROR"…).
 */
export function fastRetry(maxAttempts: number, seen: string[] = []) {
  const token = (n: number) => ({ getRetryCount: () => n, getRetryDelay: () => 1, getRetryCost: () => 0 });
  return {
    mode: "standard",
    acquireInitialRetryToken: async () => token(0),
    refreshRetryTokenForRetry: async (t: { getRetryCount(): number }, info: { errorType: string }) => {
      seen.push(info.errorType);
      const n = t.getRetryCount() + 1;
      if (n >= maxAttempts || info.errorType === "CLIENT_ERROR") throw new Error("no more retries");
      return token(n);
    },
    recordSuccess: () => {},
  };
}
