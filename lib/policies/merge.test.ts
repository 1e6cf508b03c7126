import { describe, expect, it } from "vitest";
import {
  bucketPolicyFor,
  legacyBucketPolicyWithout,
  diffPolicy,
  eventBusPolicyFor,
  isPortalSid,
  keyPolicyFor,
  mergeStatements,
  parsePolicyDocument,
  policyEquals,
  type PolicyDocument,
  type Statement,
} from "@/lib/policies";
import { deriveResourceNames } from "@/lib/names/derive";
import { foreignStalePrincipals } from "./principals";
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
  const other = {
    ...spec,
    onboardingId: "onb_ref02",
    repoAccountId: "333333333333",
    repositoryName: "billing",
    branchName: "release",
    pipelineName: "billing-release",
  };
  const otherNames = deriveResourceNames(other);
  const repoStatement = (p: PolicyDocument) => p.Statement.find((s) => s.Sid === "PortalRepoAccountsUse");

  it("the key policy grows per repo account, not per pipeline; foreign statements stay", () => {
    const first = keyPolicyFor(doc(foreignA), spec, names, store);
    const both = keyPolicyFor(first, other, otherNames, store);
    expect(both.Statement.map((s) => s.Sid)).toEqual(["Enable IAM User Permissions", "PortalKeyAdministration", "PortalRepoAccountsUse"]);
    expect(repoStatement(both)?.Principal).toEqual({ AWS: ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"] });
    // A second pipeline of a repo account already granted changes nothing; re-applying either changes nothing.
    const sameAccount = { ...spec, onboardingId: "onb_ref03", pipelineName: "demo-service-dev", branchName: "dev" };
    expect(keyPolicyFor(both, sameAccount, deriveResourceNames(sameAccount), store)).toEqual(both);
    expect(keyPolicyFor(both, spec, names, store)).toEqual(both);
  });

  it("1,000 pipelines from 50 repo accounts keep the key policy far below KMS's 32 KB", () => {
    let p: PolicyDocument | undefined;
    for (let i = 0; i < 1000; i++) {
      const s = { ...spec, onboardingId: `onb_${i}`, repoAccountId: String(300000000000 + (i % 50)), pipelineName: `service-${i}-main` };
      p = keyPolicyFor(p, s, deriveResourceNames(s), store);
    }
    const size = Buffer.byteLength(JSON.stringify(p));
    expect((repoStatement(p!)?.Principal as { AWS: string[] }).AWS).toHaveLength(50);
    expect(size).toBeLessThan(4_000);
  });

  it("naming-v1 per-pipeline statements the shared statement covers are removed; others stay until their onboarding re-applies", () => {
    const grant = (Sid: string, AWS: string): Statement => ({
      Sid,
      Effect: "Allow",
      Principal: { AWS },
      Action: ["kms:Decrypt"],
      Resource: "*",
    });
    const v1 = doc(
      foreignA,
      grant("PortalPipelineRoleUseDemoServiceMain", "arn:aws:iam::111111111111:role/portal/demo-service-main-pipeline-role"),
      grant("PortalRepoAccount222222222222UseDemoServiceMain", "arn:aws:iam::222222222222:role/portal/demo-service-main-xacct-source"),
      grant("PortalRepoAccount333333333333UseBillingRelease", "arn:aws:iam::333333333333:role/portal/billing-release-xacct-source"),
    );
    expect(keyPolicyFor(v1, spec, names, store).Statement.map((s) => s.Sid)).toEqual([
      "Enable IAM User Permissions",
      "PortalRepoAccount333333333333UseBillingRelease",
      "PortalKeyAdministration",
      "PortalRepoAccountsUse",
    ]);
  });

  it("an Organization-wide grant replaces every per-account statement", () => {
    const org = { ...spec, organizationId: "o-abc123def4" };
    const withAccounts = keyPolicyFor(keyPolicyFor(undefined, spec, names, store), other, otherNames, store);
    const p = keyPolicyFor(withAccounts, org, deriveResourceNames(org), store);
    const s = p.Statement.find((x) => x.Sid === "PortalOrganizationUse");
    expect(s?.Principal).toBe("*");
    expect(s?.Condition).toEqual({
      StringEquals: { "aws:PrincipalOrgID": "o-abc123def4" },
      ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/portal/*" },
    });
  });

  it("deleted principals (bare unique ids) are dropped from the portal's statements and reported in foreign ones", () => {
    const stale = doc(
      {
        Sid: "PortalRepoAccountsUse",
        Effect: "Allow",
        Principal: { AWS: ["AROAEXAMPLEID1234567", "arn:aws:iam::444444444444:root"] },
        Action: "kms:Decrypt",
        Resource: "*",
      },
      {
        Sid: "PortalExistingBuildRolesUse",
        Effect: "Allow",
        Principal: { AWS: "AROAEXAMPLEID7654321" },
        Action: "kms:Decrypt",
        Resource: "*",
      },
      { Sid: "TeamGrant", Effect: "Allow", Principal: { AWS: "AIDAEXAMPLEUSER12345" }, Action: "kms:Decrypt", Resource: "*" },
    );
    const p = keyPolicyFor(stale, spec, names, store);
    expect(JSON.stringify(p)).not.toContain("AROA");
    expect(repoStatement(p)?.Principal).toEqual({ AWS: ["arn:aws:iam::222222222222:root", "arn:aws:iam::444444444444:root"] });
    expect(p.Statement.some((s) => s.Sid === "PortalExistingBuildRolesUse")).toBe(false);
    expect(foreignStalePrincipals(p)).toEqual([{ sid: "TeamGrant", ids: ["AIDAEXAMPLEUSER12345"] }]);
  });

  it("each onboarding's bucket policy names only its own roles; an existing project's role is granted and withdrawn", () => {
    const mine = bucketPolicyFor(doc(foreignA), spec, names, store);
    const theirs = bucketPolicyFor(undefined, other, otherNames, { ...store, bucketName: otherNames.artifactStore.bucketName });
    expect(names.artifactStore.bucketName).not.toBe(otherNames.artifactStore.bucketName);
    expect(JSON.stringify(mine)).not.toContain("billing-release");
    expect(JSON.stringify(theirs)).not.toContain("demo-service-main");
    expect(mine.Statement[0]).toEqual(foreignA);
    const role = "arn:aws:iam::111111111111:role/team-build";
    const granted = bucketPolicyFor(mine, spec, names, store, role);
    expect(granted.Statement.find((s) => s.Sid === "PortalExistingBuildRoleObjects")?.Principal).toEqual({ AWS: role });
    expect(bucketPolicyFor(granted, spec, names, store)).toEqual(mine);
  });

  it("the naming-v1 shared bucket loses only this onboarding's grants", () => {
    const v1 = doc(
      foreignA,
      { Sid: names.legacySids.bucketRepoObjects, Effect: "Allow", Principal: { AWS: "x" }, Action: "s3:GetObject", Resource: "*" },
      {
        Sid: otherNames.legacySids.bucketRepoObjects,
        Effect: "Allow",
        Principal: { AWS: "y" },
        Action: "s3:GetObject",
        Resource: "*",
      },
    );
    expect(legacyBucketPolicyWithout(v1, names).Statement.map((s) => s.Sid)).toEqual([
      "Enable IAM User Permissions",
      otherNames.legacySids.bucketRepoObjects,
    ]);
  });

  it("the event bus statement is one per repo account, or one for the organization", () => {
    const sameRepoAccount = deriveResourceNames({ ...spec, pipelineName: "demo-service-dev", branchName: "dev" });
    const p = eventBusPolicyFor(eventBusPolicyFor(undefined, names), sameRepoAccount);
    expect(p.Statement).toHaveLength(1);
    expect(eventBusPolicyFor(p, otherNames).Statement.map((s) => s.Sid)).toEqual([
      "portal-allow-222222222222",
      "portal-allow-333333333333",
    ]);
    const orgNames = deriveResourceNames({ ...spec, organizationId: "o-abc123def4" });
    const org = eventBusPolicyFor(undefined, orgNames, "o-abc123def4");
    expect(org.Statement).toEqual([
      {
        Sid: "portal-allow-organization",
        Effect: "Allow",
        Principal: "*",
        Action: "events:PutEvents",
        Resource: "arn:aws:events:us-east-1:111111111111:event-bus/default",
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123def4" } },
      },
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
