/**
 * The `pipeline` structure for CreatePipeline / UpdatePipeline.
 * artifactStore.encryptionKey is the key ARN, never the alias (an alias resolves only inside its account;
 * without a key the artifacts use aws/s3, which another account cannot use). Throws PolicyInputError on
 * invalid input, the only builder that throws: AWS would reject the document or the pipeline would fail.
 */
import type { ResourceNames } from "@/lib/names/derive";
import { actionNameProblems, artifactNameProblems, iamRoleArnProblems, kmsKeyArnProblems, s3BucketNameProblems } from "@/lib/names/rules";
import { tagsLowerKeyValue } from "./common";
import type { ArtifactStore, OnboardingSpec } from "./types";
import { PolicyInputError, validateOnboardingSpec } from "./validate";

export const SOURCE_ARTIFACT = "SourceOutput";
export const BUILD_ARTIFACT = "BuildOutput";

export interface ActionDeclaration {
  name: string;
  actionTypeId: { category: "Source" | "Build" | "Approval"; owner: "AWS"; provider: string; version: "1" };
  runOrder: number;
  configuration?: Record<string, string>;
  outputArtifacts?: { name: string }[];
  inputArtifacts?: { name: string }[];
  roleArn?: string;
}

export interface StageDeclaration {
  name: string;
  actions: ActionDeclaration[];
}

export interface PipelineDeclaration {
  name: string;
  roleArn: string;
  artifactStore: { type: "S3"; location: string; encryptionKey: { id: string; type: "KMS" } };
  stages: StageDeclaration[];
  version: number;
  pipelineType: "V1" | "V2";
  executionMode?: "SUPERSEDED" | "QUEUED" | "PARALLEL";
}

export function pipelineDeclaration(spec: OnboardingSpec, names: ResourceNames, store: ArtifactStore): PipelineDeclaration {
  const problems = validateOnboardingSpec(spec).map((p) => `${p.path}: ${p.message}`);
  const specValid = problems.length === 0;
  for (const p of kmsKeyArnProblems(store.keyArn)) problems.push(`artifact store key: ${p}`);
  const keyRegion = /^arn:[^:]+:kms:([^:]+):(\d{12}):/.exec(store.keyArn);
  if (keyRegion && keyRegion[1] !== spec.region) {
    problems.push(
      `artifact store key: the key is in ${keyRegion[1]} but the pipeline is in ${spec.region}; they must be in the same region`,
    );
  }
  if (keyRegion && keyRegion[2] !== spec.toolsAccountId) {
    problems.push(`artifact store key: the key belongs to account ${keyRegion[2]}, not the tools account ${spec.toolsAccountId}`);
  }
  for (const p of s3BucketNameProblems(store.bucketName)) problems.push(`artifact store bucket: ${p}`);
  // Derived role ARNs only repeat a bad spec's problems: check them when the spec itself is valid.
  for (const [what, arn] of specValid
    ? ([
        ["pipeline role", names.roles.pipeline.arn],
        ["cross-account role", names.roles.crossAccount.arn],
      ] as const)
    : []) {
    for (const p of iamRoleArnProblems(arn)) problems.push(`${what}: ${p}`);
  }
  for (const a of [SOURCE_ARTIFACT, BUILD_ARTIFACT]) for (const p of artifactNameProblems(a)) problems.push(p);
  for (const a of ["Source", "Approve", "Build"]) for (const p of actionNameProblems(a)) problems.push(p);
  if (problems.length > 0) throw new PolicyInputError("pipeline declaration", problems);

  const stages: StageDeclaration[] = [
    {
      name: "Source",
      actions: [
        {
          name: "Source",
          actionTypeId: { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" },
          runOrder: 1,
          configuration: {
            RepositoryName: spec.repositoryName,
            BranchName: spec.branchName,
            PollForSourceChanges: "false",
            OutputArtifactFormat: "CODE_ZIP",
          },
          outputArtifacts: [{ name: SOURCE_ARTIFACT }],
          inputArtifacts: [],
          roleArn: names.roles.crossAccount.arn,
        },
      ],
    },
  ];
  if (spec.approval.enabled) {
    stages.push({
      name: spec.approval.stageName ?? "Approval",
      actions: [
        {
          name: "Approve",
          actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" },
          runOrder: 1,
        },
      ],
    });
  }
  stages.push({
    name: "Build",
    actions: [
      {
        name: "Build",
        actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
        runOrder: 1,
        configuration: { ProjectName: names.codeBuild.projectName },
        outputArtifacts: [{ name: BUILD_ARTIFACT }],
        inputArtifacts: [{ name: SOURCE_ARTIFACT }],
      },
    ],
  });

  const declaration: PipelineDeclaration = {
    name: spec.pipelineName,
    roleArn: names.roles.pipeline.arn,
    artifactStore: { type: "S3", location: store.bucketName, encryptionKey: { id: store.keyArn, type: "KMS" } },
    stages,
    version: 1,
    pipelineType: spec.pipelineType,
  };
  if (spec.pipelineType === "V2") declaration.executionMode = spec.executionMode ?? "SUPERSEDED";
  return declaration;
}

/** Full CreatePipeline input (declaration + tags). */
export function createPipelineInput(spec: OnboardingSpec, names: ResourceNames, store: ArtifactStore) {
  return { pipeline: pipelineDeclaration(spec, names, store), tags: tagsLowerKeyValue(spec) };
}

/**
 * UpdatePipeline input from a GetPipeline result: drops the `metadata` block (pipelineArn, created, updated),
 * which UpdatePipeline rejects. Other fields are kept as returned.
 */
export function stripPipelineMetadata<P>(getPipelineResult: { pipeline?: P; metadata?: unknown; [k: string]: unknown }): {
  pipeline: P | undefined;
} {
  return { pipeline: getPipelineResult.pipeline };
}
