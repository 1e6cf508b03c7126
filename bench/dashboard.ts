// npm run bench:dashboard — the dashboard with 200 pipelines and 50 ms of sandbox latency per AWS call: server
// render time of a refresh, cold (the shared 5 s state cache emptied before each measurement) and cached, and the
// AWS calls one refresh makes (from the sandbox's call log). What is measured is what the page awaits and renders:
// loadDashboard() (DB query + one snapshot per pipeline through the cache and the per-account limiter) followed by
// renderToString() of the dashboard table. In-process sandbox and a temporary SQLite database.
//
// Set-up (fast and honest): ONE onboarding is provisioned through the portal's runner (roles, bucket, key, build
// project, pipeline, EventBridge chain); 199 more pipelines are created with CreatePipeline from its declaration
// (same roles and artifact store) and registered as onboardings with their pipelineArn. Every pipeline then runs
// its first execution (CreatePipeline starts one) to Succeeded before anything is measured.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CodePipelineClient, CreatePipelineCommand, GetPipelineCommand } from "@aws-sdk/client-codepipeline";
import { startSandbox } from "@/sandbox/index";
import { sandboxRootClient } from "@/lib/aws/client-factory";

const PIPELINES = 200;
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 15);
const CACHED_RUNS = Number(process.env.BENCH_CACHED_RUNS ?? 40);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const round = (x: number) => Math.round(x);

