import { describe, expect, it } from "vitest";
import { keyPolicyFor } from "@/lib/policies/kms-key-policy";
import { bucketPolicyFor } from "@/lib/policies/bucket-policy";
import { eventBusPolicyFor } from "@/lib/policies/event-bus-policy";
import { deriveResourceNames } from "@/lib/names/derive";
import type { PolicyDocument, Statement } from "@/lib/policies/types";
import { referenceNames as n, referenceSpec, referenceStore } from "@/lib/policies/__fixtures__/reference";
import { eventBusPolicyWithout, keptBucketPolicy, keyPolicyWithout } from "./documents";
import { summarize, teardownGroups } from "./plan";
import { teardownChoicesSchema } from "@/lib/runs/run-plan";
import { destroyFormSchema } from "./options";
import type { PlanItem } from "@/lib/runs/types";

const foreign: Statement = {
  Sid: "TeamAuditorsDescribe",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::111111111111:root" },
  Action: "kms:DescribeKey",
  Resource: "*",
};
const otherRepo = {
  ...referenceSpec,
  onboardingId: "onb_other",
  repoAccountId: "333333333333",
  pipelineName: "other-main",
  build: { mode: "existing" as const, projectName: "team-build" },
};
const otherNames = deriveResourceNames(otherRepo);
const teamRole = "arn:aws:iam::111111111111:role/team-build";

/** The shared key policy after this onboarding (repo 222…) and another (repo 333…, existing build project) applied, plus a foreign statement. */
function sharedKey(): PolicyDocument {
  const mine = keyPolicyFor(undefined, referenceSpec, n, referenceStore);
  const both = keyPolicyFor(mine, otherRepo, otherNames, referenceStore, teamRole);
  return { ...both, Statement: [...both.Statement, foreign] };
}

describe("teardown documents", () => {
  it("the key policy loses this repo account's principal only; the other onboarding's grants and foreign statements stay, byte for byte", () => {
    const out = keyPolicyWithout(sharedKey(), n, { repoAccountStillUsed: false, keyStillUsed: true });
    expect(JSON.stringify(out)).toBe(
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "PortalKeyAdministration",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::111111111111:root" },
            Action: "kms:*",
            Resource: "*",
          },
          {
            Sid: "PortalRepoAccountsUse",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::333333333333:root" },
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: "*",
            Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/portal/*" } },
          },
          {
            Sid: "PortalExistingBuildRoleUseOtherMain",
            Effect: "Allow",
            Principal: { AWS: teamRole },
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: {
              StringLike: {
                "kms:EncryptionContext:aws:s3:arn": [otherNames.artifactStore.bucketArn, `${otherNames.artifactStore.bucketArn}/*`],
              },
            },
          },
          foreign,
        ],
      }),
    );
  });

  it("a repo account another onboarding still uses keeps its grant: nothing changes", () => {
    const current = sharedKey();
    expect(keyPolicyWithout(current, n, { repoAccountStillUsed: true, keyStillUsed: true })).toEqual(current);
  });

  it("the last repo account's statement goes entirely; an existing build role is removed by ARN", () => {
    const mine = keyPolicyFor(undefined, otherRepo, otherNames, referenceStore, teamRole);
    const out = keyPolicyWithout(mine, otherNames, { repoAccountStillUsed: false, keyStillUsed: false, buildRoleToRemove: teamRole });
    expect(out.Statement.map((s) => s.Sid)).toEqual(["PortalKeyAdministration"]);
  });

  it("the bus policy loses exactly the repo account's statement", () => {
    const other: Statement = {
      Sid: "team-analytics",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::444444444444:root" },
      Action: "events:PutEvents",
      Resource: n.events.toolsBusArn,
    };
    const current = eventBusPolicyFor({ Version: "2012-10-17", Statement: [other] }, n);
    expect(JSON.stringify(eventBusPolicyWithout(current, n))).toBe(JSON.stringify({ Version: "2012-10-17", Statement: [other] }));
  });

  it("a kept bucket keeps its guards and loses the grants to the deleted roles", () => {
    const current = bucketPolicyFor(undefined, referenceSpec, n, referenceStore);
    const out = keptBucketPolicy(current, n);
    expect(out.Statement.map((s) => s.Sid)).toEqual([
      "PortalDenyUnencryptedObjectUploads",
      "PortalDenyInsecureTransport",
      "PortalDenyOtherKmsKey",
      "PortalDenyTlsBelow12",
      "PortalDenyOtherPortalRoles",
      "PortalDenyOtherToolsPrincipals",
    ]);
    expect(current.Statement.map((s) => s.Sid)).toEqual([
      ...out.Statement.map((s) => s.Sid),
      "PortalSourceRoleObjects",
      "PortalSourceRoleList",
    ]);
  });
});

describe("teardown plan shape and options", () => {
  const item = (action: PlanItem["action"], name: string): PlanItem => ({
    stepKey: "destroy.x",
    title: "x",
    account: "tools",
    accountId: "111111111111",
    kind: "k",
    name,
    action,
    reason: "",
    documents: [],
    cli: [],
  });
  it("groups deletions, statement removals and kept resources", () => {
    const items = [item("delete", "a"), item("update", "b"), item("keep", "c"), item("delete", "d")];
    const g = teardownGroups(items);
    expect([g.remove.map((i) => i.name), g.statements.map((i) => i.name), g.keep.map((i) => i.name)]).toEqual([["a", "d"], ["b"], ["c"]]);
    expect(summarize(items)).toMatchObject({ delete: 2, update: 1, keep: 1, create: 0 });
  });

  it("options keep everything by default and bound the key's waiting period to 7-30 days", () => {
    expect(teardownChoicesSchema.parse({})).toEqual({ deleteBucket: false, deleteKey: false, keyWaitingDays: 30 });
    expect(teardownChoicesSchema.safeParse({ deleteKey: true, keyWaitingDays: 6 }).success).toBe(false);
    expect(teardownChoicesSchema.safeParse({ deleteKey: true, keyWaitingDays: 31 }).success).toBe(false);
    expect(teardownChoicesSchema.safeParse({ keyWaitingDays: 7.5 }).success).toBe(false);
    const form = destroyFormSchema.safeParse({ id: "o1", deleteBucket: "on", keyWaitingDays: "3", confirmName: "p" });
    expect(form.success ? null : form.error.issues[0].path).toEqual(["keyWaitingDays"]);
    expect(destroyFormSchema.parse({ id: "o1", deleteBucket: "on", keyWaitingDays: "14", confirmName: " p " })).toEqual({
      id: "o1",
      deleteBucket: true,
      deleteKey: false,
      keyWaitingDays: 14,
      confirmName: "p",
    });
  });
});
