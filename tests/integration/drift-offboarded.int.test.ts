// Issue 17, item 10: an offboarded onboarding's page showed its last drift check ("In sync, all 14 resources
// match") and invited a plan review. Now: what the page reads (lib/drift/page-view.ts) carries no verdict, only when
// it was offboarded; the schedule never verifies it; "Verify now" and Repair refuse it without inviting a plan.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { UserFacingError } from "@/lib/core/errors";
import { driftSchedulerTick, startRepair, verifyNow, verifyOnboarding } from "@/lib/drift";
import { onboardingDriftView } from "@/lib/drift/page-view";
import { applyRun, onboard } from "../support/provision";
import { offboardRun } from "../support/offboard";
import { createRepository, ctxFor, freshAccountId, registerAccount, testUser } from "../support/world";

const REPO = "222222222222";
let engineer: Awaited<ReturnType<typeof testUser>>;
let repoDbId: string;

beforeAll(async () => {
  engineer = await testUser("engineer");
  repoDbId = (await registerAccount(REPO, "repo", "Demo repo")).id;
});

describe("an offboarded onboarding's drift", () => {
  it("shows no verdict but when it was offboarded; never verified again; verify and repair refuse it", async () => {
    const toolsId = freshAccountId(6);
    const tools = await registerAccount(toolsId, "tools");
    const repositoryName = `offdrift-${Date.now().toString(36)}`;
    await createRepository(REPO, repositoryName);
    const o = await onboard(engineer, {
      toolsDbId: tools.id,
      repoDbId,
      repositoryName,
      pipelineName: `${repositoryName}-main`,
      approval: false,
    });
    expect((await applyRun(engineer, o.id)).outcome).toBe("succeeded");
    const check = await verifyOnboarding(o.id, engineer.email);
    expect(check.status).toBe("in-sync");
    const live = await onboardingDriftView(await db.onboarding.findUniqueOrThrow({ where: { id: o.id } }));
    expect(live).toMatchObject({ kind: "check", provisioned: true, check: { id: check.id, status: "in-sync" } });

    const off = await offboardRun(engineer, o.id);
    expect({ outcome: off.outcome, failures: off.failures }).toEqual({ outcome: "succeeded", failures: [] });
    const row = await db.onboarding.findUniqueOrThrow({ where: { id: o.id } });
    expect(row.status).toBe("offboarded");
    const finishedAt = (await db.run.findUniqueOrThrow({ where: { id: row.offboardRunId } })).finishedAt!;

    // The page's data: no check (the "In sync" verdict is gone), only when it was offboarded.
    const view = await onboardingDriftView(row);
    expect(view).toEqual({ kind: "offboarded", offboardedAt: finishedAt.toISOString() });

    // The schedule never picks it, however long ago it was verified.
    const checksBefore = await db.driftCheck.count({ where: { onboardingId: o.id } });
    const tick = await driftSchedulerTick({
      workerId: "offboarded-test",
      onboardingIds: [o.id],
      now: new Date(Date.now() + 30 * 24 * 3_600_000),
      intervalMs: 1,
      gapMs: 0,
    });
    expect(tick.checks).toEqual([]);
    expect(await db.driftCheck.count({ where: { onboardingId: o.id } })).toBe(checksBefore);

    // A person cannot verify or repair it either, and is not sent to a plan that is no longer offered.
    for (const attempt of [() => verifyNow(o.id, ctxFor(engineer)), () => startRepair(o.id, ctxFor(engineer))]) {
      const refusal = await attempt().catch((e) => e);
      expect(refusal).toBeInstanceOf(UserFacingError);
      expect(refusal.message).toBe(`${row.pipelineName} is offboarded: drift is no longer checked.`);
    }
    expect(await db.driftCheck.count({ where: { onboardingId: o.id } })).toBe(checksBefore);
    expect(await db.run.count({ where: { onboardingId: o.id, status: { in: ["queued", "running"] } } })).toBe(0);
  });
});
