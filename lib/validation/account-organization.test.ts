import { describe, expect, it } from "vitest";
import { accountFields } from "./account";

const base = {
  name: "Tools",
  accountId: "111111111111",
  purpose: "tools",
  defaultRegion: "us-east-1",
  roleArn: "arn:aws:iam::111111111111:role/crossline-portal-provisioning",
};

describe("the Organization-wide grant setting", () => {
  it("accepts an Organization id on a tools account and stores an empty field as none", () => {
    expect(accountFields.parse({ ...base, organizationId: " o-a1b2c3d4e5 " }).organizationId).toBe("o-a1b2c3d4e5");
    expect(accountFields.parse({ ...base, organizationId: "" }).organizationId).toBeNull();
  });

  it("refuses a malformed id, and any id on a repo account, with a field error", () => {
    const bad = accountFields.safeParse({ ...base, organizationId: "org-123" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(["organizationId"]);
    const repo = accountFields.safeParse({ ...base, purpose: "repo", organizationId: "o-a1b2c3d4e5" });
    expect(repo.error?.issues.map((i) => i.path.join("."))).toEqual(["organizationId"]);
  });
});
