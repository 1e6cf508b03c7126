// npm run bench:scale — 1,000 onboardings from 50 repo accounts on one tools account and region, each planned and
// applied through the portal's durable runner against the sandbox (in its own process). Then it reads back from
// AWS the largest bucket policy, the shared key policy, the event bus policy, the largest role policies, and has a
// sample of repo and build roles try to read, list and overwrite other onboardings' artifacts.
// Last line: one JSON object. BENCH_ONBOARDINGS / BENCH_REPO_ACCOUNTS / BENCH_CONCURRENCY override the sizes.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startSandboxProcess, useSandbox } from "./support/sandbox-process";

const ONBOARDINGS = Number(process.env.BENCH_ONBOARDINGS ?? 1000);
const REPO_ACCOUNTS = Number(process.env.BENCH_REPO_ACCOUNTS ?? 50);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const TOOLS = "100000000001";
const QUOTAS = {
  bucketPolicyBytes: 20 * 1024,
  keyPolicyBytes: 32 * 1024,
  busPolicyChars: 10_240,
  rolePolicyChars: 10_240,
  trustPolicyChars: 2_048,
};

/** Runs `fn` over `items` with at most `n` in flight. */
async function pool<T, R>(items: T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/** IAM counts policy characters without whitespace. */
const iamChars = (doc: string) => decodeURIComponent(doc).replace(/\s/g, "").length;

async function main() {
  const started = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-scale-"));
  process.env.DATABASE_URL = `file:${path.join(dir, "portal.db")}`;
  execFileSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], { stdio: ["ignore", "ignore", "inherit"], env: process.env });
  const sandbox = await startSandboxProcess(dir, { memoryOnly: true });
  useSandbox(sandbox.url);

  const { db } = await import("@/lib/db");
  const { registerAccount, testUser, ctxFor, createRepository, rootClient } = await import("@/tests/support/world");
  const { onboard, applyRun, namesOf } = await import("@/tests/support/provision");
  const { actAsRole, tryArtifacts } = await import("@/tests/support/cross-tenant");
  const { planOnboarding } = await import("@/lib/onboarding/service");
  const { S3Client, GetBucketPolicyCommand, PutObjectCommand } = await import("@aws-sdk/client-s3");
  const { KMSClient, GetKeyPolicyCommand, DescribeKeyCommand } = await import("@aws-sdk/client-kms");
  const { EventBridgeClient, DescribeEventBusCommand } = await import("@aws-sdk/client-eventbridge");
  const { IAMClient, ListRolesCommand, ListRolePoliciesCommand, GetRolePolicyCommand } = await import("@aws-sdk/client-iam");

  const user = await testUser("engineer");
  const tools = await registerAccount(TOOLS, "tools", "Scale tools");
  const repos = await pool(
    Array.from({ length: REPO_ACCOUNTS }, (_, i) => String(200000000100 + i)),
    CONCURRENCY,
    async (accountId) => {
      const row = await registerAccount(accountId, "repo", `Scale repo ${accountId}`);
      await createRepository(accountId, "service");
      return { accountId, dbId: row.id };
    },
  );
  console.log(`set up 1 tools and ${repos.length} repo accounts in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const applyStarted = performance.now();
  let done = 0;
  const onboardings = await pool(
    Array.from({ length: ONBOARDINGS }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      const repo = repos[i % repos.length];
      const o = await onboard(user, {
        toolsDbId: tools.id,
        repoDbId: repo.dbId,
        repositoryName: "service",
        pipelineName: `service-${String(i).padStart(4, "0")}-main`,
      });
      const plan = await planOnboarding(o.id, ctxFor(user));
      if (plan.items.some((it) => it.action === "conflict" || it.action === "adopt"))
        throw new Error(`onboarding ${i}: unexpected plan ${JSON.stringify(plan.summary)}`);
      const r = await applyRun(user, o.id, { workerId: `scale-${i % CONCURRENCY}` });
      if (r.outcome !== "succeeded") throw new Error(`onboarding ${i} ${r.outcome}: ${JSON.stringify(r.failures)}`);
      if (++done % 100 === 0) console.log(`  ${done} applied (${((performance.now() - applyStarted) / 1000).toFixed(0)} s)`);
      return { id: o.id, repoAccountId: repo.accountId };
    },
  );
  const applyMs = performance.now() - applyStarted;

  // What AWS holds now.
  const s3 = rootClient(S3Client, TOOLS);
  const names = await pool(onboardings, CONCURRENCY, (o) => namesOf(o.id));
  const bucketPolicySizes = await pool(names, CONCURRENCY, async (n) =>
    Buffer.byteLength((await s3.send(new GetBucketPolicyCommand({ Bucket: n.artifactStore.bucketName }))).Policy ?? ""),
  );
  const kms = rootClient(KMSClient, TOOLS);
  const alias = names[0].artifactStore.kmsAlias;
  const keyPolicyBytes = Buffer.byteLength((await kms.send(new GetKeyPolicyCommand({ KeyId: alias, PolicyName: "default" }))).Policy ?? "");
  const keyArn = (await kms.send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata!.Arn!;
  const busPolicyChars = ((await rootClient(EventBridgeClient, TOOLS).send(new DescribeEventBusCommand({ Name: "default" }))).Policy ?? "")
    .length;

  let maxRolePolicyChars = 0;
  let maxTrustChars = 0;
  let roles = 0;
  for (const account of [TOOLS, ...repos.map((r) => r.accountId)]) {
    const iam = rootClient(IAMClient, account);
    const listed: { RoleName?: string; AssumeRolePolicyDocument?: string }[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListRolesCommand({ PathPrefix: "/portal/", Marker: marker }));
      listed.push(...(page.Roles ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    roles += listed.length;
    await pool(listed, CONCURRENCY, async (role) => {
      maxTrustChars = Math.max(maxTrustChars, iamChars(role.AssumeRolePolicyDocument ?? ""));
      const inline = (await iam.send(new ListRolePoliciesCommand({ RoleName: role.RoleName! }))).PolicyNames ?? [];
      let total = 0;
      for (const p of inline)
        total += iamChars((await iam.send(new GetRolePolicyCommand({ RoleName: role.RoleName!, PolicyName: p }))).PolicyDocument ?? "");
      maxRolePolicyChars = Math.max(maxRolePolicyChars, total);
    });
  }

  // Cross-tenant attempts: repo roles and build roles of a sample against other onboardings' buckets
  // (one of another repo account, one of the same repo account), each a read, a list and an overwrite.
  const sample = Array.from({ length: 10 }, (_, k) => Math.floor((k * names.length) / 10));
  let attempts = 0;
  let allowed = 0;
  for (const i of sample) {
    const otherAccount = (i + 1) % names.length;
    const sameAccount = (i + repos.length) % names.length;
    for (const j of [otherAccount, sameAccount]) {
      const victim = names[j];
      await s3.send(
        new PutObjectCommand({
          Bucket: victim.artifactStore.bucketName,
          Key: "victim/SourceArti/zip",
          Body: "victim",
          ServerSideEncryption: "aws:kms",
          SSEKMSKeyId: keyArn,
        }),
      );
      for (const attacker of [names[i].roles.crossAccount.arn, names[i].roles.codeBuild!.arn]) {
        const results = await tryArtifacts(await actAsRole(attacker), {
          bucketName: victim.artifactStore.bucketName,
          keyArn,
          objectKey: "victim/SourceArti/zip",
        });
        attempts += results.length;
        allowed += results.filter((r) => r.allowed).length;
      }
    }
  }
  sandbox.close();
  await db.$disconnect();

  const maxBucket = Math.max(...bucketPolicySizes);
  const line = (label: string, value: number, quota: number, unit: string) =>
    console.log(
      `${label.padEnd(34)} ${String(value).padStart(6)} ${unit} (quota ${quota.toLocaleString("en")} ${unit}, ${((value / quota) * 100).toFixed(1)}%)`,
    );
  console.log(
    `${onboardings.length} onboardings from ${repos.length} repo accounts planned and applied in ${(applyMs / 1000).toFixed(1)} s (${CONCURRENCY} at a time)`,
  );
  line("largest bucket policy (S3)", maxBucket, QUOTAS.bucketPolicyBytes, "bytes");
  line("shared key policy (KMS)", keyPolicyBytes, QUOTAS.keyPolicyBytes, "bytes");
  line("event bus policy (EventBridge)", busPolicyChars, QUOTAS.busPolicyChars, "chars");
  line(`largest inline policies of a role (${roles} roles)`, maxRolePolicyChars, QUOTAS.rolePolicyChars, "chars");
  line("largest trust policy (IAM)", maxTrustChars, QUOTAS.trustPolicyChars, "chars");
  console.log(`cross-tenant attempts: ${attempts}, allowed: ${allowed}`);
  console.log(
    JSON.stringify({
      onboardings: onboardings.length,
      repo_accounts: repos.length,
      max_bucket_policy_bytes: maxBucket,
      max_key_policy_bytes: keyPolicyBytes,
      bus_policy_chars: busPolicyChars,
      max_role_policy_chars: maxRolePolicyChars,
      max_trust_policy_chars: maxTrustChars,
      cross_tenant_attempts: attempts,
      cross_tenant_allowed: allowed,
      wall_ms: Math.round(performance.now() - started),
    }),
  );
  const over =
    maxBucket > QUOTAS.bucketPolicyBytes ||
    keyPolicyBytes > QUOTAS.keyPolicyBytes ||
    busPolicyChars > QUOTAS.busPolicyChars ||
    maxRolePolicyChars > QUOTAS.rolePolicyChars ||
    maxTrustChars > QUOTAS.trustPolicyChars;
  if (over || allowed > 0) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
