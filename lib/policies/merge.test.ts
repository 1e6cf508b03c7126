import { describe, expect, it } from "vitest";
import {
  bucketPolicyFor,
  bucketPolicyWithout,
  diffPolicy,
  eventBusPolicyFor,
  isPortalSid,
  keyPolicyFor,
  keyPolicyWithout,
  mergeStatements,
  parsePolicyDocument,
  policyEquals,
  type PolicyDocument,
  type Statement,
} from "@/lib/policies";
import { deriveResourceNames } from "@/lib/names/derive";
import { referenceNames as names, referenceSpec as spec, referenceStore as store } from "./__fixtures__/reference";

const foreignA: Statement = {
  Sid: "Enable IAM User Permissions",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::111111111111:root" },
  Action: "kms:*",
  Resource: "*",
};
const foreignB: Statement = {
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::333333333333:role/auditor" },
  Action: "kms:DescribeKey",
  Resource: "*",
};
const mine = (sid: string, action = "kms:Decrypt"): Statement => ({
  Sid: sid,
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::222222222222:role/x" },
  Action: action,
  Resource: "*",
});
const doc = (...s: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: s });

describe("mergeStatements", () => {
  it("creates a document when there is none", () => {
    expect(mergeStatements(undefined, [mine("PortalA")])).toEqual(doc(mine("PortalA")));
  });

  it("appends new statements after foreign ones, which stay untouched and in place", () => {
    const merged = mergeStatements(doc(foreignA, foreignB), [mine("PortalA")]);
    expect(merged.Statement).toEqual([foreignA, foreignB, mine("PortalA")]);
    expect(merged.Statement[0]).toBe(foreignA);
  });

  it("replaces a statement with the same Sid in place", () => {
    const merged = mergeStatements(doc(foreignA, mine("PortalA"), foreignB), [mine("PortalA", "kms:Encrypt")]);
    expect(merged.Statement).toEqual([foreignA, mine("PortalA", "kms:Encrypt"), foreignB]);
  });

  it("is idempotent", () => {
    const once = mergeStatements(doc(foreignA, foreignB), [mine("PortalA"), mine("PortalB")]);
    const twice = mergeStatements(once, [mine("PortalA"), mine("PortalB")]);
    expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
  });

  it("removes only the named portal Sids", () => {
    const current = doc(foreignA, mine("PortalA"), mine("PortalB"), foreignB);
    const merged = mergeStatements(current, [], ["PortalA", "Enable IAM User Permissions", "PortalMissing"]);
    expect(merged.Statement).toEqual([foreignA, mine("PortalB"), foreignB]);
  });

  it("keeps an owned Sid that is also named for removal (desired state wins)", () => {
    expect(mergeStatements(doc(mine("PortalA")), [mine("PortalA", "kms:Encrypt")], ["PortalA"]).Statement).toEqual([
      mine("PortalA", "kms:Encrypt"),
    ]);
  });

  it("collapses duplicates of an owned Sid", () => {
    expect(mergeStatements(doc(mine("PortalA"), foreignA, mine("PortalA")), [mine("PortalA")]).Statement).toEqual([
      mine("PortalA"),
      foreignA,
    ]);
  });

  it("accepts a raw single-statement document and keeps its Id", () => {
    const raw = { Version: "2012-10-17", Id: "key-default-1", Statement: foreignA } as unknown as PolicyDocument;
    expect(mergeStatements(raw, [mine("PortalA")])).toEqual({
      Version: "2012-10-17",
      Id: "key-default-1",
      Statement: [foreignA, mine("PortalA")],
    });
  });

  it("portal ownership is by Sid prefix, case-insensitive", () => {
    expect(isPortalSid("PortalKeyAdministration")).toBe(true);
    expect(isPortalSid("portal-allow-222222222222")).toBe(true);
    expect(isPortalSid("AllowPortal")).toBe(false);
    expect(isPortalSid(undefined)).toBe(false);
  });
});

