/**
 * A fully provisioned cross-account pipeline, built with root credentials from the portal's own documents
 * (lib/policies) exactly as the provisioning runner builds it: KMS key + alias + key policy, artifact bucket with its
 * settings and policy, the five roles, the CodeBuild project, the pipeline, the event bus permission, both rules and
 * their targets. Small action times keep the tests fast.
 */
import {
  type CodePipelineClient,
  CreatePipelineCommand,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
  StopPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import { CreateProjectCommand } from "@aws-sdk/client-codebuild";
import { PutPermissionCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateRoleCommand, type IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateAliasCommand, CreateKeyCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  type ArtifactStore,
  bucketPolicyFor,
  bucketSettingsInputs,
  codeBuildProjectInput,
  codeBuildRolePermissionPolicy,
  codeBuildRoleTrustPolicy,
  createKeyInput,
  createPipelineInput,
  crossAccountRolePermissionPolicy,
  crossAccountRoleTrustPolicy,
  eventBusPutPermissionInput,
  forwardPushRolePermissionPolicy,
  forwardPushRoleTrustPolicy,
  keyPolicyFor,
  pipelineRolePermissionPolicy,
  pipelineRoleTrustPolicy,
  repoRuleInput,
  repoTargetsInput,
  startOnPushRolePermissionPolicy,
  startOnPushRoleTrustPolicy,
  toolsRuleInput,
  toolsTargetsInput,
} from "@/lib/policies";
import { type Faults, type SandboxHandle, startSandbox } from "../index";
import { seedDemo } from "../seed";
import { emptyWorld } from "../state";
import { type Creds, root } from "./clients";
import { REPO, TOOLS, allClients, names, spec } from "./codepipeline-world";
import { kmsS3 } from "./kms-s3-clients";

export { REPO, TOOLS, names, spec };
export const ACTION_MS = 40;

export interface Provisioned {
  h: SandboxHandle;
  stateFile: string;
  store: ArtifactStore;
  tools: ReturnType<typeof allClients> & ReturnType<typeof kmsS3>;
  repo: ReturnType<typeof allClients>;
  /** The full key policy (with the repo account's grant). */
  fullKeyPolicy: string;
  close(): Promise<void>;
}

const text = (doc: unknown) => JSON.stringify(doc);
async function role(iam: IAMClient, ref: { name: string; path: string }, trust: unknown, permission: unknown, policyName: string) {
  await iam.send(new CreateRoleCommand({ RoleName: ref.name, Path: ref.path, AssumeRolePolicyDocument: text(trust) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: ref.name, PolicyName: policyName, PolicyDocument: text(permission) }));
}

export const clientsFor = (h: SandboxHandle, creds: Creds) => ({ ...allClients(h, creds), ...kmsS3(h, creds) });

export async function provision(
  opts: { faults?: Faults; busPermission?: boolean; keyRepoGrant?: boolean; keepFirstExecution?: boolean } = {},
): Promise<Provisioned> {
  const dir = mkdtempSync(path.join(tmpdir(), "sandbox-exec-"));
  const stateFile = path.join(dir, "state.json");
  const world = emptyWorld();
  seedDemo(world);
  writeFileSync(stateFile, JSON.stringify(world));
  const h = await startSandbox({ port: 0, stateFile, faults: { actionMs: ACTION_MS, ...opts.faults } });
  const tools = clientsFor(h, root(TOOLS));
  const repo = allClients(h, root(REPO));

  const key = await tools.kms.send(new CreateKeyCommand(createKeyInput(spec, names)));
  const store: ArtifactStore = {
    bucketName: names.artifactStore.bucketName,
    keyArn: key.KeyMetadata!.Arn!,
    keyAlias: names.artifactStore.kmsAlias,
  };
  await tools.kms.send(new CreateAliasCommand({ AliasName: store.keyAlias, TargetKeyId: store.keyArn }));
  const b = bucketSettingsInputs(store, spec.region);
  await tools.s3.send(new CreateBucketCommand(b.createBucket as never));
  await tools.s3.send(new PutBucketOwnershipControlsCommand(b.ownershipControls));
  await tools.s3.send(new PutPublicAccessBlockCommand(b.publicAccessBlock));
  await tools.s3.send(new PutBucketEncryptionCommand(b.encryption));
  await tools.s3.send(new PutBucketVersioningCommand(b.versioning));
  if (opts.busPermission !== false) await tools.events.send(new PutPermissionCommand(eventBusPutPermissionInput(names)));

  await role(
    tools.iam,
    names.roles.pipeline,
    pipelineRoleTrustPolicy(spec, names),
    pipelineRolePermissionPolicy(spec, names, store),
    names.policyNames.pipeline,
  );
  await role(
    tools.iam,
    names.roles.codeBuild!,
    codeBuildRoleTrustPolicy(spec, names),
    codeBuildRolePermissionPolicy(spec, names, store),
    names.policyNames.codeBuild,
  );
  await role(
    tools.iam,
    names.roles.startOnPush,
    startOnPushRoleTrustPolicy(names),
    startOnPushRolePermissionPolicy(names),
    names.policyNames.startOnPush,
  );
  await role(
    repo.iam,
    names.roles.crossAccount,
    crossAccountRoleTrustPolicy(spec, names),
    crossAccountRolePermissionPolicy(spec, names, store),
    names.policyNames.crossAccount,
  );
  await role(
    repo.iam,
    names.roles.forwardPush,
    forwardPushRoleTrustPolicy(names),
    forwardPushRolePermissionPolicy(names),
    names.policyNames.forwardPush,
  );

  await tools.s3.send(
    new PutBucketPolicyCommand({ Bucket: store.bucketName, Policy: text(bucketPolicyFor(undefined, spec, names, store)) }),
  );
  const full = keyPolicyFor(undefined, spec, names, store);
  const fullKeyPolicy = text(full);
  const keyPolicy =
    opts.keyRepoGrant === false ? { ...full, Statement: full.Statement.filter((s) => s.Sid !== names.sids.keyRepoAccountsUse) } : full;
  await tools.kms.send(new PutKeyPolicyCommand({ KeyId: store.keyArn, PolicyName: "default", Policy: text(keyPolicy) }));

  await tools.cb.send(new CreateProjectCommand(codeBuildProjectInput(spec, names, store)! as never));
  await tools.cp.send(new CreatePipelineCommand(createPipelineInput(spec, names, store) as never));
  if (!opts.keepFirstExecution) {
    // Abandon the execution CreatePipeline starts, so each test drives its own executions.
    // (Under load it may already have failed: a missing grant fails its Source within ACTION_MS.)
    const [first] = (await tools.cp.send(new ListPipelineExecutionsCommand({ pipelineName: spec.pipelineName })))
      .pipelineExecutionSummaries!;
    await tools.cp
      .send(
        new StopPipelineExecutionCommand({
          pipelineName: spec.pipelineName,
          pipelineExecutionId: first.pipelineExecutionId,
          abandon: true,
          reason: "test setup",
        }),
      )
      .catch((e: Error) => {
        if (e.name !== "PipelineExecutionNotStoppableException") throw e;
      });
  }
  await tools.events.send(new PutRuleCommand(toolsRuleInput(spec, names)));
  await tools.events.send(new PutTargetsCommand(toolsTargetsInput(names)));
  await repo.events.send(new PutRuleCommand(repoRuleInput(spec, names)));
  await repo.events.send(new PutTargetsCommand(repoTargetsInput(names)));
  return {
    h,
    stateFile,
    store,
    tools,
    repo,
    fullKeyPolicy,
    close: async () => {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** POST /_sandbox/push. */
export async function push(h: SandboxHandle, message: string, extra: Record<string, unknown> = {}) {
  const r = await fetch(`${h.url}/_sandbox/push`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      account: REPO,
      region: "us-east-1",
      repositoryName: spec.repositoryName,
      branchName: spec.branchName,
      message,
      author: "Test Pusher",
      ...extra,
    }),
  });
  return {
    status: r.status,
    body: (await r.json()) as {
      commitId: string;
      pipelineExecutionIds: string[];
      deliveries: { outcome: string; reason: string }[];
      error?: string;
    },
  };
}

export async function setFaults(h: SandboxHandle, faults: Faults) {
  await fetch(`${h.url}/_sandbox/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ actionMs: ACTION_MS, ...faults }),
  });
}

/** Poll until `pred` holds; fails with the last value otherwise. */
export async function waitFor<T>(fn: () => Promise<T>, pred: (v: T) => boolean, ms = 5000, what = "condition"): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (pred(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v, null, 1).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

export const execution = (cp: CodePipelineClient, id: string, pipelineName = spec.pipelineName) =>
  cp
    .send(new ListPipelineExecutionsCommand({ pipelineName }))
    .then((r) => r.pipelineExecutionSummaries!.find((e) => e.pipelineExecutionId === id)!);

export const waitStatus = (cp: CodePipelineClient, id: string, status: string | string[], pipelineName = spec.pipelineName) =>
  waitFor(
    () => execution(cp, id, pipelineName),
    (e) => [status].flat().includes(e?.status ?? ""),
    5000,
    `execution ${id} ${status}`,
  );

export const state = (cp: CodePipelineClient, name = spec.pipelineName) => cp.send(new GetPipelineStateCommand({ name }));
export const actionState = async (cp: CodePipelineClient, stage: string, action: string, name = spec.pipelineName) =>
  (await state(cp, name)).stageStates!.find((s) => s.stageName === stage)!.actionStates!.find((a) => a.actionName === action)!;

/** Wait for the approval of `executionId` to be pending; returns its token. */
export async function approvalToken(cp: CodePipelineClient, executionId: string, name = spec.pipelineName): Promise<string> {
  const s = await waitFor(
    () => state(cp, name),
    (st) => {
      const stage = st.stageStates!.find((x) => x.stageName === "Approval")!;
      return stage.latestExecution?.pipelineExecutionId === executionId && stage.actionStates![0].latestExecution?.status === "InProgress";
    },
    5000,
    `approval of ${executionId}`,
  );
  return s.stageStates!.find((x) => x.stageName === "Approval")!.actionStates![0].latestExecution!.token!;
}
