import { describe, expect, it, vi } from "vitest";
import { classify, withRetry } from "./classify";
import { humanMessage } from "./human-message";
import { StepFailure } from "@/lib/core/errors";
import { pipelineStep } from "@/lib/provisioning/steps/pipeline";

const awsError = (name: string, message = "", status = 400) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, requestId: "req-9" } });
const fast = { retryableBudgetMs: 1_000, propagationBudgetMs: 1_000, baseDelayMs: 1, maxDelayMs: 2 };

describe("error classification", () => {
  it.each([
    ["ThrottlingException", "Rate exceeded", 400, "retryable"],
    ["Throttling", "Rate exceeded", 400, "retryable"],
    ["InternalFailure", "", 500, "retryable"],
    ["SomethingNew", "boom", 503, "retryable"],
    ["MalformedPolicyDocumentException", "Policy contains a statement with one or more invalid principals.", 400, "propagation"],
    ["MalformedPolicy", "Invalid principal in policy", 400, "propagation"],
    ["InvalidStructureException", "CodePipeline is not authorized to perform AssumeRole on role arn:aws:iam::1:role/x", 400, "propagation"],
    ["AccessDenied", "User: x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::1:role/p", 403, "propagation"],
    ["AccessDeniedException", "User: x is not authorized to perform: kms:PutKeyPolicy on resource: k", 400, "fatal"],
    ["MalformedPolicyDocumentException", "The policy is not valid JSON", 400, "fatal"],
    ["InvalidStructureException", "Stage names must be unique", 400, "fatal"],
  ])("%s (%s) is %s", (name, message, status, kind) => {
    expect(classify(awsError(name, message, status)).kind).toBe(kind);
  });

  it("keeps a step's own diagnosis as fatal with its code", () => {
    expect(classify(new StepFailure("PipelineNameInUse", "taken"))).toEqual({
      kind: "fatal",
      source: "step",
      code: "PipelineNameInUse",
      message: "taken",
    });
    expect(
      classify(new StepFailure("AccessDeniedException", "EventBridge is not authorized to assume the role r", "propagation")).kind,
    ).toBe("propagation");
  });
});

describe("withRetry", () => {
  it("retries throttling until it succeeds", async () => {
    const fn = vi
      .fn()
      .mockRejectedValueOnce(awsError("ThrottlingException"))
      .mockRejectedValueOnce(awsError("ThrottlingException"))
      .mockResolvedValue("ok");
    await expect(withRetry(fn, fast)).resolves.toBe("ok");
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it("does not retry a fatal error", async () => {
    const fn = vi.fn().mockRejectedValue(awsError("AccessDeniedException", "no"));
    await expect(withRetry(fn, fast)).rejects.toMatchObject({ name: "AccessDeniedException" });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it("gives up when the budget is spent", async () => {
    const fn = vi.fn().mockRejectedValue(awsError("ThrottlingException"));
    await expect(withRetry(fn, { ...fast, retryableBudgetMs: 20 })).rejects.toMatchObject({ name: "ThrottlingException" });
    expect(fn.mock.calls.length).toBeGreaterThan(1);
  });
});

describe("humanMessage", () => {
  const account = { accountId: "111111111111", roleArn: "arn:aws:iam::111111111111:role/crossline-portal-provisioning", name: "Tools" };
  it("names the account, the provisioning role, AWS's words and the fix for a denial", () => {
    const m = humanMessage(
      pipelineStep,
      classify(awsError("AccessDeniedException", "User: s is not authorized to perform: codepipeline:CreatePipeline on resource: p")),
      account,
    );
    expect(m).toContain("Pipeline in Tools (111111111111)");
    expect(m).toContain(account.roleArn);
    expect(m).toContain("codepipeline:CreatePipeline");
    expect(m).toContain("Add the missing permission");
  });
});
