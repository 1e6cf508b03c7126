import { describe, expect, it } from "vitest";
import { accountOfPrincipal, describeFindings, disallowedPrincipals } from "./resource-policy-principals";
import { fixture } from "./__fixtures__/read";
import type { PolicyDocument, Statement } from "./types";

const TOOLS = "111111111111";
const REPO = "222222222222";
const doc = (...Statement: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });
const allow = (Principal: Statement["Principal"], Condition?: Statement["Condition"]): Statement => ({
  Sid: "Grant",
  Effect: "Allow",
  Principal,
  Action: "s3:GetObject",
  Resource: "arn:aws:s3:::b/*",
  ...(Condition ? { Condition } : {}),
});

describe("principals a bucket or key policy the portal writes may name", () => {
  it("the portal's own bucket and key policies (fixtures) pass with the tools and repo accounts registered", () => {
    for (const name of ["bucket-policy.json", "key-policy.json"]) {
      expect(disallowedPrincipals(JSON.parse(fixture(name)), [TOOLS, REPO]), name).toEqual([]);
    }
  });

  it("the same documents are refused when the repo account is not registered: its root is named", () => {
    const found = disallowedPrincipals(JSON.parse(fixture("bucket-policy.json")), [TOOLS]);
    expect(found.map((f) => f.principal)).toEqual([`arn:aws:iam::${REPO}:root`, `arn:aws:iam::${REPO}:root`]);
    expect(found[0].reason).toBe(`account ${REPO} is not registered in the portal`);
  });

  it('"*" in an Allow is refused without a narrowing condition, in both spellings', () => {
    for (const p of ["*", { AWS: "*" }] as const) {
      expect(disallowedPrincipals(doc(allow(p)), [TOOLS])).toEqual([
        { sid: "Grant", principal: "*", reason: '"*" without a condition that limits it to an Organization, an account or a principal' },
      ]);
      // A condition on something else (transport) does not narrow who is let in.
      expect(disallowedPrincipals(doc(allow(p, { Bool: { "aws:SecureTransport": "true" } })), [TOOLS])).toHaveLength(1);
      // ...IfExists does not narrow either: a caller without the key passes.
      expect(disallowedPrincipals(doc(allow(p, { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-abc" } })), [TOOLS])).toHaveLength(1);
    }
  });

  it('"*" narrowed to an Organization or an account is accepted (the Organization-wide key statement)', () => {
    expect(disallowedPrincipals(doc(allow("*", { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } })), [TOOLS])).toEqual([]);
    expect(disallowedPrincipals(doc(allow({ AWS: "*" }, { StringEquals: { "AWS:SourceAccount": TOOLS } })), [TOOLS])).toEqual([]);
  });

  it("an account outside the registered ones is refused however it is spelt; service principals are AWS's own", () => {
    const outsider = [
      "999999999999",
      "arn:aws:iam::999999999999:root",
      "arn:aws:iam::999999999999:role/x",
      "arn:aws:sts::999999999999:assumed-role/x/s",
    ];
    expect(disallowedPrincipals(doc(allow({ AWS: outsider })), [TOOLS]).map((f) => f.principal)).toEqual(outsider);
    expect(disallowedPrincipals(doc(allow({ Service: "codepipeline.amazonaws.com" })), [TOOLS])).toEqual([]);
    expect(disallowedPrincipals(doc(allow({ AWS: "not-a-principal" })), [TOOLS])[0].reason).toBe("not an AWS account or IAM principal");
  });

  it("Deny statements may name anyone; NotPrincipal and federated principals in an Allow are refused", () => {
    expect(disallowedPrincipals(doc({ ...allow("*"), Effect: "Deny" }), [TOOLS])).toEqual([]);
    const notPrincipal: Statement = {
      Sid: "Rest",
      Effect: "Allow",
      NotPrincipal: { AWS: `arn:aws:iam::${TOOLS}:root` },
      Action: "kms:Decrypt",
      Resource: "*",
    };
    expect(disallowedPrincipals(doc(notPrincipal), [TOOLS])[0].reason).toBe(
      "NotPrincipal in an Allow statement grants every other principal",
    );
    expect(disallowedPrincipals(doc(allow({ Federated: "cognito-identity.amazonaws.com" })), [TOOLS])).toHaveLength(1);
  });

  it("deleted principals (unique ids) name nobody and are left to principals.ts", () => {
    expect(disallowedPrincipals(doc(allow({ AWS: "AROAEXAMPLEEXAMPLE123" })), [TOOLS])).toEqual([]);
  });

  it("accounts of principals, and the failure text", () => {
    expect(accountOfPrincipal("arn:aws:iam::123456789012:role/portal/x")).toBe("123456789012");
    expect(accountOfPrincipal("arn:aws:s3:::bucket")).toBeNull();
    expect(
      describeFindings([
        { sid: "A", principal: "*", reason: "r" },
        { sid: "B", principal: "p", reason: "q" },
      ]),
    ).toBe("A: * (r); B: p (q)");
  });
});
