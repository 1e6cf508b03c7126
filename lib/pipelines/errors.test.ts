import { describe, expect, it } from "vitest";
import { plainAwsError, type ErrorContext } from "./errors";

const ctx: ErrorContext = {
  iamAction: "codepipeline:StartPipelineExecution",
  pipelineName: "demo-service-main",
  region: "us-east-1",
  stageName: "Build",
  executionId: "0f1e2d3c-aaaa-bbbb-cccc-000000000000",
  account: { name: "Demo tools", accountId: "111111111111", roleArn: "arn:aws:iam::111111111111:role/crossline-portal-provisioning" },
};
const err = (name: string, message = "", requestId = "req-1") =>
  Object.assign(new Error(message), { name, $metadata: { requestId, httpStatusCode: 400 } });

describe("AWS refusals of pipeline commands as plain messages", () => {
  it.each([
    [
      "ConflictException",
      "Pipeline demo-service-main cannot start a new execution: execution x is in progress in stage Source.",
      /^demo-service-main is busy: .*in progress in stage Source\. Wait for the running execution to finish \(or stop it\), then try again\.$/,
    ],
    [
      "PipelineExecutionNotStoppableException",
      "Unable to stop pipeline execution x since it is in Succeeded state.",
      /^Execution 0f1e2d3c cannot be stopped: it is no longer running/,
    ],
    ["DuplicatedStopRequestException", "already stopping", /^Execution 0f1e2d3c is already stopping .* choose “Stop and abandon”\.$/],
    ["StageNotRetryableException", "no failed actions", /^Stage Build of execution 0f1e2d3c cannot be retried now/],
    ["NotLatestPipelineExecutionException", "out of date", /^Stage Build has been run by a newer execution since execution 0f1e2d3c/],
    ["ApprovalAlreadyCompletedException", "done", /^This approval was already answered/],
    ["InvalidApprovalTokenException", "bad token", /^This approval request is no longer current/],
    [
      "PipelineNotFoundException",
      "nope",
      /^The pipeline demo-service-main no longer exists in Demo tools \(111111111111\), us-east-1\. Re-apply the onboarding to create it again\.$/,
    ],
    ["ThrottlingException", "Rate exceeded", /throttling requests to CodePipeline in Demo tools/],
  ])("%s", (name, message, expected) => {
    const plain = plainAwsError(err(name, message), ctx)!;
    expect(plain.message).toMatch(expected);
    expect(plain).toMatchObject({ code: name, requestId: "req-1" });
  });

  it("AccessDenied names the provisioning role and the missing permission (from AWS's message, else the command's)", () => {
    const e = err(
      "AccessDeniedException",
      "User: arn:aws:sts::111111111111:assumed-role/crossline-portal-provisioning/portal-dana is not authorized to perform: codepipeline:RetryStageExecution on resource: arn:aws:codepipeline:us-east-1:111111111111:demo-service-main because no identity-based policy allows it",
    );
    expect(plainAwsError(e, ctx)!.message).toBe(
      "AWS denied the provisioning role arn:aws:iam::111111111111:role/crossline-portal-provisioning of Demo tools (111111111111) the permission codepipeline:RetryStageExecution on arn:aws:codepipeline:us-east-1:111111111111:demo-service-main. Add codepipeline:RetryStageExecution to that role (the account page shows the complete permission policy).",
    );
    expect(plainAwsError(err("AccessDeniedException", "Access denied to codepipeline"), ctx)!.message).toContain(
      "the permission codepipeline:StartPipelineExecution.",
    );
  });

  it("a refused AssumeRole points at the account's connection test", () => {
    const e = err(
      "AccessDenied",
      "User: arn:aws:iam::000000000000:user/portal is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/crossline-portal-provisioning",
    );
    expect(plainAwsError(e, ctx)!.message).toBe(
      "The portal cannot assume the provisioning role arn:aws:iam::111111111111:role/crossline-portal-provisioning of Demo tools (111111111111). Test the connection on the account page and fix the role's trust policy.",
    );
  });

  it("network failures say AWS could not be reached; unknown errors are left to the caller", () => {
    expect(plainAwsError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4566"), { code: "ECONNREFUSED" }), ctx)!.message).toMatch(
      /^The portal could not reach AWS/,
    );
    expect(plainAwsError(err("InternalFailure", "boom"), ctx)).toBeNull();
  });
});
