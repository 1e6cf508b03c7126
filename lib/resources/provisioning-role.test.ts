import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { boundaryPolicyArn, type Statement } from "@/lib/policies";
import {
  BOUNDED_ROLE_ACTIONS,
  provisioningCloudFormationTemplate,
  provisioningPermissionPolicy,
  provisioningPolicyParts,
  provisioningRoleKeyAdministration,
  provisioningTrustPolicy,
  PORTAL_KEY_ADMIN_ACTIONS,
  taggingActions,
  trustPrincipalFor,
} from "./provisioning-role";
import { deriveResourceNames } from "@/lib/names/derive";
import { fixture, pretty } from "@/lib/policies/__fixtures__/read";
import { referenceSpec } from "@/lib/policies/__fixtures__/reference";
import {
  globMatch,
  list,
  referenceViolations,
  sarAction,
  uncoveredRequiredTypes,
} from "@/lib/policies/__fixtures__/authorization-reference";

const actions = (statements: Statement[]) => statements.flatMap((s) => list(s.Action));
const allows = (statements: Statement[]) => statements.filter((s) => s.Effect === "Allow");
const PURPOSES = ["tools", "repo", "both"] as const;
const A = "111111111111";
const both = () => provisioningPermissionPolicy({ accountId: A, purpose: "both" });
const ssoRole = "arn:aws:iam::999999999999:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PortalOps_0123456789abcdef";

describe("the portal's trust principal", () => {
  it("an assumed role known only from GetCallerIdentity (no path) matches its role under any path, SSO roles included", () => {
    const p = trustPrincipalFor("arn:aws:sts::999999999999:assumed-role/AWSReservedSSO_PortalOps_0123456789abcdef/portal@example.com");
    expect(p).toEqual({
      accountId: "999999999999",
      principalArnPatterns: [
        "arn:aws:iam::999999999999:role/AWSReservedSSO_PortalOps_0123456789abcdef",
        "arn:aws:iam::999999999999:role/*/AWSReservedSSO_PortalOps_0123456789abcdef",
      ],
    });
    // aws:PrincipalArn of the session is the role ARN WITH its path: one of the patterns must match it.
    expect(p!.principalArnPatterns.some((pattern) => globMatch(pattern, ssoRole))).toBe(true);
    expect(
      p!.principalArnPatterns.some((pattern) =>
        globMatch(pattern, "arn:aws:iam::999999999999:role/AWSReservedSSO_PortalOps_0123456789abcdef"),
      ),
    ).toBe(true);
    // ... and not a role whose name merely ends the same way, nor the same name in another account.
    expect(
      p!.principalArnPatterns.some((pattern) =>
        globMatch(pattern, "arn:aws:iam::999999999999:role/xAWSReservedSSO_PortalOps_0123456789abcdef"),
      ),
    ).toBe(false);
    expect(
      p!.principalArnPatterns.some((pattern) =>
        globMatch(pattern, "arn:aws:iam::888888888888:role/AWSReservedSSO_PortalOps_0123456789abcdef"),
      ),
    ).toBe(false);
  });

  it("never turns an assumed role into role/NAME as the principal (a principal that does not exist when the role has a path)", () => {
    const doc = provisioningTrustPolicy({
      principal: trustPrincipalFor("arn:aws:sts::999999999999:assumed-role/AWSReservedSSO_PortalOps_0123456789abcdef/s")!,
      externalId: "ext-1",
    });
    for (const s of doc.Statement) expect(s.Principal).toEqual({ AWS: "arn:aws:iam::999999999999:root" });
  });

  it("users and roles given by their IAM ARN (with path) are matched exactly", () => {
    expect(trustPrincipalFor("arn:aws:iam::999999999999:user/portal")).toEqual({
      accountId: "999999999999",
      principalArnPatterns: ["arn:aws:iam::999999999999:user/portal"],
    });
    expect(trustPrincipalFor("arn:aws:iam::999999999999:user/service/portal")?.principalArnPatterns).toEqual([
      "arn:aws:iam::999999999999:user/service/portal",
    ]);
    expect(trustPrincipalFor("arn:aws:iam::999999999999:role/portal")?.principalArnPatterns).toEqual([
      "arn:aws:iam::999999999999:role/portal",
    ]);
    expect(trustPrincipalFor(ssoRole)?.principalArnPatterns).toEqual([ssoRole]);
    expect(trustPrincipalFor("arn:aws:sts::999999999999:federated-user/portal")?.principalArnPatterns).toEqual([
      "arn:aws:sts::999999999999:federated-user/portal",
    ]);
  });

  it("nothing that cannot assume a role becomes a principal", () => {
    expect(trustPrincipalFor("arn:aws:iam::999999999999:root")).toBeNull();
    expect(trustPrincipalFor("unknown (GetCallerIdentity failed: CredentialsProviderError)")).toBeNull();
    expect(trustPrincipalFor("arn:aws:sts::999999999999:assumed-role/only-a-name")).toBeNull();
  });
});

