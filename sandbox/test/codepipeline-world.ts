/**
 * Test helpers for EventBridge, CodeBuild and CodePipeline: SDK clients, a sandbox whose tools account owns the
 * artifact bucket, and the portal's own roles and documents (lib/policies) created with root credentials.
 */
import { CodeBuildClient } from "@aws-sdk/client-codebuild";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { CreateRoleCommand, type IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { referenceNames, referenceSpec, referenceStore } from "@/lib/policies/__fixtures__/reference";
import {
  codeBuildRolePermissionPolicy,
  codeBuildRoleTrustPolicy,
  crossAccountRolePermissionPolicy,
  crossAccountRoleTrustPolicy,
  forwardPushRolePermissionPolicy,
  forwardPushRoleTrustPolicy,
  pipelineRolePermissionPolicy,
  pipelineRoleTrustPolicy,
  startOnPushRolePermissionPolicy,
  startOnPushRoleTrustPolicy,
} from "@/lib/policies";
import { type Faults, type SandboxHandle, startSandbox } from "../index";
import { seedDemo } from "../seed";
import { emptyWorld } from "../state";
import { type Creds, clients } from "./clients";

export const TOOLS = "111111111111";
export const REPO = "222222222222";
export const REGION = "us-east-1";
export const spec = referenceSpec;
export const names = referenceNames;
export const store = referenceStore;

export function allClients(h: SandboxHandle, credentials: Creds) {
  const cfg = { endpoint: h.url, region: REGION, credentials, maxAttempts: 1 };
  return { ...clients(h, credentials), events: new EventBridgeClient(cfg), cb: new CodeBuildClient(cfg), cp: new CodePipelineClient(cfg) };
}

/**
 * A sandbox with the demo repositories and the artifact bucket `referenceStore.bucketName` (tools account, us-east-1),
 * written straight into the initial state file so these tests do not depend on the S3 emulation.
 */
export async function startWorld(opts: { faults?: Faults; buckets?: { name: string; region: string }[] } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "sandbox-cp-"));
  const world = emptyWorld();
  seedDemo(world);
  const buckets = opts.buckets ?? [{ name: store.bucketName, region: REGION }];
  world.accounts[TOOLS].global.s3 = {
    buckets: Object.fromEntries(
      buckets.map((b) => [b.name, { name: b.name, owner: TOOLS, region: b.region, createdAt: Date.now(), objects: {} }]),
    ),
  };
  const stateFile = path.join(dir, "state.json");
  writeFileSync(stateFile, JSON.stringify(world));
  const h = await startSandbox({ port: 0, stateFile, faults: opts.faults });
  return {
    h,
    close: async () => {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const text = (doc: unknown) => JSON.stringify(doc);

export async function createRole(
  iam: IAMClient,
  ref: { name: string; path: string },
  trust: unknown,
  permission?: unknown,
  policyName = "inline",
) {
  await iam.send(new CreateRoleCommand({ RoleName: ref.name, Path: ref.path, AssumeRolePolicyDocument: text(trust) }));
  if (permission)
    await iam.send(new PutRolePolicyCommand({ RoleName: ref.name, PolicyName: policyName, PolicyDocument: text(permission) }));
}

/** The tools account's roles from the portal's documents: pipeline, CodeBuild, start-on-push. */
export async function createToolsRoles(iam: IAMClient, only?: ("pipeline" | "codeBuild" | "startOnPush")[]) {
  const want = (k: string) => !only || only.includes(k as never);
  if (want("pipeline"))
    await createRole(
      iam,
      names.roles.pipeline,
      pipelineRoleTrustPolicy(spec, names),
      pipelineRolePermissionPolicy(spec, names, store),
      names.policyNames.pipeline,
    );
  if (want("codeBuild"))
    await createRole(
      iam,
      names.roles.codeBuild!,
      codeBuildRoleTrustPolicy(spec, names),
      codeBuildRolePermissionPolicy(spec, names, store),
      names.policyNames.codeBuild,
    );
  if (want("startOnPush"))
    await createRole(
      iam,
      names.roles.startOnPush,
      startOnPushRoleTrustPolicy(names),
      startOnPushRolePermissionPolicy(names),
      names.policyNames.startOnPush,
    );
}

/** The repo account's roles: the cross-account source role and the forward-push role. */
export async function createRepoRoles(iam: IAMClient, only?: ("crossAccount" | "forwardPush")[]) {
  const want = (k: string) => !only || only.includes(k as never);
  if (want("crossAccount"))
    await createRole(
      iam,
      names.roles.crossAccount,
      crossAccountRoleTrustPolicy(spec, names),
      crossAccountRolePermissionPolicy(spec, names, store),
      names.policyNames.crossAccount,
    );
  if (want("forwardPush"))
    await createRole(
      iam,
      names.roles.forwardPush,
      forwardPushRoleTrustPolicy(names),
      forwardPushRolePermissionPolicy(names),
      names.policyNames.forwardPush,
    );
}

/** GET /_sandbox/events. */
export async function deliveries(h: SandboxHandle): Promise<
  {
    outcome: string;
    reason: string;
    ruleArn?: string;
    targetArn?: string;
    busArn: string;
    pipelineExecutionId?: string;
    eventId: string;
    source: string;
  }[]
> {
  const r = await fetch(`${h.url}/_sandbox/events`);
  return (await r.json()) as never;
}

/** Poll until `pred` holds (event delivery is asynchronous). */
export async function until<T>(fn: () => Promise<T>, pred: (v: T) => boolean, ms = 2000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (pred(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
}
