import { describe, expect, it } from "vitest";
import { accountFields } from "./account";

const valid = {
  name: "Tools prod",
  accountId: "111111111111",
  purpose: "tools",
  defaultRegion: "eu-west-1",
  roleArn: "arn:aws:iam::111111111111:role/PortalProvisioningRole",
  externalId: "",
};

const errorsOf = (input: object) => {
  const r = accountFields.safeParse(input);
  const out: Record<string, string> = {};
  if (!r.success) for (const i of r.error.issues) out[i.path.join(".")] ??= i.message;
  return out;
};

describe("account fields", () => {
  it("accepts a valid account and turns an empty external id into undefined", () => {
    const r = accountFields.parse(valid);
    expect(r.externalId).toBeUndefined();
    expect(r.roleArn).toBe(valid.roleArn);
  });

  it("accepts a role with a path and a given external id", () => {
    const r = accountFields.parse({ ...valid, roleArn: "arn:aws:iam::111111111111:role/platform/Portal", externalId: "abc-123" });
    expect(r.externalId).toBe("abc-123");
  });

  it.each([
    ["11111111111", "accountId"],
    ["1111111111111", "accountId"],
    ["11111111111a", "accountId"],
  ])("rejects account id %s", (accountId, field) => {
    expect(errorsOf({ ...valid, accountId })[field]).toMatch(/12 digits/);
  });

  it("rejects a malformed role ARN", () => {
    expect(errorsOf({ ...valid, roleArn: "arn:aws:iam::111111111111:user/bob" }).roleArn).toMatch(/IAM role ARN/);
    expect(errorsOf({ ...valid, roleArn: "PortalProvisioningRole" }).roleArn).toMatch(/IAM role ARN/);
  });

  it("rejects a role in another account", () => {
    expect(errorsOf({ ...valid, roleArn: "arn:aws:iam::222222222222:role/PortalProvisioningRole" }).roleArn).toMatch(
      /must be in account 111111111111; this ARN is in 222222222222/,
    );
  });

  it("rejects an unknown region and a non-commercial one", () => {
    expect(errorsOf({ ...valid, defaultRegion: "mars-east-1" }).defaultRegion).toMatch(/commercial AWS region/);
    expect(errorsOf({ ...valid, defaultRegion: "us-gov-west-1" }).defaultRegion).toMatch(/commercial AWS region/);
  });

  it("rejects empty required fields and names too long", () => {
    const e = errorsOf({ ...valid, name: "  ", roleArn: "" });
    expect(e.name).toMatch(/required/);
    expect(e.roleArn).toMatch(/required/);
    expect(errorsOf({ ...valid, name: "x".repeat(65) }).name).toMatch(/at most 64/);
  });

  it("rejects an unknown purpose and a bad external id", () => {
    expect(errorsOf({ ...valid, purpose: "prod" }).purpose).toBeDefined();
    expect(errorsOf({ ...valid, externalId: "has space" }).externalId).toBeDefined();
    expect(errorsOf({ ...valid, externalId: "x".repeat(1225) }).externalId).toMatch(/1224/);
  });
});