describe("provisioning role trust", () => {
  const trust = provisioningTrustPolicy({ principal: trustPrincipalFor("arn:aws:iam::999999999999:role/portal")!, externalId: "ext-123" });

  it("byte for byte", () => {
    expect(pretty(trust)).toBe(fixture("provisioning-role-trust.json"));
  });

  it("AssumeRole only with the ExternalId; SetSourceIdentity in its own statement for the same principal", () => {
    const assume = trust.Statement.filter((s) => list(s.Action).includes("sts:AssumeRole"));
    const source = trust.Statement.filter((s) => list(s.Action).includes("sts:SetSourceIdentity"));
    expect(assume).toHaveLength(1);
    expect(source).toHaveLength(1);
    expect(list(assume[0].Action)).toEqual(["sts:AssumeRole"]);
    expect(list(source[0].Action)).toEqual(["sts:SetSourceIdentity"]);
    expect(assume[0].Condition?.StringEquals?.["sts:ExternalId"]).toBe("ext-123");
    expect(source[0].Principal).toEqual(assume[0].Principal);
    expect(source[0].Condition?.ArnLike).toEqual(assume[0].Condition?.ArnLike);
  });

  it("uses condition keys the reference lists for each action", () => {
    expect(referenceViolations(trust.Statement, A)).toEqual([]);
    expect(sarAction("sts:AssumeRole")!.conditionKeys).toContain("sts:ExternalId");
  });
});

