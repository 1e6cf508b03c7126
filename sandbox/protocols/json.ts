import { AwsError } from "../errors";
import { assertSafeKeys } from "./safe-keys";
import type { ParsedRequest, WireResponse } from "./types";

/** AWS JSON 1.0/1.1 (CodeCommit, later KMS, CodeBuild, EventBridge, CodePipeline): `X-Amz-Target: Prefix.Operation`. */
export function parseJson(body: string, target: string | undefined): ParsedRequest {
  const action = target?.includes(".") ? target.slice(target.lastIndexOf(".") + 1) : undefined;
  if (!body.trim()) return { action, input: {} };
  let input: unknown;
  try {
    input = JSON.parse(body);
    if (typeof input !== "object" || input === null || Array.isArray(input)) throw new Error("not an object");
  } catch {
    throw new AwsError("SerializationException", "Start of structure or map found where not expected.", 400);
  }
  assertSafeKeys(input);
  return { action, input: input as Record<string, unknown> };
}

export function targetPrefix(target: string | undefined): string | undefined {
  return target?.includes(".") ? target.slice(0, target.lastIndexOf(".")) : undefined;
}

export function renderJsonResult(result: unknown, contentType = "application/x-amz-json-1.1"): WireResponse {
  return { status: 200, headers: { "content-type": contentType }, body: JSON.stringify(result ?? {}) };
}

export function renderJsonError(err: AwsError, contentType = "application/x-amz-json-1.1"): WireResponse {
  const code = err.jsonCode ?? err.code;
  return {
    status: err.status,
    headers: { "content-type": contentType, "x-amzn-errortype": code },
    body: JSON.stringify({ __type: code, message: err.message }),
  };
}
