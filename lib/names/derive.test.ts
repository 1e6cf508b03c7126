import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  defaultCodeBuildProjectName,
  defaultPipelineName,
  deriveResourceNames,
  fitName,
  sidToken,
  type ResourceNames,
} from "@/lib/names/derive";
import { shortHash } from "@/lib/names/hash";
import {
  COMMERCIAL_REGIONS,
  codeBuildProjectNameProblems,
  eventRuleNameProblems,
  eventStatementIdProblems,
  eventTargetIdProblems,
  iamPolicyNameProblems,
  iamRoleArnProblems,
  iamRoleNameProblems,
  kmsAliasProblems,
  pipelineNameProblems,
  s3BucketNameProblems,
} from "@/lib/names/rules";
import { referenceSpec as reference } from "@/lib/policies/__fixtures__/reference";

function allProblems(n: ResourceNames): string[] {
  const roles = Object.values(n.roles).filter((r) => r !== null);
  return [
    ...s3BucketNameProblems(n.artifactStore.bucketName),
    ...kmsAliasProblems(n.artifactStore.kmsAlias),
    ...roles.flatMap((r) => [...iamRoleNameProblems(r.name), ...iamRoleArnProblems(r.arn)]),
    ...Object.values(n.policyNames).flatMap(iamPolicyNameProblems),
    ...eventRuleNameProblems(n.events.repoRule.name),
    ...eventRuleNameProblems(n.events.toolsRule.name),
    ...eventTargetIdProblems(n.events.repoRule.targetId),
    ...eventTargetIdProblems(n.events.toolsRule.targetId),
    ...eventStatementIdProblems(n.events.statementId),
    ...Object.values(n.sids).filter((s) => !/^[A-Za-z0-9]+$/.test(s)),
  ];
}

