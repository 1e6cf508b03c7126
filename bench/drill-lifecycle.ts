// npm run drill:lifecycle — the whole lifecycle on the sandbox (in its own process), through the portal's own
// services and durable runner: 10 onboardings over 2 tools and 3 repo accounts (one with an adopted role, one with
// notifications), foreign resources and statements beside them; every drift kind injected by direct AWS calls as
// the accounts' administrators, verified and repaired; pipelines broken in every explained way, run, explained and
// repaired; then every onboarding offboarded (buckets deleted, keys scheduled for deletion) and AWS read back. The
// first tools account is an installation upgraded from naming v1: its old shared artifact bucket holds another team's
// object versions and the first onboarding's ledger row still claims it as "created"; offboarding that onboarding
// with "Delete the artifact bucket" must leave every one of those versions in place.
// Last line: one JSON object. Exits 1 when anything was not detected, repaired, explained or cleaned up.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startSandboxProcess, useSandbox } from "./support/sandbox-process";

const TOOLS = ["710000000001", "710000000002"];
const REPOS = ["720000000001", "720000000002", "720000000003"];
const ONBOARDINGS = 10;
const FOREIGN_ROLE = "team-owned-deployer";
const FOREIGN_SID = "ForeignPartnerEvents";
const FOREIGN_KEY_SID = "ForeignAuditorDescribe";