describe("provisioning role permission policy", () => {
  it("CloudFormation template (boundary, then the role), byte for byte", () => {
    const t = provisioningCloudFormationTemplate({
      accountId: A,
      purpose: "both",
      principal: trustPrincipalFor("arn:aws:iam::999999999999:role/portal")!,
      externalId: "ext-123",
    });
    expect(pretty(t)).toBe(fixture("provisioning-template-both.json"));
    expect(t.Resources.ProvisioningRole.DependsOn).toBe("PermissionsBoundary");
  });

  it("template without defaults leaves the parameters to the person deploying it", () => {
    const t = provisioningCloudFormationTemplate({ accountId: "222222222222", purpose: "repo" });
    expect(t.Parameters.PortalAccountId).not.toHaveProperty("Default");
    expect(t.Parameters.PortalPrincipalArns).not.toHaveProperty("Default");
    expect(t.Parameters.ExternalId).not.toHaveProperty("Default");
    expect(t.Description).toBe("Permissions boundary and provisioning role for the crossline portal (repository account)");
  });

  it('puts every action on a resource of a type the Service Authorization Reference lists for it (no-resource-type actions on "*")', () => {
    for (const purpose of PURPOSES) {
      const p = provisioningPermissionPolicy({ accountId: A, purpose });
      expect(referenceViolations(p.Statement, A), purpose).toEqual([]);
      expect(uncoveredRequiredTypes(p.Statement, A), purpose).toEqual([]);
    }
    const putPermission = both().Statement.filter((s) => list(s.Action).includes("events:PutPermission"));
    expect(putPermission.map((s) => s.Resource)).toEqual(["*"]);
  });

  it("grants exactly the AWS calls the portal makes (lib/, app/), plus what AWS authorizes alongside them", () => {
    const called = sdkActionsCalled();
    // Authorized alongside a call: tags given to a create, the role handed to a service.
    // DeleteObjects with a VersionId is authorized as s3:DeleteObjectVersion per object.
    const implied = [
      "kms:TagResource",
      "codepipeline:TagResource",
      "events:TagResource",
      "iam:TagRole",
      "iam:PassRole",
      "s3:DeleteObjectVersion",
    ];
    // Called by the provisioning steps being merged from main (issue 8): the boundary put on a portal role created
    // before it existed; retiring what naming v1 created; the rule-ownership read.
    const ahead = [
      "iam:PutRolePermissionsBoundary",
      "iam:ListRolePolicies",
      "iam:ListAttachedRolePolicies",
      "iam:DeleteRolePolicy",
      "iam:DetachRolePolicy",
      "iam:DeleteRole",
      "codebuild:DeleteProject",
      "events:ListTagsForResource",
    ];
    // Portal keys are administered through the statement their key policy carries from CreateKey, not through IAM.
    const viaKeyPolicy = list(provisioningRoleKeyAdministration(`arn:aws:iam::${A}:role/crossline-portal-provisioning`).Action);
    const granted = new Set([...actions(allows(both().Statement)), ...viaKeyPolicy]);
    expect([...called].filter((a) => !granted.has(a)).sort(), "called but not granted").toEqual([]);
    expect(
      [...granted].filter((a) => !called.has(a) && !implied.includes(a) && !ahead.includes(a)).sort(),
      "granted but never called",
    ).toEqual([]);
  });

  it("creates and changes roles only under /portal/ and only with the boundary, which it can neither remove nor edit", () => {
    const p = both();
    const boundary = boundaryPolicyArn(A);
    for (const a of BOUNDED_ROLE_ACTIONS) expect(sarAction(a)!.conditionKeys, a).toContain("iam:PermissionsBoundary");
    for (const s of allows(p.Statement).filter((s) => list(s.Action).some((a) => BOUNDED_ROLE_ACTIONS.includes(a)))) {
      expect(s.Condition?.StringEquals?.["iam:PermissionsBoundary"], s.Sid).toBe(boundary);
      expect(s.Resource, s.Sid).toBe(`arn:aws:iam::${A}:role/portal/*`);
    }
    const deny = p.Statement.filter((s) => s.Effect === "Deny");
    const denied = (action: string, resource: string) =>
      deny.some((s) => list(s.Action).includes(action) && list(s.Resource).some((r) => globMatch(r, resource)) && !s.Condition);
    expect(denied("iam:DeleteRolePermissionsBoundary", `arn:aws:iam::${A}:role/portal/x-pipeline-role`)).toBe(true);
    for (const a of ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"])
      expect(denied(a, boundary), a).toBe(true);
    const unbounded = deny.find((s) => s.Sid === "DenyRoleChangesWithoutBoundary")!;
    expect(list(unbounded.Action).sort()).toEqual([...BOUNDED_ROLE_ACTIONS].sort());
    expect(unbounded.Condition).toEqual({ StringNotEquals: { "iam:PermissionsBoundary": boundary } });
    expect(
      actions(allows(p.Statement)).filter((a) => /^iam:(Attach|CreatePolicy|DeletePolicy|DeleteRolePermissionsBoundary)/.test(a)),
    ).toEqual([]);
    // Retiring (narrowing or deleting) only roles the portal created, which carry its onboarding tag.
    const retire = allows(p.Statement).filter((s) => list(s.Action).some((a) => /^iam:(Delete|Detach)/.test(a)));
    expect(retire.map((s) => [s.Resource, s.Condition])).toEqual([
      [`arn:aws:iam::${A}:role/portal/*`, { Null: { "aws:ResourceTag/portal:onboarding": "false" } }],
    ]);
  });

  it("mutates KMS keys, pipelines, build projects and rules only when tagged by the portal; creates them only with that tag; reads unconditioned", () => {
    const p = both();
    const mutations = [
      "codepipeline:UpdatePipeline",
      "codepipeline:StartPipelineExecution",
      "codepipeline:StopPipelineExecution",
      "codebuild:UpdateProject",
      "events:PutTargets",
      "sns:SetTopicAttributes",
      "sns:Subscribe",
      "sns:Unsubscribe",
      "codestar-notifications:UpdateNotificationRule",
      // Stage and action ARNs carry their pipeline's tags (aws:ResourceTag is listed for both resource types).
      "codepipeline:RetryStageExecution",
      "codepipeline:PutApprovalResult",
    ];
    const creations = [
      "kms:CreateKey",
      "kms:TagResource",
      "codepipeline:CreatePipeline",
      "codepipeline:TagResource",
      "codebuild:CreateProject",
      "events:TagResource",
      "iam:TagRole",
      "sns:CreateTopic",
      "sns:TagResource",
      "codestar-notifications:CreateNotificationRule",
      "codestar-notifications:TagResource",
    ];
    const grants = (a: string) => allows(p.Statement).filter((s) => list(s.Action).includes(a));
    for (const a of mutations) {
      expect(grants(a).length, a).toBeGreaterThan(0);
      for (const s of grants(a))
        expect(s.Condition?.StringEquals?.["aws:ResourceTag/portal:managed-by"], `${a} in ${s.Sid}`).toBe("crossline-portal");
    }
    for (const a of creations) {
      expect(grants(a).length, a).toBeGreaterThan(0);
      for (const s of grants(a))
        expect(s.Condition?.StringEquals?.["aws:RequestTag/portal:managed-by"], `${a} in ${s.Sid}`).toBe("crossline-portal");
    }
    // PutRule creates and updates: tag-on-create, or an existing rule the portal tagged; either way only the portal's
    // rule names, since IAM cannot tell a tag-on-create from tagging an existing untagged rule.
    expect(
      grants("events:PutRule")
        .map((s) => Object.keys(s.Condition?.StringEquals ?? {})[0])
        .sort(),
    ).toEqual(["aws:RequestTag/portal:managed-by", "aws:ResourceTag/portal:managed-by"]);
    const portalRules = [`arn:aws:events:*:${A}:rule/*-start-on-push`, `arn:aws:events:*:${A}:rule/*-forward-push`];
    for (const a of ["events:PutRule", "events:TagResource", "events:PutTargets", "events:RemoveTargets", "events:DeleteRule"]) {
      for (const s of grants(a)) expect(s.Resource, `${a} in ${s.Sid}`).toEqual(portalRules);
    }
    // No tagging action ever re-tags a resource carrying another portal:managed-by value.
    for (const a of creations.filter((x) => /Tag(Resource|Role)$/.test(x))) {
      for (const s of grants(a))
        expect(s.Condition?.StringEqualsIfExists?.["aws:ResourceTag/portal:managed-by"], `${a} in ${s.Sid}`).toBe("crossline-portal");
    }
    // KMS keys are changed only through the key policy statement written at CreateKey: no IAM grant changes a key, so
    // a foreign key tagged portal:managed-by gains nothing. The alias side only on the portal's alias names.
    for (const a of ["kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:EnableKey", "kms:CancelKeyDeletion", "kms:ScheduleKeyDeletion"])
      expect(grants(a), a).toEqual([]);
    for (const a of ["kms:CreateAlias", "kms:DeleteAlias"]) {
      expect(
        grants(a).map((s) => [s.Resource, s.Condition ?? null]),
        a,
      ).toEqual([[`arn:aws:kms:*:${A}:alias/codepipeline-artifacts-*`, null]]);
    }
    // Retrying a stage and answering an approval: on the account's stage and action ARNs, of the portal's pipelines only.
    for (const a of ["codepipeline:RetryStageExecution", "codepipeline:PutApprovalResult"]) {
      expect(
        grants(a).map((s) => [s.Resource, s.Condition]),
        a,
      ).toEqual([[`arn:aws:codepipeline:*:${A}:*/*`, { StringEquals: { "aws:ResourceTag/portal:managed-by": "crossline-portal" } }]]);
    }
    // DescribeNotificationRule has a resource type (notificationrule): granted on it, never on "*".
    expect(grants("codestar-notifications:DescribeNotificationRule").map((s) => s.Resource)).toEqual([
      `arn:aws:codestar-notifications:*:${A}:notificationrule/*`,
    ]);
    // Block Public Access is never written by the role (new buckets block it by default; drift reports a loosened one).
    expect(grants("s3:PutBucketPublicAccessBlock")).toEqual([]);
    for (const a of [
      "kms:DescribeKey",
      "kms:ListResourceTags",
      "kms:GetKeyPolicy",
      "codepipeline:GetPipeline",
      "codebuild:BatchGetProjects",
      "events:DescribeRule",
      "events:ListTargetsByRule",
      "iam:GetRole",
    ]) {
      for (const s of grants(a)) expect(s.Condition, `${a} in ${s.Sid}`).toBeUndefined();
    }
  });

  it("the key-policy statement for a new key grants the provisioning role exactly what it may do to portal keys (no tag delay on the first apply)", () => {
    const s = provisioningRoleKeyAdministration(`arn:aws:iam::${A}:role/crossline-portal-provisioning`);
    expect(list(s.Action).sort()).toEqual([...PORTAL_KEY_ADMIN_ACTIONS].sort());
    expect(list(s.Action).sort()).toEqual([
      "kms:CancelKeyDeletion",
      "kms:CreateAlias",
      "kms:DeleteAlias",
      "kms:EnableKey",
      "kms:EnableKeyRotation",
      "kms:PutKeyPolicy",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
    ]);
    expect(s.Principal).toEqual({ AWS: `arn:aws:iam::${A}:role/crossline-portal-provisioning` });
    expect(referenceViolations([s], A)).toEqual([]);
  });

  it("S3: only the account's own artifact buckets (aws:ResourceAccount)", () => {
    const s3 = allows(both().Statement).filter((s) => list(s.Action).some((a) => a.startsWith("s3:")));
    expect(s3.length).toBeGreaterThan(0);
    for (const s of s3) {
      expect(s.Condition?.StringEquals?.["aws:ResourceAccount"], s.Sid).toBe(A);
      for (const r of list(s.Resource)) expect(r.startsWith(`arn:aws:s3:::codepipeline-artifacts-${A}-`), r).toBe(true);
    }
  });

  it("per purpose: tools calls only for tools accounts, CodeCommit reads only for repository accounts", () => {
    const tools = actions(provisioningPermissionPolicy({ accountId: A, purpose: "tools" }).Statement);
    const repo = actions(provisioningPermissionPolicy({ accountId: "222222222222", purpose: "repo" }).Statement);
    expect(tools).not.toContain("codecommit:GetRepository");
    for (const a of ["kms:CreateKey", "s3:CreateBucket", "codepipeline:CreatePipeline", "events:PutPermission", "codebuild:CreateProject"])
      expect(repo).not.toContain(a);
    for (const a of [
      "codecommit:GetRepository",
      "codecommit:GetBranch",
      "iam:CreateRole",
      "iam:PutRolePolicy",
      "iam:PassRole",
      "events:PutRule",
      "events:PutTargets",
    ])
      expect(repo).toContain(a);
  });

  it("PassRole is limited per role kind by iam:PassedToService, and matches the derived role ARNs", () => {
    const p = both();
    const pass = p.Statement.filter((s) => s.Action === "iam:PassRole");
    expect(pass.map((s) => [s.Resource, s.Condition?.StringEquals?.["iam:PassedToService"]])).toEqual([
      [`arn:aws:iam::${A}:role/portal/*-pipeline-role`, "codepipeline.amazonaws.com"],
      [`arn:aws:iam::${A}:role/portal/*-codebuild-role`, "codebuild.amazonaws.com"],
      [`arn:aws:iam::${A}:role/portal/*-start-on-push-role`, "events.amazonaws.com"],
      [`arn:aws:iam::${A}:role/portal/*-forward-push-role`, "events.amazonaws.com"],
    ]);
    const n = deriveResourceNames({ ...referenceSpec, toolsAccountId: A, pipelineName: "x".repeat(100) });
    expect(globMatch(pass[0].Resource as string, n.roles.pipeline.arn)).toBe(true);
    expect(globMatch(pass[1].Resource as string, n.roles.codeBuild!.arn)).toBe(true);
    expect(globMatch(pass[2].Resource as string, n.roles.startOnPush.arn)).toBe(true);
  });

  it("never tags a resource an administrator marked with another portal:managed-by value (every tagging action it holds, whatever else allows it)", () => {
    for (const purpose of PURPOSES) {
      const p = provisioningPermissionPolicy({ accountId: A, purpose });
      const tagging = taggingActions(purpose);
      // Every tagging action the role is granted (IAM or, for keys, the key policy statement) is in the Deny.
      const granted = [...actions(allows(p.Statement)), ...(purpose === "repo" ? [] : PORTAL_KEY_ADMIN_ACTIONS)].filter((a) =>
        /:(Tag|PutBucketTagging)/.test(a),
      );
      expect([...new Set(granted)].sort(), purpose).toEqual([...tagging].sort());
      const deny = p.Statement.filter((s) => s.Effect === "Deny" && list(s.Action).some((a) => tagging.includes(a)));
      expect(deny, purpose).toEqual([
        {
          Sid: "DenyTaggingMarkedOut",
          Effect: "Deny",
          Action: tagging,
          Resource: "*",
          // Present (Null false) AND not the portal's: creation and untagged resources (no resource tag) are not denied.
          Condition: {
            Null: { "aws:ResourceTag/portal:managed-by": "false" },
            StringNotEquals: { "aws:ResourceTag/portal:managed-by": "crossline-portal" },
          },
        },
      ]);
      // In the inline policy, so it holds whichever document the Allow lives in.
      expect(
        provisioningPolicyParts({ accountId: A, purpose }).inline.Statement.map((s) => s.Sid),
        purpose,
      ).toContain("DenyTaggingMarkedOut");
    }
  });

  it("fits IAM's limits as deployed: 10,240 characters inline, 6,144 in the attached managed policy", () => {
    // IAM counts policy characters without whitespace: 10,240 for all of a role's inline policies, 6,144 per managed policy.
    for (const purpose of PURPOSES) {
      const parts = provisioningPolicyParts({ accountId: A, purpose });
      expect(JSON.stringify(parts.inline).replace(/\s/g, "").length, purpose).toBeLessThanOrEqual(10_240);
      if (parts.managed) expect(JSON.stringify(parts.managed).replace(/\s/g, "").length, purpose).toBeLessThanOrEqual(6_144);
      // Together the two parts are exactly the role's grants, each statement in one part only.
      const sids = [...parts.inline.Statement, ...(parts.managed?.Statement ?? [])].map((st) => st.Sid).sort();
      expect(sids).toEqual(
        provisioningPermissionPolicy({ accountId: A, purpose })
          .Statement.map((st) => st.Sid)
          .sort(),
      );
      expect(new Set(sids).size).toBe(sids.length);
    }
  });
});

// ------------------------------------------------------------------ what lib/ calls

const SERVICE_PREFIX: Record<string, string> = {
  sts: "sts",
  iam: "iam",
  kms: "kms",
  s3: "s3",
  codecommit: "codecommit",
  codebuild: "codebuild",
  codepipeline: "codepipeline",
  eventbridge: "events",
  "cloudwatch-logs": "logs",
  sns: "sns",
  "codestar-notifications": "codestar-notifications",
};
/** SDK commands whose IAM action has another name (Service Authorization Reference, S3). */
const ACTION_FOR_COMMAND: Record<string, string> = {
  "s3:HeadBucket": "s3:ListBucket",
  "s3:GetBucketEncryption": "s3:GetEncryptionConfiguration",
  "s3:PutBucketEncryption": "s3:PutEncryptionConfiguration",
  "s3:GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
  "s3:PutPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
  "s3:ListObjectVersions": "s3:ListBucketVersions",
  "s3:DeleteObjects": "s3:DeleteObject",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const full = path.join(dir, f);
    if (statSync(full).isDirectory()) return f === "generated" || f === "__fixtures__" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) ? [full] : [];
  });
}

/** IAM actions of every SDK command the portal sends with the provisioning role's credentials. */
function sdkActionsCalled(): Set<string> {
  const root = path.resolve(__dirname, "../..");
  const files = [...sourceFiles(path.join(root, "lib")), ...sourceFiles(path.join(root, "app"))]
    // Not the provisioning role: sandbox set-up as account root, and the portal's own identity.
    .filter((f) => !f.includes(`${path.sep}demo${path.sep}`) && !f.endsWith("portal-identity.ts"));
  const out = new Set<string>();
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    const commandService = new Map<string, string>();
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/client-([\w-]+)"/g)) {
      for (const name of m[1].split(",").map((x) => x.trim().replace(/^type\s+/, "")))
        if (name.endsWith("Command")) commandService.set(name, SERVICE_PREFIX[m[2]]);
    }
    for (const m of text.matchAll(/new\s+(\w+)Command\s*\(/g)) {
      const service = commandService.get(`${m[1]}Command`);
      if (!service) continue;
      const action = `${service}:${m[1]}`;
      out.add(ACTION_FOR_COMMAND[action] ?? action);
    }
  }
  out.delete("sts:AssumeRole"); // made by the portal's own identity, into this role
  return out;
}
