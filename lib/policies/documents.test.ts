import { describe, expect, it } from "vitest";
import {
  KMS_USAGE_ACTIONS,
  bucketPolicyFor,
  codeBuildProjectInput,
  codeBuildRolePermissionPolicy,
  codeBuildRoleTrustPolicy,
  createPipelineInput,
  crossAccountRolePermissionPolicy,
  crossAccountRoleTrustPolicy,
  eventBusPolicyFor,
  eventBusPutPermissionInput,
  eventPatternEquals,
  forwardPushRolePermissionPolicy,
  forwardPushRoleTrustPolicy,
  keyPolicyFor,
  keyPolicyStatementsFor,
  pipelineRolePermissionPolicy,
  pipelineRoleTrustPolicy,
  pushEventPattern,
  repoRuleInput,
  repoTargetsInput,
  startOnPushRolePermissionPolicy,
  startOnPushRoleTrustPolicy,
  toolsRuleInput,
  toolsTargetsInput,
  type PolicyDocument,
  type Statement,
} from "@/lib/policies";
import { deriveResourceNames } from "@/lib/names/derive";
import { fixture, pretty } from "./__fixtures__/read";
import { referenceNames as names, referenceSpec as spec, referenceStore as store } from "./__fixtures__/reference";

const asArray = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function allDocuments(): Record<string, unknown> {
  return {
    "key-policy.json": keyPolicyFor(undefined, spec, names, store),
    "bucket-policy.json": bucketPolicyFor(undefined, spec, names, store),
    "pipeline-role-trust.json": pipelineRoleTrustPolicy(spec, names),
    "pipeline-role-policy.json": pipelineRolePermissionPolicy(spec, names, store),
    "codebuild-role-trust.json": codeBuildRoleTrustPolicy(spec, names),
    "codebuild-role-policy.json": codeBuildRolePermissionPolicy(spec, names, store),
    "codebuild-project.json": codeBuildProjectInput(spec, names, store),
    "cross-account-role-trust.json": crossAccountRoleTrustPolicy(spec, names),
    "cross-account-role-policy.json": crossAccountRolePermissionPolicy(spec, names, store),
    "event-bus-policy.json": eventBusPolicyFor(undefined, names),
    "repo-rule.json": repoRuleInput(spec, names),
    "repo-targets.json": repoTargetsInput(names),
    "forward-push-role-trust.json": forwardPushRoleTrustPolicy(names),
    "forward-push-role-policy.json": forwardPushRolePermissionPolicy(names),
    "tools-rule.json": toolsRuleInput(spec, names),
    "tools-targets.json": toolsTargetsInput(names),
    "start-on-push-role-trust.json": startOnPushRoleTrustPolicy(names),
    "start-on-push-role-policy.json": startOnPushRolePermissionPolicy(names),
    "create-pipeline-input.json": createPipelineInput(spec, names, store),
  };
}

describe("reference onboarding documents, byte for byte", () => {
  for (const [file, doc] of Object.entries(allDocuments())) {
    it(file, () => {
      expect(pretty(doc)).toBe(fixture(file));
    });
  }

  it("the event pattern is canonical JSON", () => {
    expect(pushEventPattern(names)).toBe(
      '{"detail":{"event":["referenceCreated","referenceUpdated"],"referenceName":["main"],"referenceType":["branch"]},' +
        '"detail-type":["CodeCommit Repository State Change"],' +
        '"resources":["arn:aws:codecommit:us-east-1:222222222222:demo-service"],"source":["aws.codecommit"]}',
    );
    const authored = JSON.stringify({
      source: ["aws.codecommit"],
      "detail-type": ["CodeCommit Repository State Change"],
      resources: ["arn:aws:codecommit:us-east-1:222222222222:demo-service"],
      detail: { event: ["referenceCreated", "referenceUpdated"], referenceType: ["branch"], referenceName: ["main"] },
    });
    expect(eventPatternEquals(authored, pushEventPattern(names))).toBe(true);
    expect(eventPatternEquals("not json", pushEventPattern(names))).toBe(false);
  });

  it("the event bus PutPermission input", () => {
    expect(JSON.stringify(eventBusPutPermissionInput(names))).toBe(
      '{"EventBusName":"default","Action":"events:PutEvents","Principal":"222222222222","StatementId":"portal-allow-222222222222"}',
    );
  });
});