async function main() {
  const started = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drill-lifecycle-"));
  process.env.DATABASE_URL = `file:${path.join(dir, "portal.db")}`;
  execFileSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], { stdio: ["ignore", "ignore", "inherit"], env: process.env });
  const sandbox = await startSandboxProcess(dir, { memoryOnly: true });
  useSandbox(sandbox.url);
  try {
    const result = await drill(sandbox.url, (f) => sandbox.setFaults(f).then(() => undefined));
    console.log(`drill finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    console.log(JSON.stringify(result));
    const ok =
      result.drift_detected === result.drift_kinds &&
      result.drift_repaired === result.drift_kinds &&
      result.failures_explained === result.failure_kinds &&
      result.offboarded === ONBOARDINGS &&
      result.portal_resources_left === 0 &&
      result.foreign_resources_intact &&
      result.adopted_resources_intact &&
      result.legacy_shared_bucket_intact;
    process.exitCode = ok ? 0 : 1;
  } finally {
    sandbox.close();
  }
}

async function drill(endpoint: string, setFaults: (f: Record<string, number>) => Promise<void>) {
  const { db } = await import("@/lib/db");
  const { registerAccount, testUser, ctxFor, createRepository, rootClient } = await import("@/tests/support/world");
  const { applyRun, namesOf, fastRetry } = await import("@/tests/support/provision");
  const { offboardRun } = await import("@/tests/support/offboard");
  const { portalResourcesLeft } = await import("@/tests/support/aws-state");
  const { adminClients, DRIFT_INJECTORS } = await import("@/tests/support/drift");
  const breakage = await import("@/tests/support/breakage");
  const { createOnboarding } = await import("@/lib/onboarding/service");
  const { planOnboarding } = await import("@/lib/onboarding/service");
  const { verifyOnboarding, startRepair } = await import("@/lib/drift");
  const { claimRun, executeRun } = await import("@/lib/worker-main/runner");
  const { clearExplainCache, detectPushGap, explainExecution } = await import("@/lib/explain");
  const { simulatePush } = await import("@/lib/pipelines/commands");
  const { clearPipelineCaches } = await import("@/lib/pipelines/read");
  const { CodePipelineClient, GetPipelineExecutionCommand, ListPipelineExecutionsCommand, StartPipelineExecutionCommand } =
    await import("@aws-sdk/client-codepipeline");
  const { IAMClient, CreateRoleCommand, GetRoleCommand } = await import("@aws-sdk/client-iam");
  const {
    S3Client,
    CreateBucketCommand,
    HeadBucketCommand,
    PutBucketVersioningCommand,
    PutBucketTaggingCommand,
    PutObjectCommand,
    DeleteObjectCommand,
    ListObjectVersionsCommand,
  } = await import("@aws-sdk/client-s3");
  const { EventBridgeClient, PutPermissionCommand, DescribeEventBusCommand } = await import("@aws-sdk/client-eventbridge");
  const { KMSClient, DescribeKeyCommand, GetKeyPolicyCommand, PutKeyPolicyCommand, ListKeysCommand, ListResourceTagsCommand } =
    await import("@aws-sdk/client-kms");
  const { SNSClient, GetTopicAttributesCommand } = await import("@aws-sdk/client-sns");
  const { CodestarNotificationsClient, DescribeNotificationRuleCommand } = await import("@aws-sdk/client-codestar-notifications");
  const { PORTAL_TAG_KEY } = await import("@/lib/policies/types");
  type Names = Awaited<ReturnType<typeof namesOf>>;

  await setFaults({ actionMs: 50 });
  const user = await testUser("engineer");
  const ctx = ctxFor(user);
  const tools = await Promise.all(TOOLS.map((a) => registerAccount(a, "tools", `Drill tools ${a}`)));
  const repos = await Promise.all(REPOS.map((a) => registerAccount(a, "repo", `Drill repo ${a}`)));

  // Foreign resources the portal must never touch: a role and a bucket in every account, a partner's statement on
  // each tools account's event bus.
  for (const account of [...TOOLS, ...REPOS]) {
    await rootClient(IAMClient, account).send(
      new CreateRoleCommand({
        RoleName: FOREIGN_ROLE,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    await rootClient(S3Client, account).send(new CreateBucketCommand({ Bucket: `team-owned-${account}` }));
  }
  for (const account of TOOLS)
    await rootClient(EventBridgeClient, account).send(
      new PutPermissionCommand({ Action: "events:PutEvents", Principal: "999999999999", StatementId: FOREIGN_SID }),
    );

  // 10 onboardings, each its own repository; #0 adopts a role someone created by hand, #1 has notifications.
  const onboardings: { id: string; names: Names }[] = [];
  let adoptedRole = "";
  for (let i = 0; i < ONBOARDINGS; i++) {
    const toolsRow = tools[i % tools.length];
    const repoRow = repos[i % repos.length];
    const repositoryName = `service-${i}`;
    await createRepository(repoRow.accountId, repositoryName);
    const pipelineName = `${repositoryName}-main`;
    const o = await createOnboarding(
      {
        toolsAccountId: toolsRow.id,
        repoAccountId: repoRow.id,
        region: "us-east-1",
        repositoryName,
        branchName: "main",
        pipelineName,
        pipelineType: "V2",
        buildMode: "create",
        buildProject: `${pipelineName}-build`,
        approval: false,
        notifications: i === 1,
        notificationEmails: i === 1 ? ["team@example.com"] : [],
      },
      ctx,
    );
    const names = await namesOf(o.id);
    const confirmed: string[] = [];
    if (i === 0) {
      adoptedRole = names.roles.startOnPush.name;
      await rootClient(IAMClient, toolsRow.accountId).send(
        new CreateRoleCommand({
          RoleName: adoptedRole,
          Path: names.roles.startOnPush.path,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole" }],
          }),
          // The portal tags only what it creates: adopting a role needs the administrator's portal:managed-by mark first.
          Tags: [{ Key: "portal:managed-by", Value: "crossline-portal" }],
        }),
      );
      const plan = await planOnboarding(o.id, ctx);
      confirmed.push(...plan.items.filter((it) => it.action === "adopt").map((it) => it.stepKey));
      if (!confirmed.includes("tools.start-on-push-role"))
        throw new Error(`the hand-made role was not offered for adoption: ${JSON.stringify(plan.summary)}`);
    }
    const r = await applyRun(user, o.id, { confirmedAdoptions: confirmed, workerId: "drill" });
    if (r.outcome !== "succeeded") throw new Error(`onboarding ${i} ${r.outcome}: ${JSON.stringify(r.failures)}`);
    onboardings.push({ id: o.id, names });
  }
  console.log(`applied ${onboardings.length} onboardings over ${TOOLS.length} tools and ${REPOS.length} repo accounts`);

  // An upgraded installation (naming v1 → v2): the first tools account's old shared bucket, versioned and tagged as the
  // old code tagged it (for its first onboarding), holding another team's object versions and a delete marker; the
  // ledger row the old code wrote for it (origin "created", owned by onboarding #0).
  const legacy = { account: onboardings[0].names.toolsAccountId, bucket: onboardings[0].names.artifactStore.legacyBucketName };
  {
    const s3 = rootClient(S3Client, legacy.account);
    await s3.send(new CreateBucketCommand({ Bucket: legacy.bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: legacy.bucket, VersioningConfiguration: { Status: "Enabled" } }));
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket: legacy.bucket,
        Tagging: {
          TagSet: [
            { Key: "portal:managed-by", Value: "crossline-portal" },
            { Key: PORTAL_TAG_KEY, Value: onboardings[0].id },
          ],
        },
      }),
    );
    for (const body of ["build 1", "build 2"])
      await s3.send(new PutObjectCommand({ Bucket: legacy.bucket, Key: "legacy-team-main/BuildArtif/a1b2c3", Body: body }));
    await s3.send(new PutObjectCommand({ Bucket: legacy.bucket, Key: "legacy-team-main/SourceArti/d4e5f6", Body: "source" }));
    await s3.send(new DeleteObjectCommand({ Bucket: legacy.bucket, Key: "legacy-team-main/SourceArti/d4e5f6" }));
    await db.provisionedResource.create({
      data: {
        onboardingId: onboardings[0].id,
        accountId: legacy.account,
        region: "us-east-1",
        kind: "s3-bucket",
        name: legacy.bucket,
        arn: `arn:aws:s3:::${legacy.bucket}`,
        origin: "created",
        shared: true,
      },
    });
  }
  const legacyVersions = async () => {
    const page = await rootClient(S3Client, legacy.account)
      .send(new ListObjectVersionsCommand({ Bucket: legacy.bucket }))
      .catch(() => null);
    return page ? [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => `${v.Key} ${v.VersionId}`).sort() : [];
  };
  const legacyBefore = await legacyVersions();
  if (legacyBefore.length !== 4)
    throw new Error(`the legacy shared bucket should hold 4 versions and markers, holds ${legacyBefore.length}`);

  // An auditor's statement in each shared key policy, added by the account's administrator.
  for (const account of TOOLS) {
    const kms = rootClient(KMSClient, account);
    const keyId = (await kms.send(new DescribeKeyCommand({ KeyId: onboardings[0].names.artifactStore.kmsAlias }))).KeyMetadata!.Arn!;
    const doc = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: "default" }))).Policy!);
    doc.Statement.push({
      Sid: FOREIGN_KEY_SID,
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: "kms:DescribeKey",
      Resource: "*",
    });
    await kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: "default", Policy: JSON.stringify(doc) }));
  }

  const runToEnd = async (runId: string) => {
    if (!(await claimRun(runId, "drill"))) throw new Error(`run ${runId} was claimed by someone else`);
    return executeRun(runId, { workerId: "drill", retry: fastRetry, heartbeatMs: 200 });
  };

  // ---- Drift: each kind on its own onboarding (the 11th beside the 1st), verified, repaired, verified again.
  const injected: { o: (typeof onboardings)[number]; kind: string; stepKey: string; status: string; change: RegExp }[] = [];
  for (let k = 0; k < DRIFT_INJECTORS.length; k++) {
    const o = onboardings[k % onboardings.length];
    const d = await DRIFT_INJECTORS[k]({
      tools: adminClients(endpoint, o.names.toolsAccountId),
      repo: adminClients(endpoint, o.names.repoAccountId),
      names: o.names,
    });
    injected.push({ o, ...d });
  }
  let detected = 0;
  const drifted = new Set<string>();
  for (const d of injected) {
    const check = await verifyOnboarding(d.o.id, user.email);
    const item = check.items.find((it) => it.stepKey === d.stepKey && it.status === d.status && it.changes.some((c) => d.change.test(c)));
    if (item) detected++;
    else console.log(`drift not detected: ${d.kind} (${JSON.stringify(check.items.filter((it) => it.stepKey === d.stepKey))})`);
    drifted.add(d.o.id);
  }
  for (const id of drifted) {
    const outcome = await runToEnd((await startRepair(id, ctx)).id);
    if (outcome !== "succeeded") console.log(`repair of ${id}: ${outcome}`);
  }
  let repaired = 0;
  for (const d of injected) {
    const check = await verifyOnboarding(d.o.id, user.email);
    if (check.items.find((it) => it.stepKey === d.stepKey)?.status === "in-sync") repaired++;
    else console.log(`drift not repaired: ${d.kind}`);
  }
  console.log(`drift: ${injected.length} kinds, ${detected} detected, ${repaired} repaired`);

  // ---- Failures: break, run, explain, repair.
  const waitDone = async (cp: InstanceType<typeof CodePipelineClient>, pipelineName: string, executionId: string) => {
    const end = Date.now() + 60_000;
    for (;;) {
      const e = (await cp.send(new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: executionId }))).pipelineExecution!;
      if (e.status !== "InProgress" && e.status !== "Stopping") return e.status!;
      if (Date.now() > end) throw new Error(`execution ${executionId} still ${e.status}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const idle = async (cp: InstanceType<typeof CodePipelineClient>, pipelineName: string) => {
    for (const e of (await cp.send(new ListPipelineExecutionsCommand({ pipelineName, maxResults: 5 }))).pipelineExecutionSummaries ?? [])
      if (e.status === "InProgress") await waitDone(cp, pipelineName, e.pipelineExecutionId!);
  };
  const reapply = async (id: string) => {
    const r = await applyRun(user, id, { workerId: "drill" });
    if (r.outcome !== "succeeded") throw new Error(`re-apply ${r.outcome}: ${JSON.stringify(r.failures)}`);
  };
  const runFailures: [
    string,
    (n: Names) => Promise<{ kind: string; accountId: string; resourceArn: string; restore?(): Promise<void> }>,
  ][] = [
    ["kms-grant-missing", breakage.removeKeyGrant],
    ["bucket-grant-missing", breakage.removeBucketGrant],
    ["cross-account-trust-changed", breakage.changeCrossAccountTrust],
    ["cross-account-policy-changed", breakage.changeCrossAccountPolicy],
    ["branch-deleted", breakage.deleteBranch],
    ["build-role-cannot-write-artifacts", breakage.removeBuildRoleArtifactWrite],
  ];
  const pushGaps: [string, (n: Names) => Promise<{ kind: string; accountId: string; resourceArn: string }>][] = [
    ["start-rule-disabled", breakage.disableStartRule],
    ["forward-target-removed", breakage.removeForwardTarget],
    ["bus-permission-removed", breakage.removeBusPermission],
  ];
  let explained = 0;
  let kinds = 0;
  for (let k = 0; k < runFailures.length; k++) {
    const [label, brk] = runFailures[k];
    const o = onboardings[k];
    const cp = rootClient(CodePipelineClient, o.names.toolsAccountId);
    await idle(cp, o.names.pipeline.name);
    const b = await brk(o.names);
    kinds++;
    const id = (await cp.send(new StartPipelineExecutionCommand({ name: o.names.pipeline.name }))).pipelineExecutionId!;
    const status = await waitDone(cp, o.names.pipeline.name, id);
    clearExplainCache();
    clearPipelineCaches();
    const x = await explainExecution(o.id, id, user.email);
    const first = x.explanations[0];
    if (
      status === "Failed" &&
      first &&
      first.kind === b.kind &&
      first.account.accountId === b.accountId &&
      first.resourceArn === b.resourceArn
    )
      explained++;
    else console.log(`not explained: ${label} (${status}, ${JSON.stringify(first ?? null)})`);
    if (b.restore) await b.restore();
    else await reapply(o.id);
  }
  for (let k = 0; k < pushGaps.length; k++) {
    const [label, brk] = pushGaps[k];
    const o = onboardings[runFailures.length + k];
    const b = await brk(o.names);
    kinds++;
    const pushed = await simulatePush({ id: o.id, message: `Lost push (${label})` }, ctx);
    clearExplainCache();
    clearPipelineCaches();
    const gap = await detectPushGap(o.id, user.email);
    if (
      pushed.executionIds.length === 0 &&
      gap[0] &&
      gap[0].kind === b.kind &&
      gap[0].account.accountId === b.accountId &&
      gap[0].resourceArn === b.resourceArn
    )
      explained++;
    else console.log(`not explained: ${label} (${JSON.stringify(gap[0] ?? null)})`);
    await reapply(o.id);
  }
  {
    // A failing build of the team's own code: the build log's tail, no repair.
    const o = onboardings[9];
    const cp = rootClient(CodePipelineClient, o.names.toolsAccountId);
    await idle(cp, o.names.pipeline.name);
    kinds++;
    const pushed = await simulatePush({ id: o.id, message: "Break the tests [fail]" }, ctx);
    const status = pushed.executionIds[0] ? await waitDone(cp, o.names.pipeline.name, pushed.executionIds[0]) : "not started";
    clearExplainCache();
    const x = pushed.executionIds[0] ? await explainExecution(o.id, pushed.executionIds[0], user.email) : null;
    if (status === "Failed" && x?.explanations[0]?.kind === "build-command-failed" && (x.buildLog?.lines.length ?? 0) > 0) explained++;
    else console.log(`not explained: build-command-failed (${status})`);
  }
  console.log(`failures: ${kinds} kinds, ${explained} explained`);

  // ---- Offboard everything: buckets deleted; each key scheduled for deletion by the last onboarding using it.
  const notificationResources = await db.provisionedResource.findMany({ where: { kind: { in: ["sns-topic", "notification-rule"] } } });
  if (notificationResources.length !== 2)
    throw new Error(`expected a topic and a rule in the ledger, found ${notificationResources.length}`);
  let offboarded = 0;
  for (let i = 0; i < onboardings.length; i++) {
    const o = onboardings[i];
    const lastOfKey = !onboardings.slice(i + 1).some((x) => x.names.toolsAccountId === o.names.toolsAccountId);
    const cp = rootClient(CodePipelineClient, o.names.toolsAccountId);
    await idle(cp, o.names.pipeline.name);
    const r = await offboardRun(user, o.id, { deleteBucket: true, deleteKey: lastOfKey, keyWaitingDays: 7 });
    if (r.outcome === "succeeded") offboarded++;
    else console.log(`offboard ${o.names.pipeline.name}: ${r.outcome} ${r.failures.join("; ")}`);
  }

  // ---- What AWS holds now.
  const left: string[] = [];
  for (const o of onboardings) left.push(...(await portalResourcesLeft(o.names)).filter((r) => r !== `tools role ${adoptedRole}`));
  for (const account of TOOLS) {
    const kms = rootClient(KMSClient, account);
    for (const k of (await kms.send(new ListKeysCommand({}))).Keys ?? []) {
      const meta = (await kms.send(new DescribeKeyCommand({ KeyId: k.KeyId! }))).KeyMetadata!;
      const tags = (await kms.send(new ListResourceTagsCommand({ KeyId: k.KeyId! }))).Tags ?? [];
      if (tags.some((t) => t.TagKey === PORTAL_TAG_KEY || t.TagKey === "portal:managed-by") && meta.KeyState !== "PendingDeletion")
        left.push(`key ${meta.Arn}`);
    }
    const bus = (await rootClient(EventBridgeClient, account).send(new DescribeEventBusCommand({ Name: "default" }))).Policy;
    for (const s of bus ? (JSON.parse(bus).Statement as { Sid: string }[]) : [])
      if (s.Sid !== FOREIGN_SID) left.push(`bus statement ${s.Sid} in ${account}`);
  }
  const exists = (p: Promise<unknown>) =>
    p.then(
      () => true,
      () => false,
    );
  for (const r of notificationResources) {
    const gone =
      r.kind === "sns-topic"
        ? !(await exists(rootClient(SNSClient, r.accountId).send(new GetTopicAttributesCommand({ TopicArn: r.arn }))))
        : !(await exists(rootClient(CodestarNotificationsClient, r.accountId).send(new DescribeNotificationRuleCommand({ Arn: r.arn }))));
    if (!gone) left.push(`${r.kind} ${r.arn}`);
  }
  let foreignIntact = true;
  for (const account of [...TOOLS, ...REPOS]) {
    foreignIntact &&= await exists(rootClient(IAMClient, account).send(new GetRoleCommand({ RoleName: FOREIGN_ROLE })));
    foreignIntact &&= await exists(rootClient(S3Client, account).send(new HeadBucketCommand({ Bucket: `team-owned-${account}` })));
  }
  for (const account of TOOLS) {
    const bus = (await rootClient(EventBridgeClient, account).send(new DescribeEventBusCommand({ Name: "default" }))).Policy ?? "{}";
    foreignIntact &&= (JSON.parse(bus).Statement ?? []).some((s: { Sid: string }) => s.Sid === FOREIGN_SID);
    const kms = rootClient(KMSClient, account);
    const keys = (await kms.send(new ListKeysCommand({}))).Keys ?? [];
    let auditorKept = false;
    for (const k of keys) {
      const policy = await kms.send(new GetKeyPolicyCommand({ KeyId: k.KeyId!, PolicyName: "default" })).then(
        (r) => r.Policy ?? "",
        () => "",
      );
      if (policy.includes(FOREIGN_KEY_SID)) auditorKept = true;
    }
    foreignIntact &&= auditorKept;
  }
  const adoptedIntact = await exists(rootClient(IAMClient, TOOLS[0]).send(new GetRoleCommand({ RoleName: adoptedRole })));
  const legacyAfter = await legacyVersions();
  const legacyIntact = JSON.stringify(legacyAfter) === JSON.stringify(legacyBefore);
  if (!legacyIntact)
    console.log(`legacy shared bucket ${legacy.bucket}: ${legacyBefore.length} versions before offboarding, ${legacyAfter.length} after`);
  if (left.length) console.log(`portal resources left: ${left.join(", ")}`);
  await db.$disconnect();
  return {
    onboardings: onboardings.length,
    drift_kinds: injected.length,
    drift_detected: detected,
    drift_repaired: repaired,
    failure_kinds: kinds,
    failures_explained: explained,
    offboarded,
    portal_resources_left: left.length,
    foreign_resources_intact: foreignIntact,
    adopted_resources_intact: adoptedIntact,
    legacy_shared_bucket_intact: legacyIntact,
  };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
