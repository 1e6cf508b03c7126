// The drift schedule against the database and the sandbox: a tick verifies due onboardings, never two touching one
// AWS account at once, waits the gap before the next verify of that account, skips what is not due or has a run in
// flight, re-verifies after an apply, and honours another instance's live lease (the database claim) until it
// expires. Time is passed in (`now`), so nothing here depends on wall-clock speed.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { driftSchedulerTick } from "@/lib/drift/scheduler";
import { ACCOUNT_GAP_MS, LEASE_MS } from "@/lib/drift/scheduler";
import { claimAccounts } from "@/lib/drift/lease";
import { applyRun, onboard } from "../support/provision";
import { createRepository, freshAccountId, registerAccount, testUser } from "../support/world";

const REPO = "222222222222";
const H = 3_600_000;
let a: string;
let b: string;
let c: string;

beforeAll(async () => {
  const engineer = await testUser("engineer");
  const repoDbId = (await registerAccount(REPO, "repo", "Demo repo")).id;
  const make = async (toolsId: string) => {
    const tools = await registerAccount(toolsId, "tools");
    const repositoryName = `sched-${Date.now().toString(36)}-${toolsId.slice(-4)}`;
    await createRepository(REPO, repositoryName);
    const o = await onboard(engineer, {
      toolsDbId: tools.id,
      repoDbId,
      repositoryName,
      pipelineName: `${repositoryName}-main`,
      approval: false,
    });
    expect((await applyRun(engineer, o.id)).outcome).toBe("succeeded");
    return o.id;
  };
  // All three share the demo repo account (each has a tools account of its own).
  a = await make(freshAccountId(7));
  b = await make(freshAccountId(7));
  c = await make(freshAccountId(7));
});

describe("drift scheduler", () => {
  it("paces per account, verifies what is due, skips what is not, and re-verifies after an apply", async () => {
    // In the future of every other test's verify of the shared repo account (their gap has long passed then).
    const t0 = Date.now() + 10 * 60_000;
    const at = (ms: number) => new Date(t0 + ms);
    const tick = (ms: number, ids = [a, b]) => driftSchedulerTick({ workerId: "sched-test", now: at(ms), onboardingIds: ids });

    const r1 = await tick(0);
    expect(r1.start).toHaveLength(1);
    expect(r1.checks.map((k) => [k.onboardingId, k.status, k.trigger])).toEqual([[r1.start[0], "in-sync", "schedule"]]);
    const [first, second] = r1.start[0] === a ? [a, b] : [b, a];
    expect(r1.waiting).toEqual([{ onboardingId: second, reason: "account-busy", account: REPO }]);

    // One second later: the first is not due, the second waits for the repo account's gap.
    const r2 = await tick(1_000);
    expect(r2.start).toEqual([]);
    expect(r2.waiting).toEqual(
      expect.arrayContaining([
        { onboardingId: first, reason: "not-due" },
        { onboardingId: second, reason: "account-gap", account: REPO },
      ]),
    );

    const r3 = await tick(ACCOUNT_GAP_MS);
    expect(r3.start).toEqual([second]);
    expect(r3.checks).toHaveLength(1);

    const r4 = await tick(ACCOUNT_GAP_MS + 60_000);
    expect(r4.start).toEqual([]);
    expect(r4.waiting.map((w) => w.reason)).toEqual(["not-due", "not-due"]);

    // An apply that finished after the latest check makes it due again (a repair is confirmed at once).
    await db.run.updateMany({ where: { onboardingId: first, kind: "apply" }, data: { finishedAt: at(2 * ACCOUNT_GAP_MS + 60_000) } });
    const r5 = await tick(3 * ACCOUNT_GAP_MS + 60_000);
    expect(r5.start).toEqual([first]);

    // Six hours on, both are due again; still one at a time on the shared account.
    const r6 = await tick(7 * H);
    expect(r6.start).toHaveLength(1);
    expect(await db.driftCheck.count({ where: { onboardingId: { in: [a, b] }, trigger: "schedule" } })).toBe(4);
  });

  it("waits for another instance's live lease on an account, and takes over once it expired", async () => {
    const t0 = Date.now() + 24 * H;
    const at = (ms: number) => new Date(t0 + ms);
    // Another instance claimed the repo account and died holding it.
    expect(await claimAccounts([REPO], "other-instance:dead", { now: at(0), leaseMs: LEASE_MS, gapMs: 0 })).toBe(true);
    const blocked = await driftSchedulerTick({ workerId: "sched-test", now: at(1_000), onboardingIds: [c] });
    expect(blocked.start).toEqual([]);
    expect(blocked.waiting).toEqual([{ onboardingId: c, reason: "account-busy", account: REPO }]);
    expect(await db.driftCheck.count({ where: { onboardingId: c } })).toBe(0);

    const later = await driftSchedulerTick({ workerId: "sched-test", now: at(LEASE_MS + 1_000), onboardingIds: [c] });
    expect(later.start).toEqual([c]);
    expect(later.checks.map((k) => k.status)).toEqual(["in-sync"]);
  });

  it("skips an onboarding with a run in flight or with edits not applied", async () => {
    const t0 = Date.now() + 48 * H;
    await db.onboarding.update({ where: { id: a }, data: { status: "changed" } });
    const run = await db.run.create({ data: { onboardingId: b, kind: "apply", status: "queued" } });
    try {
      const r = await driftSchedulerTick({ workerId: "sched-test", now: new Date(t0), onboardingIds: [a, b] });
      expect(r.start).toEqual([]);
      expect(r.waiting).toEqual([]);
    } finally {
      await db.run.update({ where: { id: run.id }, data: { status: "cancelled" } });
      await db.onboarding.update({ where: { id: a }, data: { status: "active" } });
    }
  });
});