async function main() {
  // As under `next start`: React's production builds (the development ones are several times slower).
  (process.env as Record<string, string>).NODE_ENV = "production";
  const { createElement } = await import("react");
  const { renderToString } = await import("react-dom/server");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-dashboard-"));
  process.env.DATABASE_URL = `file:${path.join(dir, "portal.db")}`;
  execFileSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], { stdio: ["ignore", "ignore", "inherit"], env: process.env });
  const sandbox = await startSandbox({ port: 0, seedDemo: true, faults: { actionMs: 20 } });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_ACCESS_KEY_ID: "AKIASANDBOXPORTAL000",
    AWS_SECRET_ACCESS_KEY: "x",
    AWS_REGION: "us-east-1",
    PORTAL_PRINCIPAL_ARN: "arn:aws:iam::000000000000:user/portal",
    PORTAL_MODE: "sandbox",
  });

  const { db } = await import("@/lib/db");
  const { registerAccount, testUser, ctxFor } = await import("@/tests/support/world");
  const { createOnboarding, startApply } = await import("@/lib/onboarding/service");
  const { claimRun, executeRun } = await import("@/lib/worker-main/runner");
  const { loadDashboard } = await import("@/lib/pipelines/dashboard");
  const { caches, clearPipelineCaches, READS_IN_FLIGHT, SNAPSHOT_TTL_MS } = await import("@/lib/pipelines/read");
  const { DashboardTable } = await import("@/components/pipelines/dashboard-table");

  // 1. One onboarding through the portal.
  const user = await testUser("engineer");
  const tools = await registerAccount("111111111111", "tools", "Demo tools");
  const repo = await registerAccount("222222222222", "repo", "Demo repo");
  const first = await createOnboarding(
    {
      toolsAccountId: tools.id,
      repoAccountId: repo.id,
      region: "us-east-1",
      repositoryName: "demo-service",
      branchName: "main",
      pipelineName: "bench-000",
      pipelineType: "V1",
      buildMode: "create",
      buildProject: "bench-build",
      approval: false,
    },
    ctxFor(user),
  );
  const run = await startApply(first.id, ctxFor(user));
  await claimRun(run.id, "bench");
  if ((await executeRun(run.id, { workerId: "bench" })) !== "succeeded")
    throw new Error(`provisioning failed: ${(await db.run.findUnique({ where: { id: run.id } }))?.error}`);

  // 2. 199 more pipelines from its declaration, registered as onboardings.
  const cp = sandboxRootClient(CodePipelineClient, "111111111111", { endpoint: sandbox.url });
  const declaration = (await cp.send(new GetPipelineCommand({ name: "bench-000" }))).pipeline!;
  const names = Array.from({ length: PIPELINES - 1 }, (_, i) => `bench-${String(i + 1).padStart(3, "0")}`);
  for (let i = 0; i < names.length; i += 25) {
    await Promise.all(
      names.slice(i, i + 25).map((name) => cp.send(new CreatePipelineCommand({ pipeline: { ...declaration, name, version: undefined } }))),
    );
  }
  await db.onboarding.createMany({
    data: names.map((name) => ({
      toolsAccountId: tools.id,
      repoAccountId: repo.id,
      region: "us-east-1",
      repositoryName: "demo-service",
      branchName: "main",
      pipelineName: name,
      pipelineType: "V1",
      buildMode: "existing",
      buildProject: "bench-build",
      approval: false,
      status: "active",
      pipelineArn: `arn:aws:codepipeline:us-east-1:111111111111:${name}`,
    })),
  });

  // 3. Every first execution to the end (no latency yet), then warm up the process (JIT, clients, commit author).
  const deadline = Date.now() + 120_000;
  for (;;) {
    clearPipelineCaches();
    const d = await loadDashboard({}, user.email);
    const busy = d.rows.filter((r) => r.snapshot.latest?.status !== "Succeeded");
    if (d.rows.length === PIPELINES && busy.length === 0) break;
    if (Date.now() > deadline)
      throw new Error(
        `${busy.length} pipelines did not finish: ${JSON.stringify(busy.slice(0, 3).map((r) => [r.onboarding.pipelineName, r.snapshot.latest?.status, r.snapshot.error]))}`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
  for (let i = 0; i < 3; i++) {
    clearPipelineCaches();
    renderToString(createElement(DashboardTable, { rows: (await loadDashboard({}, user.email)).rows, now: Date.now() }));
  }

  sandbox.setFaults({ latencyMs: LATENCY_MS, actionMs: 20 });
  const refresh = async () => {
    const started = performance.now();
    const data = await loadDashboard({}, user.email);
    const html = renderToString(createElement(DashboardTable, { rows: data.rows, now: Date.now() }));
    const ms = performance.now() - started;
    if (data.rows.length !== PIPELINES || !html.includes("bench-199")) throw new Error("the dashboard did not show every pipeline");
    const errors = data.rows.filter((r) => r.snapshot.error);
    if (errors.length) throw new Error(`${errors.length} rows failed: ${errors[0].snapshot.error?.message}`);
    return { ms, bytes: html.length };
  };

  // 4. Cold: the state cache emptied before each refresh (commit authors stay cached: they never change).
  const cold: number[] = [];
  const callsPerRefresh: number[] = [];
  const byAction: Record<string, number> = {};
  caches.limiter.peak = 0;
  for (let i = 0; i < COLD_RUNS; i++) {
    clearPipelineCaches();
    sandbox.resetCallLog();
    cold.push((await refresh()).ms);
    const log = [...sandbox.callLog];
    callsPerRefresh.push(log.length);
    if (i === 0) for (const c of log) byAction[c.action] = (byAction[c.action] ?? 0) + 1;
  }
  const peak = caches.limiter.peak;

  // 5. Cached: refreshes inside the 5 s window.
  clearPipelineCaches();
  await refresh();
  const cached: number[] = [];
  sandbox.resetCallLog();
  for (let i = 0; i < CACHED_RUNS; i++) {
    cached.push((await refresh()).ms);
  }
  const cachedCalls = sandbox.callLog.length;

  // 6. The very first refresh of a fresh process: authors unknown too (one GetCommit per distinct commit).
  clearPipelineCaches(true);
  sandbox.resetCallLog();
  const firstEver = await refresh();
  const firstEverCalls: Record<string, number> = {};
  for (const c of sandbox.callLog) firstEverCalls[c.action] = (firstEverCalls[c.action] ?? 0) + 1;

  await sandbox.close();
  await db.$disconnect();

  const load = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
  const result = {
    pipelines: PIPELINES,
    cold_p50_ms: round(pct(cold, 50)),
    cold_p95_ms: round(pct(cold, 95)),
    cached_p50_ms: Math.round(pct(cached, 50) * 10) / 10,
    cached_p95_ms: Math.round(pct(cached, 95) * 10) / 10,
    calls_per_refresh: Math.max(...callsPerRefresh),
  };
  console.log(
    `dashboard with ${PIPELINES} pipelines, ${LATENCY_MS} ms sandbox latency per AWS call, ≤ ${READS_IN_FLIGHT} reads in flight per account, region and operation (peak seen ${peak}), state cache ${SNAPSHOT_TTL_MS / 1000} s`,
  );
  console.log(`measured: loadDashboard() + renderToString(<DashboardTable>) in this process (what the page awaits and renders)`);
  console.log(`cold   (state cache emptied, ${COLD_RUNS} runs): p50 ${result.cold_p50_ms} ms, p95 ${result.cold_p95_ms} ms`);
  console.log(
    `cached (within ${SNAPSHOT_TTL_MS / 1000} s, ${CACHED_RUNS} runs):        p50 ${result.cached_p50_ms} ms, p95 ${result.cached_p95_ms} ms, ${cachedCalls} AWS calls in all`,
  );
  console.log(
    `AWS calls per cold refresh: ${callsPerRefresh.join(", ")} — ${Object.entries(byAction)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
  console.log(
    `first refresh of a fresh process (authors unknown): ${round(firstEver.ms)} ms, ${Object.entries(firstEverCalls)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
  console.log(`machine: ${os.cpus().length} CPUs, load average ${load}`);
  console.log(JSON.stringify(result));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