describe("traps", () => {
  const docs = allDocuments();
  const policies = Object.entries(docs).filter(([, d]) => typeof d === "object" && d !== null && "Statement" in d) as [
    string,
    PolicyDocument,
  ][];

  it("no codecommit:* (nor any service-wide wildcard other than the key admin and the deny guards) anywhere", () => {
    const everything = JSON.stringify(docs);
    expect(everything).not.toContain("codecommit:*");
    expect(everything).not.toContain("AWSCodeCommitFullAccess");
    const wildcards: string[] = [];
    for (const [file, doc] of policies) {
      for (const s of doc.Statement) {
        for (const a of asArray(s.Action)) {
          if (a.endsWith(":*")) wildcards.push(`${file} ${s.Sid} ${s.Effect} ${a}`);
        }
      }
    }
    expect(wildcards).toEqual([
      "key-policy.json PortalKeyAdministration Allow kms:*",
      "bucket-policy.json PortalDenyInsecureTransport Deny s3:*",
      "bucket-policy.json PortalDenyTlsBelow12 Deny s3:*",
      "bucket-policy.json PortalDenyOtherPortalRoles Deny s3:*",
      "bucket-policy.json PortalDenyOtherToolsPrincipals Deny s3:*",
    ]);
  });

  it("the pipeline role may assume the one cross-account role, not role/*", () => {
    const p = pipelineRolePermissionPolicy(spec, names, store);
    const assume = p.Statement.filter((s) => asArray(s.Action).includes("sts:AssumeRole"));
    expect(assume).toHaveLength(1);
    expect(assume[0].Resource).toBe("arn:aws:iam::222222222222:role/portal/demo-service-main-111111111111-us-east-1-xacct-source");
    expect(JSON.stringify(p)).not.toContain("role/*");
  });

  it("every key grant has exactly the five usage actions", () => {
    expect(KMS_USAGE_ACTIONS).toEqual(["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]);
    const grants: Statement[] = [
      ...keyPolicyStatementsFor(undefined, spec, names),
      ...[pipelineRolePermissionPolicy, codeBuildRolePermissionPolicy, crossAccountRolePermissionPolicy].flatMap((f) =>
        f(spec, names, store).Statement.filter((s) => asArray(s.Action).some((a) => a.startsWith("kms:"))),
      ),
    ];
    expect(grants).toHaveLength(4);
    for (const g of grants) expect(g.Action).toEqual(KMS_USAGE_ACTIONS);
  });

  it("the repo account's role gets PutObjectAcl on objects and ListBucket on the bucket (bucket and identity policy)", () => {
    for (const doc of [bucketPolicyFor(undefined, spec, names, store), crossAccountRolePermissionPolicy(spec, names, store)]) {
      const objects = doc.Statement.find((s) => s.Effect === "Allow" && s.Resource === `${names.artifactStore.bucketArn}/*`);
      const bucket = doc.Statement.find((s) => s.Effect === "Allow" && s.Resource === names.artifactStore.bucketArn);
      expect(objects?.Action).toEqual(["s3:GetObject*", "s3:PutObject", "s3:PutObjectAcl"]);
      expect(bucket?.Action).toBe("s3:ListBucket");
    }
  });

  it("key references are the key ARN, never the alias", () => {
    const everything = JSON.stringify(docs);
    expect(everything).not.toContain("alias/");
    const pipe = createPipelineInput(spec, names, store).pipeline;
    expect(pipe.artifactStore.encryptionKey).toEqual({ id: store.keyArn, type: "KMS" });
    expect(codeBuildProjectInput(spec, names, store)?.encryptionKey).toBe(store.keyArn);
  });

  it("the cross-account role trusts the tools root with ArnEquals aws:PrincipalArn, not the role as principal", () => {
    const t = crossAccountRoleTrustPolicy(spec, names).Statement[0];
    expect(t.Principal).toEqual({ AWS: "arn:aws:iam::111111111111:root" });
    expect(t.Condition).toEqual({ ArnEquals: { "aws:PrincipalArn": names.roles.pipeline.arn } });
  });

  it("the cross-account role's CodeCommit permissions are scoped to the one repository", () => {
    const cc = crossAccountRolePermissionPolicy(spec, names, store).Statement.filter((s) =>
      asArray(s.Action).some((a) => a.startsWith("codecommit:")),
    );
    expect(cc).toHaveLength(1);
    expect(cc[0].Resource).toBe("arn:aws:codecommit:us-east-1:222222222222:demo-service");
  });

  it("the bucket's wrong-key deny only applies when a key id header is present", () => {
    const s = bucketPolicyFor(undefined, spec, names, store).Statement.find((x) => x.Sid === "PortalDenyOtherKmsKey");
    expect(s?.Condition).toEqual({
      StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": store.keyArn },
      Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
    });
  });

  it("approval adds no permission to the pipeline role", () => {
    const without = deriveResourceNames({ ...spec, approval: { enabled: false } });
    expect(pipelineRolePermissionPolicy({ ...spec, approval: { enabled: false } }, without, store)).toEqual(
      pipelineRolePermissionPolicy(spec, names, store),
    );
  });

  it("an existing build project: no project input, no CodeBuild role, pipeline role scoped to that project", () => {
    const existing = { ...spec, build: { mode: "existing" as const, projectName: "shared-build" } };
    const n = deriveResourceNames(existing);
    expect(n.roles.codeBuild).toBeNull();
    expect(codeBuildProjectInput(existing, n, store)).toBeNull();
    const build = pipelineRolePermissionPolicy(existing, n, store).Statement.find((s) => s.Sid === "RunBuild");
    expect(build?.Resource).toBe("arn:aws:codebuild:us-east-1:111111111111:project/shared-build");
  });

  it("an existing project's service role gets the key only for this onboarding's bucket, and the old shared grant loses it (issue 17)", () => {
    const existing = { ...spec, build: { mode: "existing" as const, projectName: "shared-build" } };
    const n = deriveResourceNames(existing);
    const role = "arn:aws:iam::111111111111:role/platform-deploy";
    const other = "arn:aws:iam::111111111111:role/team-b-build";
    // What the portal wrote before: one unconditioned statement for every existing project's role.
    const before = keyPolicyFor(undefined, spec, names, store);
    before.Statement.push({
      Sid: "PortalExistingBuildRolesUse",
      Effect: "Allow",
      Principal: { AWS: [other, role] },
      Action: ["kms:Decrypt"],
      Resource: "*",
    });
    const after = keyPolicyFor(before, existing, n, store, role);
    expect(after.Statement.find((s) => s.Sid === "PortalExistingBuildRolesUse")?.Principal).toEqual({ AWS: other });
    expect(after.Statement.find((s) => s.Sid === n.sids.keyExistingBuildRoleUse)).toEqual({
      Sid: "PortalExistingBuildRoleUseDemoServiceMain",
      Effect: "Allow",
      Principal: { AWS: role },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringLike: { "kms:EncryptionContext:aws:s3:arn": [n.artifactStore.bucketArn, `${n.artifactStore.bucketArn}/*`] } },
    });
    // Switching back to a project the portal creates removes the grant.
    expect(keyPolicyFor(after, spec, names, store).Statement.some((s) => s.Sid === n.sids.keyExistingBuildRoleUse)).toBe(false);
  });

  it("the bucket denies every tools-account principal but this onboarding's roles, the existing project's role and the administrators (issue 17)", () => {
    const role = "arn:aws:iam::111111111111:role/platform-deploy";
    const withRole = bucketPolicyFor(
      undefined,
      { ...spec, toolsProvisioningRoleArn: "arn:aws:iam::111111111111:role/ops/crossline-portal-provisioning" },
      names,
      store,
      role,
    );
    const deny = withRole.Statement.find((s) => s.Sid === "PortalDenyOtherToolsPrincipals")!;
    expect(deny.Condition).toEqual({
      StringEquals: { "aws:PrincipalAccount": "111111111111" },
      ArnNotEquals: {
        "aws:PrincipalArn": [
          names.roles.pipeline.arn,
          names.roles.codeBuild!.arn,
          names.roles.crossAccount.arn,
          role,
          "arn:aws:iam::111111111111:root",
          "arn:aws:iam::111111111111:role/ops/crossline-portal-provisioning",
        ],
      },
    });
  });

  it("custom image and compute type are honoured", () => {
    const custom = {
      ...spec,
      build: { mode: "create" as const, projectName: "p1", image: "aws/codebuild/standard:7.0", computeType: "BUILD_GENERAL1_MEDIUM" },
    };
    const env = codeBuildProjectInput(custom, deriveResourceNames(custom), store)?.environment;
    expect(env).toEqual({
      type: "LINUX_CONTAINER",
      image: "aws/codebuild/standard:7.0",
      computeType: "BUILD_GENERAL1_MEDIUM",
      imagePullCredentialsType: "CODEBUILD",
    });
  });
});