describe("deriveResourceNames", () => {
  it("reference onboarding, byte for byte", () => {
    const expected = readFileSync(path.join(__dirname, "__fixtures__/resource-names.json"), "utf8");
    expect(`${JSON.stringify(deriveResourceNames(reference), null, 2)}\n`).toBe(expected);
  });

  it("is deterministic", () => {
    expect(deriveResourceNames(reference)).toEqual(deriveResourceNames({ ...reference }));
  });

  it("the key is shared per tools account + region; every pipeline has its own bucket", () => {
    const a = deriveResourceNames(reference);
    const b = deriveResourceNames({ ...reference, repoAccountId: "333333333333", pipelineName: "other", repositoryName: "other" });
    expect(b.artifactStore.kmsAlias).toBe(a.artifactStore.kmsAlias);
    expect(b.artifactStore.bucketName).not.toBe(a.artifactStore.bucketName);
    expect(a.artifactStore.bucketName).toBe(
      `codepipeline-artifacts-111111111111-us-east-1-${shortHash("111111111111/us-east-1/demo-service-main")}`,
    );
    expect(deriveResourceNames({ ...reference, region: "eu-west-1" }).artifactStore.bucketName).toMatch(
      /^codepipeline-artifacts-111111111111-eu-west-1-[0-9a-f]{8}$/,
    );
    expect(a.artifactStore.legacyBucketName).toBe("codepipeline-artifacts-111111111111-us-east-1");
  });

  it("the same pipeline name in another region or tools account shares no IAM role (IAM names are account-global)", () => {
    const a = deriveResourceNames(reference);
    const otherRegion = deriveResourceNames({ ...reference, region: "eu-west-1" });
    const otherTools = deriveResourceNames({ ...reference, toolsAccountId: "333333333333" });
    const roleNames = (n: ResourceNames) =>
      Object.values(n.roles)
        .filter((r) => r !== null)
        .map((r) => r.arn);
    for (const other of [otherRegion, otherTools]) {
      for (const arn of roleNames(other)) expect(roleNames(a)).not.toContain(arn);
    }
    expect(a.roles.crossAccount.name).toBe("demo-service-main-111111111111-us-east-1-xacct-source");
    expect(a.roles.pipeline.name).toBe("demo-service-main-us-east-1-pipeline-role");
  });

  it("a naming-v1 onboarding keeps its pipeline's service role (CodePipeline cannot change it)", () => {
    const n = deriveResourceNames({ ...reference, pinnedPipelineRoleName: "demo-service-main-pipeline-role" });
    expect(n.roles.pipeline.arn).toBe("arn:aws:iam::111111111111:role/portal/demo-service-main-pipeline-role");
    expect(n.roles.crossAccount.name).toBe("demo-service-main-111111111111-us-east-1-xacct-source");
  });

  it("every region gives a valid bucket name and alias", () => {
    for (const r of COMMERCIAL_REGIONS) {
      const n = deriveResourceNames({ ...reference, region: r.id });
      expect(s3BucketNameProblems(n.artifactStore.bucketName), r.id).toEqual([]);
      expect(n.artifactStore.bucketName.length).toBeLessThanOrEqual(63);
      expect(kmsAliasProblems(n.artifactStore.kmsAlias)).toEqual([]);
    }
  });

  it("long and unusual pipeline names still give valid, distinct names that keep their suffix", () => {
    const names = ["x".repeat(100), "y".repeat(100), "a@b.c_d-e", "Demo.Service@Main", `${"p".repeat(49)}-q`, "-lead"];
    const seen = new Set<string>();
    for (const pipelineName of names) {
      const n = deriveResourceNames({
        ...reference,
        pipelineName,
        build: { mode: "create", projectName: defaultCodeBuildProjectName(pipelineName) },
      });
      expect(allProblems(n), pipelineName).toEqual([]);
      expect(codeBuildProjectNameProblems(n.codeBuild.projectName), pipelineName).toEqual([]);
      expect(n.roles.pipeline.name).toMatch(/-pipeline-role$/);
      expect(n.roles.codeBuild?.name).toMatch(/-codebuild-role$/);
      expect(n.roles.crossAccount.name).toMatch(/-xacct-source$/);
      expect(n.roles.forwardPush.name).toMatch(/-forward-push-role$/);
      expect(n.roles.startOnPush.name).toMatch(/-start-on-push-role$/);
      expect(n.events.repoRule.name).toMatch(/-111111111111-forward-push$/);
      expect(n.events.toolsRule.name).toMatch(/-start-on-push$/);
      for (const v of [
        n.roles.pipeline.name,
        n.roles.crossAccount.name,
        n.events.repoRule.name,
        n.artifactStore.bucketName,
        n.legacySids.keyPipelineRoleUse,
      ]) {
        expect(seen.has(v), v).toBe(false);
        seen.add(v);
      }
    }
  });

  it("truncates with a stable hash only when needed", () => {
    const p = "x".repeat(100);
    const n = deriveResourceNames({ ...reference, pipelineName: p });
    const suffix = "-us-east-1-pipeline-role";
    expect(n.roles.pipeline.name).toBe(`${"x".repeat(64 - suffix.length - 9)}-${shortHash(`${p}${suffix}`)}${suffix}`);
    expect(n.roles.pipeline.name).toHaveLength(64);
    // exactly 64 characters fits without a hash
    const fits = "f".repeat(64 - suffix.length);
    expect(deriveResourceNames({ ...reference, pipelineName: fits }).roles.pipeline.name).toBe(`${fits}${suffix}`);
    const over = `${fits}g`;
    expect(deriveResourceNames({ ...reference, pipelineName: over }).roles.pipeline.name).toMatch(
      /^f+-[0-9a-f]{8}-us-east-1-pipeline-role$/,
    );
    // the longest region and the repo side's tools account still fit
    const repo = deriveResourceNames({ ...reference, pipelineName: p, region: "ap-southeast-2" }).roles.forwardPush.name;
    expect(repo).toHaveLength(64);
    expect(repo).toMatch(/-111111111111-ap-southeast-2-forward-push-role$/);
  });

  it("the repo-side rule carries the tools account: the same repository and branch onboarded from two tools accounts get two rules", () => {
    const a = deriveResourceNames(reference);
    const b = deriveResourceNames({ ...reference, toolsAccountId: "333333333333" });
    expect(a.pipeline.name).toBe(b.pipeline.name);
    expect(a.events.repoRule.name).toBe("demo-service-main-111111111111-forward-push");
    expect(b.events.repoRule.name).toBe("demo-service-main-333333333333-forward-push");
    const long = deriveResourceNames({ ...reference, pipelineName: "z".repeat(100) }).events.repoRule.name;
    expect(long).toHaveLength(64);
    expect(eventRuleNameProblems(long)).toEqual([]);
  });

  it("rule names replace '@' (not allowed by EventBridge) and add a hash", () => {
    const n = deriveResourceNames({ ...reference, pipelineName: "a@b" });
    expect(n.events.repoRule.name).toBe(`a-b-${shortHash("a@b-111111111111-forward-push")}-111111111111-forward-push`);
    expect(n.roles.pipeline.name).toBe("a@b-us-east-1-pipeline-role");
  });

  it("existing build project: no CodeBuild role, project ARN of that project", () => {
    const n = deriveResourceNames({ ...reference, build: { mode: "existing", projectName: "shared" } });
    expect(n.roles.codeBuild).toBeNull();
    expect(n.codeBuild).toEqual({
      projectName: "shared",
      projectArn: "arn:aws:codebuild:us-east-1:111111111111:project/shared",
      logGroupName: "/aws/codebuild/shared",
      logGroupArn: "arn:aws:logs:us-east-1:111111111111:log-group:/aws/codebuild/shared",
      createdByPortal: false,
    });
  });
});

