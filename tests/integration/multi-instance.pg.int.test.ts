// Several portal instances on one PostgreSQL: two worker processes (scripts/worker.ts, as `npm start` runs
// it) share the database; 20 onboardings are applied at once; one process is killed (SIGKILL) in the middle of
// a run. Every run must succeed exactly once, nothing may be provisioned twice, the audit chain must verify,
// and the dead instance's runs must be resumed by the live one.
import { spawn, type ChildProcess } from "node:child_process";
import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { verifyChain } from "@/lib/audit/verify";
import { createOnboarding, startApply } from "@/lib/onboarding/service";
import { calls, ctxFor, freshAccountId, registerAccount, resetCalls, testUser } from "../support/world";

const REPO = "222222222222";
const TOOLS_ACCOUNTS = 4;
const PER_ACCOUNT = 5;
const children: ChildProcess[] = [];

function startWorkerProcess(label: string) {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
    env: { ...process.env, PORTAL_RUN_STALE_MS: "3000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  children.push(child);
  return { child, label, prefix: `${hostname()}:${child.pid}:`, log: () => log };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 150_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

describe("two worker processes on one PostgreSQL", () => {
  const onboardingIds: string[] = [];
  let runIds: string[] = [];

  beforeAll(async () => {
    const user = await testUser("engineer");
    const repo = await registerAccount(REPO, "repo", "Demo repo");
    // Runs that earlier test files left queued or claimed by dead test workers are not this test's business.
    await db.run.updateMany({ where: { status: { in: ["queued", "running"] } }, data: { status: "cancelled" } });
    for (let a = 0; a < TOOLS_ACCOUNTS; a++) {
      const tools = await registerAccount(freshAccountId(5), "tools");
      for (let i = 0; i < PER_ACCOUNT; i++) {
        const pipelineName = `mi-${tools.accountId}-${i}`;
        const o = await createOnboarding(
          {
            toolsAccountId: tools.id,
            repoAccountId: repo.id,
            region: "us-east-1",
            repositoryName: "demo-service",
            branchName: "main",
            pipelineName,
            pipelineType: "V1",
            buildMode: "create",
            buildProject: `${pipelineName}-build`,
            approval: false,
          },
          ctxFor(user),
        );
        onboardingIds.push(o.id);
      }
    }
    await resetCalls();
    // All 20 applied at once.
    runIds = (await Promise.all(onboardingIds.map((id) => startApply(id, ctxFor(user))))).map((r) => r.id);
  });

  it("runs each of 20 runs exactly once across the instances, resumes the killed one's runs, provisions nothing twice, keeps one chain", async () => {
    const a = startWorkerProcess("a");
    const b = startWorkerProcess("b");

    // Kill A in the middle of a run: it holds a running run with at least one step done and more to do.
    const held = await until("worker A to be in the middle of a run", async () => {
      const r = await db.run.findFirst({
        where: {
          id: { in: runIds },
          status: "running",
          claimedBy: { startsWith: a.prefix },
          steps: { some: { status: "succeeded" }, none: { status: "failed" } },
        },
        include: { steps: true },
      });
      return r && r.steps.some((s) => s.status !== "succeeded") ? r : null;
    });
    a.child.kill("SIGKILL");
    const heldByA = (
      await db.run.findMany({ where: { id: { in: runIds }, status: "running", claimedBy: { startsWith: a.prefix } }, select: { id: true } })
    ).map((r) => r.id);
    expect(heldByA).toContain(held.id);

    const done = await until("every run to finish", async () => {
      const runs = await db.run.findMany({ where: { id: { in: runIds } } });
      return runs.every((r) => r.status === "succeeded" || r.status === "failed") ? runs : null;
    });
    const failures = await db.runStep.findMany({ where: { runId: { in: runIds }, status: "failed" } });
    expect(
      failures.map((f) => `${f.stepKey}: ${f.errorMessage}`),
      b.log(),
    ).toEqual([]);
    expect(done.map((r) => r.status)).toEqual(runIds.map(() => "succeeded"));

    // The dead instance's runs were resumed by the live one.
    for (const id of heldByA) expect(done.find((r) => r.id === id)!.claimedBy).toMatch(new RegExp(`^${b.prefix}`));
    expect(b.log()).toMatch(/resuming \d+ interrupted run/);

    // Exactly once: one finish per run (audited once), one run per onboarding, every onboarding active.
    const finished = await db.auditEvent.findMany({ where: { action: "onboardings.apply.finished", targetId: { in: onboardingIds } } });
    expect(finished.map((e) => e.targetId).sort()).toEqual([...onboardingIds].sort());
    expect(await db.onboarding.count({ where: { id: { in: onboardingIds }, status: "active" } })).toBe(onboardingIds.length);

    // Nothing provisioned twice: every successful create call made a resource the ledger records once.
    const log = await calls();
    const ledger = await db.provisionedResource.findMany({ where: { onboardingId: { in: onboardingIds }, origin: "created" } });
    const sharedLedger = await db.provisionedResource.findMany({
      where: { shared: true, origin: "created", accountId: { in: [...new Set(ledger.map((l) => l.accountId))] } },
    });
    const created = (kind: string) => new Set([...ledger, ...sharedLedger].filter((l) => l.kind === kind).map((l) => l.id)).size;
    const creates = (action: string) => log.filter((c) => c.action === action && c.status >= 200 && c.status < 300).length;
    expect({
      CreateKey: creates("CreateKey"),
      CreateBucket: creates("CreateBucket"),
      CreateRole: creates("CreateRole"),
      CreateProject: creates("CreateProject"),
      CreatePipeline: creates("CreatePipeline"),
    }).toEqual({
      CreateKey: created("kms-key"),
      CreateBucket: created("s3-bucket"),
      CreateRole: created("iam-role"),
      CreateProject: created("codebuild-project"),
      CreatePipeline: onboardingIds.length,
    });
    expect(created("kms-key")).toBe(TOOLS_ACCOUNTS);
    expect(created("codepipeline")).toBe(onboardingIds.length);

    // One audit chain, however many writers.
    expect(await verifyChain()).toMatchObject({ intact: true, problem: null });

    b.child.kill("SIGTERM");
    await until("worker B to stop", async () => b.child.exitCode !== null || b.child.signalCode !== null, 20_000);
  });
});
