// Issue 10 on the portal's services with real SQLite and the sandbox: two concurrent Applies queue one run; a
// resumed run acts in AWS as the person who resumed it; a pipeline command is audited as attempted BEFORE its
// AWS call; generated passwords must be changed and the self-service change ends other sessions.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { JWT } from "next-auth/jwt";
import { db } from "@/lib/db";
import { createOnboarding, resumeRun, startApply } from "@/lib/onboarding/service";
import { claimRun, executeRun } from "@/lib/worker-main/runner";
import { startPipeline } from "@/lib/pipelines/commands";
import { authOptions } from "@/lib/auth/options";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { createUser, resetPassword } from "@/lib/users/service";
import { ctxFor, freshAccountId, registerAccount, testUser } from "../support/world";

// The runner's AWS identity: every client is built by buildContext(onboarding, actorEmail) — the email becomes
// the SourceIdentity of the AssumeRole. Record what it is given (the real function still runs).
const acting = vi.hoisted(() => ({ emails: [] as string[] }));
vi.mock("@/lib/runs/context", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/runs/context")>();
  return {
    ...real,
    buildContext: (o: Parameters<typeof real.buildContext>[0], actorEmail: string, outputs?: Parameters<typeof real.buildContext>[2]) => (
      acting.emails.push(actorEmail),
      real.buildContext(o, actorEmail, outputs)
    ),
  };
});

const REPO = "222222222222";
const fastRetry = { retryableBudgetMs: 60_000, propagationBudgetMs: 60_000, baseDelayMs: 50, maxDelayMs: 2_000 };
let starter: Awaited<ReturnType<typeof testUser>>;
let resumer: Awaited<ReturnType<typeof testUser>>;
let repoDbId: string;

beforeAll(async () => {
  starter = await testUser("engineer");
  resumer = await testUser("engineer");
  repoDbId = (await registerAccount(REPO, "repo", "Demo repo")).id;
});

async function onboard() {
  const toolsId = freshAccountId(6);
  const tools = await registerAccount(toolsId, "tools");
  const pipelineName = `h-${toolsId}`;
  return createOnboarding(
    {
      toolsAccountId: tools.id,
      repoAccountId: repoDbId,
      region: "us-east-1",
      repositoryName: "demo-service",
      branchName: "main",
      pipelineName,
      pipelineType: "V1",
      buildMode: "create",
      buildProject: `${pipelineName}-build`,
      approval: false,
    },
    ctxFor(starter),
  );
}