describe("sidToken", () => {
  it("PascalCase for lower-case kebab names, plus a hash otherwise", () => {
    expect(sidToken("demo-service-main")).toBe("DemoServiceMain");
    expect(sidToken("api2-v3")).toBe("Api2V3");
    expect(sidToken("demo_service_main")).toBe(`DemoServiceMain${shortHash("demo_service_main")}`);
    expect(sidToken("Demo-Service")).toBe(`DemoService${shortHash("Demo-Service")}`);
    expect(sidToken("a-1")).toBe(`A1${shortHash("a-1")}`);
    expect(sidToken("a1")).toBe("A1");
  });
});

describe("defaultPipelineName", () => {
  it("joins repository and branch, making the branch pipeline-safe", () => {
    expect(defaultPipelineName("demo-service", "main")).toBe("demo-service-main");
    expect(defaultPipelineName("demo-service", "feature/new ui")).toBe("demo-service-feature-new-ui");
    expect(defaultPipelineName("svc", "release@2.0")).toBe("svc-release@2.0");
  });
  it("stays within 100 characters, with a hash when truncated", () => {
    const n = defaultPipelineName("r".repeat(100), "b".repeat(200));
    expect(n).toHaveLength(100);
    expect(n).toBe(`${"r".repeat(91)}-${shortHash(`${"r".repeat(100)}-${"b".repeat(200)}`)}`);
    expect(pipelineNameProblems(n)).toEqual([]);
  });
});

describe("defaultCodeBuildProjectName and fitName", () => {
  it("project names drop characters CodeBuild refuses", () => {
    expect(defaultCodeBuildProjectName("demo-service-main")).toBe("demo-service-main-build");
    expect(defaultCodeBuildProjectName("a.b")).toBe(`a-b-${shortHash("a.b-build")}-build`);
    expect(codeBuildProjectNameProblems(defaultCodeBuildProjectName("@x"))).toEqual([]);
  });
  it("fitName falls back to the hash alone when nothing of the base survives", () => {
    expect(fitName("@@@", "-s", 10, (s) => s.replace(/@/g, ""))).toBe(`${shortHash("@@@-s")}-s`);
  });
  it("shortHash is FNV-1a", () => {
    expect(shortHash("")).toBe("811c9dc5");
    expect(shortHash("a")).toBe("e40c292c");
  });
});
