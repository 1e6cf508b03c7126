import { describe, expect, it } from "vitest";
import { PolicyInputError, createPipelineInput, pipelineDeclaration, stripPipelineMetadata, validateOnboardingSpec } from "@/lib/policies";
import { deriveResourceNames } from "@/lib/names/derive";
import { referenceNames as names, referenceSpec as spec, referenceStore as store } from "./__fixtures__/reference";

function thrown(f: () => unknown): PolicyInputError {
  try {
    f();
  } catch (e) {
    if (e instanceof PolicyInputError) return e;
    throw e;
  }
  throw new Error("expected a PolicyInputError");
}

describe("pipelineDeclaration", () => {
  it("uses the key ARN as the artifact store key", () => {
    expect(pipelineDeclaration(spec, names, store).artifactStore).toEqual({
      type: "S3",
      location: "codepipeline-artifacts-111111111111-us-east-1-ed9c51c8",
      encryptionKey: { id: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab", type: "KMS" },
    });
  });

  it("throws when given an alias instead of the key ARN", () => {
    for (const keyArn of [
      "alias/codepipeline-artifacts-us-east-1",
      "arn:aws:kms:us-east-1:111111111111:alias/codepipeline-artifacts-us-east-1",
    ]) {
      const e = thrown(() => pipelineDeclaration(spec, names, { ...store, keyArn }));
      expect(e.message).toBe(
        "Invalid pipeline declaration: artifact store key: Use the KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), not an alias: an alias resolves only inside its own account",
      );
    }
  });

  it("throws on a bare key id, a key in another region or account", () => {
    expect(
      thrown(() => pipelineDeclaration(spec, names, { ...store, keyArn: "1234abcd-12ab-34cd-56ef-1234567890ab" })).problems,
    ).toHaveLength(1);
    expect(
      thrown(() => pipelineDeclaration(spec, names, { ...store, keyArn: store.keyArn.replace("us-east-1", "eu-west-1") })).problems,
    ).toEqual(["artifact store key: the key is in eu-west-1 but the pipeline is in us-east-1; they must be in the same region"]);
    expect(
      thrown(() => pipelineDeclaration(spec, names, { ...store, keyArn: store.keyArn.replace("111111111111", "999999999999") })).problems,
    ).toEqual(["artifact store key: the key belongs to account 999999999999, not the tools account 111111111111"]);
  });

  it("throws on invalid names with every problem listed", () => {
    const bad = { ...spec, pipelineName: "demo service", branchName: "feature..x", repoAccountId: "2222" };
    const e = thrown(() => pipelineDeclaration(bad, deriveResourceNames(bad), { ...store, bucketName: "Bad_Bucket" }));
    expect(e.problems).toEqual([
      "repoAccountId: AWS account ids are exactly 12 digits",
      "branchName: Branch names must not contain '..'",
      "pipelineName: Pipeline names may contain only letters, digits, '.', '@', '-' and '_'",
      "artifact store bucket: Bucket names may contain only lowercase letters, digits, '.' and '-'",
      "artifact store bucket: Bucket names must start with a lowercase letter or digit",
    ]);
  });

  it("throws when the derived role ARNs do not match the rules (names derived from another spec)", () => {
    const broken = {
      ...names,
      roles: { ...names.roles, pipeline: { ...names.roles.pipeline, arn: "arn:aws:iam::111111111111:role/x y" } },
    };
    expect(thrown(() => pipelineDeclaration(spec, broken, store)).problems).toEqual([
      "pipeline role: In the role ARN: IAM role names may contain only letters, digits and + = , . @ - _",
    ]);
  });

  it("source stage: CodeCommit with the cross-account role, no polling, CODE_ZIP", () => {
    const source = pipelineDeclaration(spec, names, store).stages[0];
    expect(source.actions).toHaveLength(1);
    expect(source.actions[0]).toMatchObject({
      actionTypeId: { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" },
      roleArn: "arn:aws:iam::222222222222:role/portal/demo-service-main-111111111111-us-east-1-xacct-source",
      configuration: {
        RepositoryName: "demo-service",
        BranchName: "main",
        PollForSourceChanges: "false",
        OutputArtifactFormat: "CODE_ZIP",
      },
    });
  });

  it("approval off: two stages; custom approval stage name", () => {
    expect(pipelineDeclaration({ ...spec, approval: { enabled: false } }, names, store).stages.map((s) => s.name)).toEqual([
      "Source",
      "Build",
    ]);
    expect(
      pipelineDeclaration({ ...spec, approval: { enabled: true, stageName: "Sign-off" } }, names, store).stages.map((s) => s.name),
    ).toEqual(["Source", "Sign-off", "Build"]);
    expect(thrown(() => pipelineDeclaration({ ...spec, approval: { enabled: true, stageName: "Build" } }, names, store)).problems).toEqual([
      "approval.stageName: The approval stage needs a name other than Source and Build",
    ]);
  });

  it("V1 has no executionMode; V2 defaults to SUPERSEDED and honours QUEUED", () => {
    expect(pipelineDeclaration(spec, names, store)).not.toHaveProperty("executionMode");
    const v2 = pipelineDeclaration({ ...spec, pipelineType: "V2" }, names, store);
    expect([v2.pipelineType, v2.executionMode]).toEqual(["V2", "SUPERSEDED"]);
    expect(pipelineDeclaration({ ...spec, pipelineType: "V2", executionMode: "QUEUED" }, names, store).executionMode).toBe("QUEUED");
    expect(thrown(() => pipelineDeclaration({ ...spec, executionMode: "QUEUED" }, names, store)).problems).toEqual([
      "executionMode: QUEUED and PARALLEL execution modes need a V2 pipeline",
    ]);
  });

  it("createPipelineInput adds the portal tag", () => {
    expect(createPipelineInput(spec, names, store).tags).toEqual([
      { key: "portal:managed-by", value: "crossline-portal" },
      { key: "portal:onboarding", value: "onb_ref01" },
    ]);
  });
});

describe("stripPipelineMetadata", () => {
  it("drops metadata and keeps the pipeline as returned", () => {
    const pipeline = pipelineDeclaration(spec, names, store);
    const get = {
      pipeline,
      metadata: { pipelineArn: names.pipeline.arn, created: new Date(0), updated: new Date(0) },
      $metadata: { httpStatusCode: 200 },
    };
    const input = stripPipelineMetadata(get);
    expect(input).toEqual({ pipeline });
    expect(input.pipeline).toBe(pipeline);
    expect(JSON.stringify(input)).not.toContain("pipelineArn");
  });
});

describe("validateOnboardingSpec", () => {
  it("accepts the reference spec and reports each bad field by path", () => {
    expect(validateOnboardingSpec(spec)).toEqual([]);
    expect(validateOnboardingSpec({ ...spec, region: "us-gov-west-1", build: { mode: "create", projectName: "-x" } })).toEqual([
      { path: "region", message: '"us-gov-west-1" is not an AWS commercial region (e.g. us-east-1)' },
      {
        path: "build.projectName",
        message: "CodeBuild project names must start with a letter or digit and contain only letters, digits, '-' and '_'",
      },
    ]);
  });
});
