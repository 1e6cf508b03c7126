import { describe, expect, it } from "vitest";
import { applyConfirmation } from "./apply-confirmation";

const accounts = [
  { accountId: "111111111111", name: "Demo tools" },
  { accountId: "222222222222", name: "Demo repo" },
];

describe("applyConfirmation", () => {
  it("names the services and both accounts the apply writes to, with counts", () => {
    const text = applyConfirmation(
      [
        { kind: "kms-key", accountId: "111111111111", action: "create" },
        { kind: "s3-bucket-policy", accountId: "111111111111", action: "update" },
        { kind: "iam-role", accountId: "222222222222", action: "create" },
        { kind: "codepipeline", accountId: "111111111111", action: "no-change" },
        { kind: "eventbridge-rule", accountId: "111111111111", action: "adopt" },
      ],
      accounts,
    );
    expect(text).toBe(
      "Apply writes IAM, KMS, S3 and EventBridge policies and resources in accounts Demo tools (111111111111) and Demo repo (222222222222): 2 to create, 1 to update, 1 to take over. Each step runs as the signed-in user through the account's provisioning role and is recorded in the audit history.",
    );
  });

  it("one account, and nothing to change", () => {
    expect(applyConfirmation([{ kind: "iam-role", accountId: "111111111111", action: "update" }], accounts)).toBe(
      "Apply writes IAM policies and resources in account Demo tools (111111111111): 1 to update. Each step runs as the signed-in user through the account's provisioning role and is recorded in the audit history.",
    );
    expect(applyConfirmation([{ kind: "iam-role", accountId: "111111111111", action: "no-change" }], accounts)).toMatch(
      /makes no change in AWS/,
    );
  });
});
