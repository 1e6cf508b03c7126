import { describe, expect, it } from "vitest";
import { diagnoseAssumeFailure, diagnoseIdentity } from "./diagnose";

const input = {
  roleArn: "arn:aws:iam::111111111111:role/R",
  accountId: "111111111111",
  portalPrincipal: "arn:aws:iam::000000000000:user/portal",
  endpoint: "http://127.0.0.1:4566",
};
const err = (name: string, message = "", network = false) => ({ name, message, network, requestId: "req-1" });

describe("connection diagnosis", () => {
  it("names all three checks for a plain AccessDenied, the external id only by where an admin finds it", () => {
    const d = diagnoseAssumeFailure(err("AccessDenied", "User: x is not authorized to perform: sts:AssumeRole on resource: y"), input);
    expect(d.code).toBe("assume_denied");
    expect(d.detail).toContain("arn:aws:iam::111111111111:role/R");
    expect(d.detail).toContain("arn:aws:iam::000000000000:user/portal");
    expect(d.detail).toMatch(/ExternalId/);
    expect(d.detail).toMatch(/admin finds the external id/);
    expect(d.requestId).toBe("req-1");
  });

  it("never carries the external id: the diagnosis is stored and shown to engineers and viewers", () => {
    const withSecret = { ...input, externalId: "portal-SECRETexternalid123" };
    for (const e of [
      err("AccessDenied", "not authorized to perform: sts:AssumeRole"),
      err("AccessDenied", "sts:SetSourceIdentity"),
      err("InvalidClientTokenId"),
      err("Error", "ECONNREFUSED", true),
    ]) {
      const d = diagnoseAssumeFailure(e, withSecret as typeof input);
      expect(`${d.title} ${d.detail}`).not.toContain("portal-SECRETexternalid123");
    }
  });

  it("recognises a missing sts:SetSourceIdentity", () => {
    const d = diagnoseAssumeFailure(
      err("AccessDenied", "User: x is not authorized to perform: sts:SetSourceIdentity on resource: y"),
      input,
    );
    expect(d.code).toBe("source_identity_denied");
    expect(d.detail).toMatch(/sts:SetSourceIdentity/);
  });

  it("recognises an unreachable endpoint", () => {
    const d = diagnoseAssumeFailure(err("Error", "connect ECONNREFUSED 127.0.0.1:4566", true), input);
    expect(d.code).toBe("unreachable");
    expect(d.detail).toContain("http://127.0.0.1:4566");
  });

  it("recognises the portal's own invalid credentials", () => {
    expect(diagnoseAssumeFailure(err("InvalidClientTokenId", "bad"), input).code).toBe("portal_credentials_invalid");
  });

  it("flags credentials acting in another account", () => {
    const d = diagnoseIdentity("333333333333", "arn:aws:sts::333333333333:assumed-role/R/s", "111111111111");
    expect(d.ok).toBe(false);
    expect(d.code).toBe("wrong_account");
    expect(diagnoseIdentity("111111111111", "arn:aws:sts::111111111111:assumed-role/R/s", "111111111111")).toMatchObject({
      ok: true,
      code: "ok",
    });
  });
});

describe("the diagnosis as a list", () => {
  it("says what was tried and lists each check with its exact value", () => {
    const d = diagnoseAssumeFailure(err("AccessDenied", "User: x is not authorized to perform: sts:AssumeRole on resource: y"), input);
    expect(d.tried).toContain("sts:AssumeRole on arn:aws:iam::111111111111:role/R as arn:aws:iam::000000000000:user/portal");
    expect(d.checks).toEqual([
      { what: "The role exists in account", value: "arn:aws:iam::111111111111:role/R (account 111111111111)" },
      {
        what: "Its trust policy allows sts:AssumeRole and sts:SetSourceIdentity for the portal's identity",
        value: "arn:aws:iam::000000000000:user/portal",
      },
      { what: expect.stringContaining("sts:ExternalId condition equals the external id registered here") },
    ]);
  });

  it("an unreachable endpoint lists the endpoint to check", () => {
    const d = diagnoseAssumeFailure(err("Error", "connect ECONNREFUSED", true), input);
    expect(d.checks?.[0]).toEqual({ what: "The portal host reaches the STS endpoint", value: "http://127.0.0.1:4566" });
  });
});