describe("shared policies across onboardings", () => {
  const other = { ...spec, onboardingId: "onb_ref02", repoAccountId: "333333333333", repositoryName: "billing", branchName: "release", pipelineName: "billing-release" };
  const otherNames = deriveResourceNames(other);

  it("two onboardings' key grants are both kept, foreign statements too, and removal keeps the other's", () => {
    const aws = doc(foreignA);
    const first = keyPolicyFor(aws, spec, names, store);
    const both = keyPolicyFor(first, other, otherNames, store);
    expect(both.Statement.map((s) => s.Sid)).toEqual([
      "Enable IAM User Permissions",
      "PortalKeyAdministration",
      "PortalPipelineRoleUseDemoServiceMain",
      "PortalRepoAccount222222222222UseDemoServiceMain",
      "PortalPipelineRoleUseBillingRelease",
      "PortalRepoAccount333333333333UseBillingRelease",
    ]);
    // Re-applying the first onboarding changes nothing.
    expect(keyPolicyFor(both, spec, names, store)).toEqual(both);
    const afterRemoval = keyPolicyWithout(both, names);
    expect(afterRemoval.Statement.map((s) => s.Sid)).toEqual([
      "Enable IAM User Permissions",
      "PortalKeyAdministration",
      "PortalPipelineRoleUseBillingRelease",
      "PortalRepoAccount333333333333UseBillingRelease",
    ]);
  });

  it("two onboardings' bucket grants are both kept; removal keeps the guards", () => {
    const both = bucketPolicyFor(bucketPolicyFor(undefined, spec, names, store), other, otherNames, store);
    expect(both.Statement).toHaveLength(8);
    expect(bucketPolicyFor(both, other, otherNames, store)).toEqual(both);
    const removed = bucketPolicyWithout(both, otherNames);
    expect(removed).toEqual(bucketPolicyFor(undefined, spec, names, store));
  });

  it("the event bus statement is one per repo account", () => {
    const sameRepoAccount = deriveResourceNames({ ...spec, pipelineName: "demo-service-dev", branchName: "dev" });
    const p = eventBusPolicyFor(eventBusPolicyFor(undefined, names), sameRepoAccount);
    expect(p.Statement).toHaveLength(1);
    expect(eventBusPolicyFor(p, otherNames).Statement.map((s) => s.Sid)).toEqual([
      "portal-allow-222222222222",
      "portal-allow-333333333333",
    ]);
  });
});

describe("policyEquals", () => {
  const a = doc({
    Sid: "X",
    Effect: "Allow",
    Principal: { AWS: "222222222222" },
    Action: "s3:GetObject",
    Resource: ["arn:aws:s3:::b/*"],
    Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
  });

  it("ignores key order, single value vs one-element array, list order, statement order and account-id principals", () => {
    const b = {
      Statement: [
        {
          Condition: { NumericLessThan: { "s3:TlsVersion": ["1.2"] } },
          Resource: "arn:aws:s3:::b/*",
          Action: ["s3:GetObject"],
          Principal: { AWS: ["arn:aws:iam::222222222222:root"] },
          Effect: "Allow",
          Sid: "X",
        },
      ],
      Version: "2012-10-17",
    } as PolicyDocument;
    expect(policyEquals(a, b)).toBe(true);
    const two = doc(foreignA, foreignB);
    expect(policyEquals(two, doc(foreignB, foreignA))).toBe(true);
    expect(policyEquals(doc(mine("P", "kms:Decrypt")), doc({ ...mine("P"), Action: ["kms:Decrypt", "kms:Decrypt"] }))).toBe(true);
  });

  it("sees real differences", () => {
    expect(policyEquals(a, doc({ ...a.Statement[0], Action: "s3:PutObject" }))).toBe(false);
    expect(policyEquals(a, doc({ ...a.Statement[0], Effect: "Deny" }))).toBe(false);
    expect(policyEquals(a, undefined)).toBe(false);
    expect(policyEquals(undefined, null)).toBe(true);
  });

  it("parses JSON and IAM's URL-encoded JSON", () => {
    const json = JSON.stringify(a);
    expect(policyEquals(json, a)).toBe(true);
    expect(policyEquals(encodeURIComponent(json), a)).toBe(true);
    expect(parsePolicyDocument("{not json").ok).toBe(false);
    const parsed = parsePolicyDocument(JSON.stringify({ Version: "2012-10-17", Statement: foreignA }));
    expect(parsed).toEqual({ ok: true, document: doc(foreignA) });
  });
});

describe("diffPolicy", () => {
  it("is empty for equal policies", () => {
    expect(diffPolicy(doc(foreignA, foreignB), doc(foreignB, foreignA))).toBe("");
  });

  it("marks removed and added lines", () => {
    const before = doc(mine("PortalA", "kms:Decrypt"));
    const after = doc(mine("PortalA", "kms:Encrypt"));
    expect(diffPolicy(before, after)).toBe(`  {
    "Statement": [
      {
        "Action": [
-         "kms:Decrypt"
+         "kms:Encrypt"
        ],
        "Effect": "Allow",
        "Principal": {
          "AWS": [
            "arn:aws:iam::222222222222:role/x"
          ]
        },
        "Resource": [
          "*"
        ],
        "Sid": "PortalA"
      }
    ],
    "Version": "2012-10-17"
  }`);
  });

  it("shows a whole new document as additions", () => {
    const lines = diffPolicy(undefined, doc(foreignB)).split("\n");
    expect(lines.every((l) => l.startsWith("+ "))).toBe(true);
  });
});
