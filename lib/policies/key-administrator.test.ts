import { describe, expect, it } from "vitest";
import { keyPolicyAdministeredBy } from "./key-administrator";
import { provisioningRoleKeyAdministration } from "./provisioning-role-names";
import { fixture } from "./__fixtures__/read";
import type { PolicyDocument, Statement } from "./types";

const ROLE = "arn:aws:iam::111111111111:role/crossline-portal-provisioning";
const doc = (...Statement: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

describe("does a key policy let the provisioning role administer the key?", () => {
  it("yes with the statement the portal writes at CreateKey", () => {
    expect(keyPolicyAdministeredBy(doc(provisioningRoleKeyAdministration(ROLE)), ROLE)).toBe(true);
    expect(keyPolicyAdministeredBy(doc({ Effect: "Allow", Principal: { AWS: [ROLE] }, Action: "kms:*", Resource: "*" }), ROLE)).toBe(true);
  });

  it("no for a key whose policy only delegates to the account's IAM (a team's key, however it is tagged)", () => {
    expect(keyPolicyAdministeredBy(JSON.parse(fixture("key-policy.json")), ROLE)).toBe(false);
    expect(keyPolicyAdministeredBy(undefined, ROLE)).toBe(false);
  });

  it("no when the statement is partial, conditioned, names another role, or a Deny takes an action away", () => {
    const full = provisioningRoleKeyAdministration(ROLE);
    expect(keyPolicyAdministeredBy(doc({ ...full, Action: ["kms:PutKeyPolicy"] }), ROLE)).toBe(false);
    expect(keyPolicyAdministeredBy(doc({ ...full, Condition: { Bool: { "aws:SecureTransport": "true" } } }), ROLE)).toBe(false);
    expect(keyPolicyAdministeredBy(doc({ ...full, Principal: { AWS: "arn:aws:iam::111111111111:role/other" } }), ROLE)).toBe(false);
    expect(
      keyPolicyAdministeredBy(doc(full, { Effect: "Deny", Principal: "*", Action: "kms:ScheduleKeyDeletion", Resource: "*" }), ROLE),
    ).toBe(false);
  });
});
