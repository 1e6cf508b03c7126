import { describe, expect, it } from "vitest";
import { accountFields } from "./account";
import { accountIdField, normaliseAccountId } from "./account-id";

const valid = {
  name: "Team",
  purpose: "tools",
  defaultRegion: "us-east-1",
  roleArn: "arn:aws:iam::123456789012:role/PortalProvisioningRole",
};

describe("AWS account id normalisation", () => {
  it.each(["1234 5678 9012", "1234-5678-9012", " 123456789012 ", "1234  5678-9012"])("%j becomes 123456789012", (typed) => {
    expect(normaliseAccountId(typed)).toBe("123456789012");
    expect(accountIdField.parse(typed)).toBe("123456789012");
  });

  it("the account form accepts a grouped id with exactly one account id and no role-ARN mismatch", () => {
    const r = accountFields.safeParse({ ...valid, accountId: "1234 5678 9012" });
    expect(r.success && r.data.accountId).toBe("123456789012");
  });

  it("a wrong id gives one message that names the rule", () => {
    for (const typed of ["1234 5678 901", "12345678901a", "1234_5678_9012", ""]) {
      const r = accountFields.safeParse({ ...valid, accountId: typed });
      expect(r.success).toBe(false);
      const messages = r.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      expect(messages).toEqual(["accountId: An AWS account id is exactly 12 digits."]);
    }
  });

  it("a missing id says what to enter, not zod's type error", () => {
    const r = accountIdField.safeParse(undefined);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message)).toEqual(["Enter the 12-digit AWS account id."]);
  });

  it("letters are left as typed (so the error is about what the person typed)", () => {
    expect(normaliseAccountId("abcd-efgh")).toBe("abcd-efgh");
  });
});
