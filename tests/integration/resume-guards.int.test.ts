// Issue 17, item 9: resuming a failed apply run goes through the same checks as starting one. Through the real
// server action (resumeRunAction) as a signed-in engineer, against the sandbox and a real SQLite database:
//   - an apply resumed while a destroy run of the same onboarding is queued would race the destroy → refused;
//   - an apply of an offboarded onboarding, resumed, would re-create what was just deleted → refused.
// In both cases nothing changes: the run stays failed, the onboarding keeps its status.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "user-agent": "resume-guards", "x-crossline-client-ip": "203.0.113.9" }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

const { db } = await import("@/lib/db");
const { startApply } = await import("@/lib/onboarding/service");
const { resumeRunAction } = await import("@/app/onboardings/actions");
const { onboard } = await import("../support/provision");
const { offboardRun } = await import("../support/offboard");
const { freshAccountId, registerAccount, testUser, ctxFor } = await import("../support/world");

const REPO = "222222222222";
let engineer: CurrentUser;
let repoDbId: string;

beforeAll(async () => {
  engineer = await testUser("engineer");
  repoDbId = (await registerAccount(REPO, "repo", "Demo repo")).id;
});

/** An onboarding whose first apply run failed (as a refused call or a crash leaves it). */
async function withFailedApply() {
  const toolsId = freshAccountId(7);
  const tools = await registerAccount(toolsId, "tools");
  const o = await onboard(engineer, { toolsDbId: tools.id, repoDbId, repositoryName: "demo-service", pipelineName: `resume-${toolsId}` });
  const run = await startApply(o.id, ctxFor(engineer));
  await db.run.update({ where: { id: run.id }, data: { status: "failed", error: "simulated failure", finishedAt: new Date() } });
  await db.onboarding.update({ where: { id: o.id }, data: { status: "failed" } });
  return { o, run };
}

function resumeAs(user: CurrentUser, runId: string) {
  session.user = user;
  const form = new FormData();
  form.set("runId", runId);
  return resumeRunAction(undefined, form);
}

describe("resuming a failed apply run", () => {
  it("is refused while a destroy run of the same onboarding is queued (an apply must not race a destroy)", async () => {
    const { o, run } = await withFailedApply();
    const { startDestroy } = await import("@/lib/teardown/service");
    const destroy = await startDestroy(o.id, ctxFor(engineer), {});
    expect(destroy.status).toBe("queued");

    const r = await resumeAs(engineer, run.id);
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining("in progress") });
    // Nothing changed: the apply is still failed, the onboarding still offboarding, one run queued (the destroy).
    expect(await db.run.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: "failed", attempt: 1, resumedById: null });
    expect((await db.onboarding.findUniqueOrThrow({ where: { id: o.id } })).status).toBe("offboarding");
    expect(await db.run.count({ where: { onboardingId: o.id, status: { in: ["queued", "running"] } } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "onboardings.resume", targetId: o.id } })).toBe(0);
  });

  it("is refused once the onboarding is offboarded (resuming would re-create the deleted pipeline)", async () => {
    const { o, run } = await withFailedApply();
    const destroyed = await offboardRun(engineer, o.id, {});
    expect({ outcome: destroyed.outcome, failures: destroyed.failures }).toEqual({ outcome: "succeeded", failures: [] });
    expect((await db.onboarding.findUniqueOrThrow({ where: { id: o.id } })).status).toBe("offboarded");

    const r = await resumeAs(engineer, run.id);
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining("is offboarded") });
    expect(await db.run.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: "failed", attempt: 1, resumedById: null });
    expect((await db.onboarding.findUniqueOrThrow({ where: { id: o.id } })).status).toBe("offboarded");
    expect(await db.run.count({ where: { onboardingId: o.id, status: { in: ["queued", "running"] } } })).toBe(0);
  });

  it("a failed destroy is not resumed while an apply of the same onboarding is queued either", async () => {
    const { o, run } = await withFailedApply();
    const { startDestroy } = await import("@/lib/teardown/service");
    const destroy = await startDestroy(o.id, ctxFor(engineer), {});
    await db.run.update({ where: { id: destroy.id }, data: { status: "failed", error: "simulated failure", finishedAt: new Date() } });
    const apply = await startApply(o.id, ctxFor(engineer));
    expect(apply.status).toBe("queued");

    const r = await resumeAs(engineer, destroy.id);
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining("in progress") });
    expect(await db.run.findUniqueOrThrow({ where: { id: destroy.id } })).toMatchObject({
      status: "failed",
      attempt: 1,
      resumedById: null,
    });
    expect((await db.onboarding.findUniqueOrThrow({ where: { id: o.id } })).status).toBe("provisioning");
    // Leave no queued run behind.
    await db.run.updateMany({ where: { id: { in: [apply.id, run.id] } }, data: { status: "failed" } });
  });

  it("still resumes a failed apply when nothing else runs and the onboarding is live", async () => {
    const { o, run } = await withFailedApply();
    const r = await resumeAs(engineer, run.id);
    expect(r).toMatchObject({ ok: true, data: { status: "queued", attempt: 2 } });
    expect((await db.onboarding.findUniqueOrThrow({ where: { id: o.id } })).status).toBe("provisioning");
    // Leave no queued run behind for the next file's worker.
    await db.run.update({ where: { id: run.id }, data: { status: "failed" } });
  });
});