describe("provisioning runs", () => {
  it("two concurrent Applies of one onboarding queue exactly one run", async () => {
    const o = await onboard();
    const results = await Promise.allSettled([
      startApply(o.id, ctxFor(starter)),
      startApply(o.id, ctxFor(resumer)),
      startApply(o.id, ctxFor(starter)),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected"))
      expect(String((r as PromiseRejectedResult).reason.message)).toContain("in progress");
    expect(await db.run.count({ where: { onboardingId: o.id } })).toBe(1);
  });

  it("a resumed run acts in AWS as the person who resumed it, not as whoever started the first attempt", async () => {
    const o = await onboard();
    const run = await startApply(o.id, ctxFor(starter));
    // The first attempt failed (as a crash or a refused call leaves it).
    await db.run.update({ where: { id: run.id }, data: { status: "failed", error: "simulated" } });
    await resumeRun(run.id, ctxFor(resumer));
    acting.emails.length = 0;
    expect(await claimRun(run.id, "hardening-test")).toBe(true);
    expect(await executeRun(run.id, { workerId: "hardening-test", retry: fastRetry, heartbeatMs: 200 })).toBe("succeeded");
    expect(acting.emails).toEqual([resumer.email]);
    const finished = await db.auditEvent.findFirstOrThrow({
      where: { action: "onboardings.apply.finished", targetId: o.id },
      orderBy: { seq: "desc" },
    });
    expect(finished.actorEmail).toBe(resumer.email);
    expect(await db.run.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ startedById: starter.id, resumedById: resumer.id });
  });
});

describe("pipeline commands", () => {
  it("record an attempted event before the AWS call, then its outcome with the request id", async () => {
    const o = await onboard();
    // Known to the portal as provisioned, but AWS has no such pipeline: the call is made and refused.
    await db.onboarding.update({
      where: { id: o.id },
      data: { status: "active", pipelineArn: `arn:aws:codepipeline:us-east-1:000000000000:${o.pipelineName}` },
    });
    await expect(startPipeline({ id: o.id }, ctxFor(starter))).rejects.toThrow();
    const events = await db.auditEvent.findMany({ where: { action: "pipelines.start", targetId: o.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.outcome)).toEqual(["attempted", "failure"]);
    const [attempt, outcome] = events.map((e) => JSON.parse(e.details));
    expect(attempt).toMatchObject({ iamAction: "codepipeline:StartPipelineExecution", attemptId: expect.any(String) });
    expect(outcome.attemptId).toBe(attempt.attemptId);
    expect(events[0].requestIds).toBeNull();
    expect(events[1].requestIds).toBeTruthy();
  });
});

describe("passwords", () => {
  async function admin() {
    const a = await testUser("admin");
    return ctxFor(a);
  }

  it("a generated password (create or reset) must be changed at the next sign-in; a chosen one need not", async () => {
    const ctx = await admin();
    const gen = await createUser({ email: `gen-${Date.now()}@example.com`, name: null, role: "viewer", passwordMode: "generate" }, ctx);
    expect(await db.user.findUniqueOrThrow({ where: { id: gen.id } })).toMatchObject({ mustChangePassword: true });
    const set = await createUser(
      { email: `set-${Date.now()}@example.com`, name: null, role: "viewer", passwordMode: "set", password: "a chosen password" },
      ctx,
    );
    expect(await db.user.findUniqueOrThrow({ where: { id: set.id } })).toMatchObject({ mustChangePassword: false });
    await resetPassword({ id: set.id, passwordMode: "generate" }, ctx);
    expect(await db.user.findUniqueOrThrow({ where: { id: set.id } })).toMatchObject({ mustChangePassword: true });
  });

  it("the self-service change needs the current password, follows the length rules, and ends the user's other sessions", async () => {
    const { changeOwnPassword } = await import("@/lib/users/password-change");
    const { changeOwnPasswordSchema } = await import("@/lib/users/schemas");
    const u = await db.user.create({
      data: {
        email: `self-${Date.now()}@example.com`,
        role: "viewer",
        passwordHash: await hashPassword("the generated one"),
        mustChangePassword: true,
      },
    });
    const me = { id: u.id, email: u.email, name: null, role: "viewer" as const, mustChangePassword: true };
    const other = (await authOptions().callbacks!.jwt!({ token: {}, user: { id: u.id } } as never)) as JWT;

    expect(changeOwnPasswordSchema.safeParse({ current: "the generated one", password: "short", confirm: "short" }).success).toBe(false);
    expect(
      changeOwnPasswordSchema.safeParse({ current: "the generated one", password: "a new long password", confirm: "a different one!!" })
        .success,
    ).toBe(false);
    expect(
      changeOwnPasswordSchema.safeParse({ current: "the generated one", password: "the generated one", confirm: "the generated one" })
        .success,
    ).toBe(false);
    await expect(
      changeOwnPassword({ current: "not it at all", password: "a new long password", confirm: "a new long password" }, ctxFor(me)),
    ).rejects.toThrow();
    expect(await db.user.findUniqueOrThrow({ where: { id: u.id } })).toMatchObject({ mustChangePassword: true, sessionVersion: 0 });

    const { sessionVersion } = await changeOwnPassword(
      { current: "the generated one", password: "a new long password", confirm: "a new long password" },
      ctxFor(me),
    );
    const after = await db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(after).toMatchObject({ mustChangePassword: false, sessionVersion });
    expect(await verifyPassword("a new long password", after.passwordHash!)).toBe(true);
    await expect(authOptions().callbacks!.jwt!({ token: other } as never)).rejects.toThrow();
    expect(await db.auditEvent.count({ where: { action: "account.changePassword", targetId: u.id } })).toBe(2);
  });
});
