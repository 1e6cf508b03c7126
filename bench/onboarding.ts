// npm run bench:onboarding — AWS calls of a fresh onboarding and of a re-apply, and the wall time of the
// fresh apply with 50 ms of sandbox latency per call next to its lower bound (the longest chain of
// dependent calls × 50 ms). Runs against the sandbox in its own process (as AWS would be: the emulator's
// CPU is not the portal's) and a temporary SQLite database.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TrackedCall } from "@/lib/aws/call-tracker";
import { longestChain, serialDepth } from "./critical-path";
import { startSandboxProcess, useSandbox } from "./support/sandbox-process";

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-onboarding-"));
  process.env.DATABASE_URL = `file:${path.join(dir, "portal.db")}`;
  execFileSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], { stdio: ["ignore", "ignore", "inherit"], env: process.env });
  const sandbox = await startSandboxProcess(dir);
  useSandbox(sandbox.url);

  const { db } = await import("@/lib/db");
  const { registerAccount, testUser, ctxFor } = await import("@/tests/support/world");
  const { createOnboarding, startApply } = await import("@/lib/onboarding/service");
  const { claimRun, executeRun } = await import("@/lib/worker-main/runner");
  const { stepsFor } = await import("@/lib/provisioning/steps");
  const { specOf } = await import("@/lib/runs/spec");

  const user = await testUser("engineer");
  // Warm-up on another tools account: the first apply of a process pays for module loading and JIT.
  {
    const warmTools = await registerAccount("999999999998", "tools", "Warm-up tools");
    const warmRepo = await registerAccount("222222222222", "repo", "Demo repo");
    const w = await createOnboarding(
      {
        toolsAccountId: warmTools.id,
        repoAccountId: warmRepo.id,
        region: "us-east-1",
        repositoryName: "demo-service",
        branchName: "main",
        pipelineName: "warm-up",
        pipelineType: "V1",
        buildMode: "create",
        buildProject: "warm-up-build",
        approval: true,
      },
      ctxFor(user),
    );
    const run = await startApply(w.id, ctxFor(user));
    await claimRun(run.id, "warm-up");
    await executeRun(run.id, { workerId: "warm-up" });
  }
  const tools = await registerAccount("111111111111", "tools", "Demo tools");
  const repo = await registerAccount("222222222222", "repo", "Demo repo");
  const o = await createOnboarding(
    {
      toolsAccountId: tools.id,
      repoAccountId: repo.id,
      region: "us-east-1",
      repositoryName: "demo-service",
      branchName: "main",
      pipelineName: "demo-service-main",
      pipelineType: "V1",
      buildMode: "create",
      buildProject: "demo-service-main-build",
      approval: true,
    },
    ctxFor(user),
  );

  async function apply(observe?: (key: string, calls: TrackedCall[]) => void) {
    const run = await startApply(o.id, ctxFor(user));
    const workerId = `bench-${run.id}`;
    await claimRun(run.id, workerId);
    await sandbox.resetCallLog();
    const started = performance.now();
    const outcome = await executeRun(run.id, { workerId, onStepCalls: observe });
    const wall = performance.now() - started;
    if (outcome !== "succeeded") throw new Error(`apply ${outcome}: ${(await db.run.findUnique({ where: { id: run.id } }))?.error}`);
    const log = await sandbox.callLog();
    return { wall, calls: log.length, mutating: log.filter((c) => c.mutating).length };
  }

  await sandbox.setFaults({ latencyMs: LATENCY_MS });
  const depth: Record<string, number> = {};
  const spans: Record<string, [number, number, number]> = {};
  const durations: number[] = [];
  const fresh = await apply((key, calls) => {
    depth[key] = serialDepth(calls);
    spans[key] = [Math.min(...calls.map((c) => c.startedAt)), Math.max(...calls.map((c) => c.endedAt ?? 0)), calls.length];
    durations.push(...calls.map((c) => (c.endedAt ?? c.startedAt) - c.startedAt));
  });
  if (process.env.BENCH_VERBOSE) {
    durations.sort((a, b) => a - b);
    console.log(
      `  call duration p50 ${durations[Math.floor(durations.length / 2)].toFixed(1)} ms, max ${durations[durations.length - 1].toFixed(1)} ms (latency ${LATENCY_MS} ms)`,
    );
    const t0 = Math.min(...Object.values(spans).map((s) => s[0]));
    for (const [k, [a, b, n]] of Object.entries(spans).sort((x, y) => x[1][0] - y[1][0]))
      console.log(`  ${k.padEnd(28)} ${(a - t0).toFixed(0).padStart(5)} → ${(b - t0).toFixed(0).padStart(5)} ms, ${n} calls`);
  }
  const reapply = await apply();
  sandbox.close();

  const steps = stepsFor(
    specOf(await db.onboarding.findUniqueOrThrow({ where: { id: o.id }, include: { toolsAccount: true, repoAccount: true } })),
  );
  const chain = longestChain(steps, depth);
  // +1: the AssumeRole every account's first call waits for (both accounts assume in parallel).
  const boundMs = (chain.calls + 1) * LATENCY_MS;

  console.log(
    `fresh onboarding:  ${fresh.calls} AWS calls (${fresh.mutating} mutating), wall ${fresh.wall.toFixed(0)} ms at ${LATENCY_MS} ms/call`,
  );
  console.log(`re-apply:          ${reapply.calls} AWS calls (${reapply.mutating} mutating), wall ${reapply.wall.toFixed(0)} ms`);
  console.log(`critical path:     ${chain.calls + 1} dependent calls (AssumeRole → ${chain.path.join(" → ")}) = ${boundMs} ms`);
  console.log(`wall / bound:      ${(fresh.wall / boundMs).toFixed(2)}× (target ≤ 1.5×)`);
  console.log(
    `per-step serial depth: ${Object.entries(depth)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")}`,
  );
  console.log(
    JSON.stringify({
      fresh_calls: fresh.calls,
      fresh_mutating: fresh.mutating,
      reapply_calls: reapply.calls,
      reapply_mutating: reapply.mutating,
      wall_ms: Math.round(fresh.wall),
      bound_ms: boundMs,
    }),
  );
  await db.$disconnect();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
