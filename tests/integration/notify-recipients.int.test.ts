// Issue 17, item 9: an engineer subscribing an outside address to full-detail notifications. Through the real
// server actions (the form's POST) as a signed-in engineer, against the sandbox and a real SQLite database, with
// PORTAL_NOTIFY_DOMAINS unset: recipients may only have a domain of a portal user (here example.com).
//   - create with attacker@evil.test → field error on notificationEmails, no onboarding, no audit of a create;
//   - edit an existing onboarding to add it → field error, the stored recipients unchanged;
//   - an address stored before the limit existed is not subscribed by an apply: the apply is refused, no run.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "user-agent": "notify-recipients", "x-crossline-client-ip": "203.0.113.10" }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

const { db } = await import("@/lib/db");
const { createOnboardingAction, updateOnboardingAction, applyOnboardingAction } = await import("@/app/onboardings/actions");
const { onboard } = await import("../support/provision");
const { freshAccountId, registerAccount, testUser } = await import("../support/world");

const REPO = "222222222222";
let engineer: CurrentUser;
let repoDbId: string;

beforeAll(async () => {
  delete process.env.PORTAL_NOTIFY_DOMAINS;
  engineer = await testUser("engineer"); // engineer-…@example.com: example.com is a portal user's domain
  repoDbId = (await registerAccount(REPO, "repo", "Demo repo")).id;
});

const formOf = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

function isRedirect(e: unknown) {
  return String((e as { digest?: string })?.digest ?? "").startsWith("NEXT_REDIRECT");
}

describe("notification recipients are limited to the portal's email domains", () => {
  it("creating an onboarding that notifies attacker@evil.test is refused with a field error, and nothing is written", async () => {
    session.user = engineer;
    const tools = await registerAccount(freshAccountId(8), "tools");
    const pipelineName = `notify-evil-${tools.accountId}`;
    const fields = {
      toolsAccountId: tools.id,
      repoAccountId: repoDbId,
      region: "us-east-1",
      repositoryName: "demo-service",
      branchName: "main",
      pipelineName,
      pipelineType: "V1",
      buildMode: "create",
      buildProject: `${pipelineName}-build`,
      notifications: "on",
      notificationEmails: "oncall@example.com, attacker@evil.test",
    };
    const before = await db.auditEvent.count({ where: { action: "onboardings.create" } });
    const r = await createOnboardingAction(undefined, formOf(fields));
    expect(r).toMatchObject({
      ok: false,
      fieldErrors: {
        notificationEmails: [expect.stringContaining("“attacker@evil.test” is outside the email domains notifications may go to.")],
      },
    });
    expect((r as { fieldErrors: Record<string, string[]> }).fieldErrors.notificationEmails[0]).toContain("example.com");
    expect(await db.onboarding.count({ where: { pipelineName } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "onboardings.create" } })).toBe(before);

    // The same form with colleagues only goes through (the action redirects to the plan).
    const ok = await createOnboardingAction(undefined, formOf({ ...fields, notificationEmails: "oncall@example.com" })).then(
      () => "returned",
      (e) => (isRedirect(e) ? "redirected" : Promise.reject(e)),
    );
    expect(ok).toBe("redirected");
    expect(JSON.parse((await db.onboarding.findFirstOrThrow({ where: { pipelineName } })).notificationEmails)).toEqual([
      "oncall@example.com",
    ]);
  });

  it("editing an onboarding to add an outside address is refused, and its recipients stay as they were", async () => {
    session.user = engineer;
    const tools = await registerAccount(freshAccountId(8), "tools");
    const o = await onboard(engineer, {
      toolsDbId: tools.id,
      repoDbId,
      repositoryName: "demo-service",
      pipelineName: `notify-edit-${tools.accountId}`,
    });
    const r = await updateOnboardingAction(
      undefined,
      formOf({
        id: o.id,
        branchName: "main",
        pipelineType: "V1",
        buildMode: "create",
        buildProject: o.buildProject,
        notifications: "on",
        notificationEmails: "attacker@evil.test",
      }),
    );
    expect(r).toMatchObject({ ok: false, fieldErrors: { notificationEmails: [expect.stringContaining("“attacker@evil.test”")] } });
    const after = await db.onboarding.findUniqueOrThrow({ where: { id: o.id } });
    expect({ notifications: after.notifications, emails: after.notificationEmails, status: after.status }).toEqual({
      notifications: false,
      emails: "[]",
      status: o.status,
    });
  });

  it("an outside address saved before the limit is not subscribed: the apply is refused and no run is queued", async () => {
    session.user = engineer;
    const tools = await registerAccount(freshAccountId(8), "tools");
    const o = await onboard(engineer, {
      toolsDbId: tools.id,
      repoDbId,
      repositoryName: "demo-service",
      pipelineName: `notify-old-${tools.accountId}`,
    });
    await db.onboarding.update({
      where: { id: o.id },
      data: { notifications: true, notificationEmails: JSON.stringify(["attacker@evil.test"]) },
    });
    const r = await applyOnboardingAction(undefined, formOf({ id: o.id }));
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining("“attacker@evil.test” is outside the email domains") });
    expect(await db.run.count({ where: { onboardingId: o.id } })).toBe(0);
  });
});
