// Drift against the sandbox: an administrator of each account changes the onboarding's resources by hand (direct
// AWS calls with the account's own credentials, tests/support/drift.ts); a verify names each resource with the right
// status and a readable change and diff; Repair (one apply run) brings every resource back, a verify then finds all
// in sync, and a push starts the pipeline again. Also: first seen kept while drifted, a repair of one drifted rule
// makes exactly one mutating call, and repair never adopts a resource replaced by hand.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateRoleCommand } from "@aws-sdk/client-iam";
import { db } from "@/lib/db";
import { UserFacingError } from "@/lib/core/errors";
import { latestDrift, startRepair, verifyNow, verifyOnboarding } from "@/lib/drift";
import { claimRun, executeRun } from "@/lib/worker-main/runner";
import { loadPipelineTarget, simulatePush } from "@/lib/pipelines/commands";
import { invalidatePipeline, pipelineSnapshot } from "@/lib/pipelines/read";
import { forwardPushRoleTrustPolicy } from "@/lib/policies/event-rules";
import {
  adminClients,
  deleteRole as deleteForwardRole,
  disableRule,
  DRIFT_INJECTORS,
  type DriftTarget,
  type InjectedDrift,
} from "../support/drift";
import { applyRun, fastRetry, namesOf, onboard } from "../support/provision";
import {
  calls,
  createRepository,
  ctxFor,
  endpoint,
  freshAccountId,
  registerAccount,
  resetCalls,
  setFaults,
  testUser,
} from "../support/world";

const REPO = "222222222222";
let engineer: Awaited<ReturnType<typeof testUser>>;
let repoDbId: string;
let seq = 0;

beforeAll(async () => {
  engineer = await testUser("engineer");
  repoDbId = (await registerAccount(REPO, "repo", "Demo repo")).id;
  await setFaults({ actionMs: 50 });
});
afterAll(async () => {
  await setFaults({});
});

const ctx = () => ctxFor(engineer);

/** A fresh tools account and repository, onboarded and applied (no approval: a push runs to the end). */
async function provisioned() {
  const toolsId = freshAccountId(6);
  const tools = await registerAccount(toolsId, "tools");
  const repositoryName = `drift-${Date.now().toString(36)}-${++seq}`;
  await createRepository(REPO, repositoryName);
  const o = await onboard(engineer, {
    toolsDbId: tools.id,
    repoDbId,
    repositoryName,
    pipelineName: `${repositoryName}-main`,
    approval: false,
  });
  const applied = await applyRun(engineer, o.id);
  expect({ outcome: applied.outcome, failures: applied.failures }).toEqual({ outcome: "succeeded", failures: [] });
  const names = await namesOf(o.id);
  const target: DriftTarget = { tools: adminClients(endpoint(), toolsId), repo: adminClients(endpoint(), REPO), names };
  return { id: o.id, toolsId, names, target };
}

/** Runs a queued run (a repair) to its end in this process. */
async function execute(runId: string) {
  expect(await claimRun(runId, "drift-test")).toBe(true);
  const outcome = await executeRun(runId, { workerId: "drift-test", retry: fastRetry, heartbeatMs: 200 });
  const failures = (await db.runStep.findMany({ where: { runId, status: "failed" } })).map((s) => `${s.stepKey}: ${s.errorMessage}`);
  return { outcome, failures };
}

async function untilSucceeded(onboardingId: string, executionId: string) {
  const t = await loadPipelineTarget(onboardingId);
  const end = Date.now() + 30_000;
  for (;;) {
    invalidatePipeline(onboardingId);
    const s = await pipelineSnapshot(t, engineer.email);
    if (s.latest?.id === executionId && (s.latest.status === "Succeeded" || s.latest.status === "Failed")) return s;
    if (Date.now() > end)
      throw new Error(
        `execution ${executionId} did not finish: ${JSON.stringify(s.stages.map((x) => [x.name, x.status, x.actions.map((a) => a.errorMessage)]))}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

const lastAudit = (action: string, targetId: string) => db.auditEvent.findFirst({ where: { action, targetId }, orderBy: { seq: "desc" } });

describe("drift: detect, repair, confirm", () => {
  it("detects every kind of drift with its resource and diff; one repair brings all back; a push starts the pipeline again", async () => {
    const x = await provisioned();
    const clean = await verifyOnboarding(x.id, engineer.email);
    expect(clean.items.filter((i) => i.status !== "in-sync").map((i) => `${i.stepKey}: ${i.reason}`)).toEqual([]);
    expect(clean.status).toBe("in-sync");

    const injected: InjectedDrift[] = [];
    for (const inject of DRIFT_INJECTORS) injected.push(await inject(x.target));
    expect(new Set(injected.map((d) => d.stepKey)).size).toBe(DRIFT_INJECTORS.length);

    // Broken chain: a push starts nothing.
    const lost = await simulatePush({ id: x.id, message: "nobody hears this" }, ctx());
    expect(lost.executionIds).toEqual([]);

    const check = await verifyNow(x.id, ctx());
    expect(check.status).toBe("drifted");
    for (const d of injected) {
      const item = check.items.find((i) => i.stepKey === d.stepKey)!;
      expect({ kind: d.kind, status: item.status }).toEqual({ kind: d.kind, status: d.status });
      expect(
        item.changes.some((c) => d.change.test(c)),
        `${d.kind}: ${JSON.stringify(item.changes)}`,
      ).toBe(true);
      expect(item.documents.length, `${d.kind} has a diff`).toBeGreaterThan(0);
      expect(item.firstSeenAt).toBe(check.checkedAt);
    }
    // Exactly the changed resources, nothing else.
    expect(
      check.items
        .filter((i) => i.status !== "in-sync")
        .map((i) => i.stepKey)
        .sort(),
    ).toEqual(injected.map((d) => d.stepKey).sort());
    // The diffs say what AWS has against what the portal wants.
    const byKey = (k: string) => check.items.find((i) => i.stepKey === k)!;
    expect(byKey("tools.key-policy").documents[0].diff).toMatch(new RegExp(`^\\+ .*"Sid": "${x.names.sids.keyRepoAccountsUse}"`, "m"));
    expect(byKey("tools.start-on-push-rule").documents[0].diff).toMatch(/^- {3}"State": "DISABLED",$/m);
    expect(byKey("tools.start-on-push-rule").documents[0].diff).toMatch(/^\+ {3}"State": "ENABLED",$/m);
    expect(byKey("tools.pipeline").documents[0].diff).toMatch(/^- .*"BranchName": "console-edit"/m);
    expect(byKey("repo.cross-account-role").documents.map((d) => d.title)).toEqual(["Trust policy"]);
    expect(await lastAudit("onboardings.verify", x.id)).toMatchObject({ outcome: "success", actorEmail: engineer.email });
    expect((await latestDrift(x.id))?.id).toBe(check.id);

    const run = await startRepair(x.id, ctx());
    expect(JSON.parse(run.plan!)).toEqual({
      confirmedAdoptions: [],
      repairOf: check.items.filter((i) => i.status !== "in-sync").map((i) => i.stepKey),
      driftCheckId: check.id,
    });
    expect(JSON.parse((await lastAudit("onboardings.repair.started", x.id))!.details)).toMatchObject({ runId: run.id, checkId: check.id });
    expect(await execute(run.id)).toEqual({ outcome: "succeeded", failures: [] });

    const after = await verifyOnboarding(x.id, engineer.email);
    expect(after.items.filter((i) => i.status !== "in-sync").map((i) => `${i.stepKey}: ${i.changes.join("; ")}`)).toEqual([]);
    expect(after.status).toBe("in-sync");
    expect(after.items.every((i) => i.firstSeenAt === undefined)).toBe(true);

    const heard = await simulatePush({ id: x.id, message: "after the repair" }, ctx());
    expect(heard.executionIds).toHaveLength(1);
    const s = await untilSucceeded(x.id, heard.executionIds[0]);
    expect(s.latest?.status).toBe("Succeeded");
  });

  it("keeps first seen while a resource stays drifted; repairing one disabled rule makes exactly one mutating call", async () => {
    const y = await provisioned();
    await disableRule(y.target);
    const t1 = new Date(Date.now() - 60_000);
    const first = await verifyOnboarding(y.id, engineer.email, { now: t1 });
    const second = await verifyOnboarding(y.id, engineer.email, { now: new Date(t1.getTime() + 30_000) });
    const rule = (c: typeof first) => c.items.find((i) => i.stepKey === "tools.start-on-push-rule")!;
    expect(rule(first)).toMatchObject({ status: "drifted", firstSeenAt: t1.toISOString() });
    expect(rule(second)).toMatchObject({ status: "drifted", firstSeenAt: t1.toISOString() });
    expect(second.checkedAt).not.toBe(t1.toISOString());

    const run = await startRepair(y.id, ctx());
    expect(JSON.parse(run.plan!).repairOf).toEqual(["tools.start-on-push-rule"]);
    await resetCalls();
    expect(await execute(run.id)).toEqual({ outcome: "succeeded", failures: [] });
    const mutating = (await calls()).filter((c) => c.mutating).map((c) => `${c.account} ${c.service}:${c.action}`);
    expect(mutating).toEqual([`${y.toolsId} events:PutRule`]);
    expect((await verifyOnboarding(y.id, engineer.email)).status).toBe("in-sync");
  });

  it("refuses to repair what is in sync, and never adopts a resource replaced by hand without the portal's tags", async () => {
    const z = await provisioned();
    // A verify only reads; what it costs each account (docs/lifecycle.md#drift: the pacing's arithmetic).
    await resetCalls();
    await verifyOnboarding(z.id, engineer.email);
    const reads = await calls();
    expect(reads.filter((c) => c.mutating).map((c) => `${c.service}:${c.action}`)).toEqual([]);
    // In the two verified accounts (AssumeRole goes to STS in the portal's own account: one per service client).
    const inAccounts = reads.filter((c) => c.account === z.toolsId || c.account === REPO);
    const perOperation = new Map<string, number>();
    for (const c of inAccounts)
      perOperation.set(`${c.account} ${c.service}:${c.action}`, (perOperation.get(`${c.account} ${c.service}:${c.action}`) ?? 0) + 1);
    expect(inAccounts.filter((c) => c.account === z.toolsId).length).toBeLessThanOrEqual(26);
    expect(inAccounts.filter((c) => c.account === REPO).length).toBeLessThanOrEqual(7);
    expect(Math.max(...perOperation.values())).toBeLessThanOrEqual(3);
    expect(
      reads
        .filter((c) => !inAccounts.includes(c))
        .map((c) => `${c.service}:${c.action}`)
        .every((x) => x === "sts:AssumeRole"),
    ).toBe(true);
    await expect(startRepair(z.id, ctx())).rejects.toThrow(/Nothing to repair/);

    // Someone deletes the push-forwarding role and creates one of their own under the same name.
    await deleteForwardRole(z.target);
    const role = z.names.roles.forwardPush;
    await z.target.repo.iam.send(
      new CreateRoleCommand({
        RoleName: role.name,
        Path: role.path,
        AssumeRolePolicyDocument: JSON.stringify(forwardPushRoleTrustPolicy(z.names)),
      }),
    );
    const check = await verifyNow(z.id, ctx());
    expect(check.items.find((i) => i.stepKey === "repo.forward-push-role")).toMatchObject({ status: "drifted", planAction: "adopt" });
    const refusal = await startRepair(z.id, ctx()).catch((e) => e);
    expect(refusal).toBeInstanceOf(UserFacingError);
    expect(refusal.message).toMatch(
      /Push forwarding role .* no longer carries this onboarding's tags .* Repair never takes over a resource the portal did not create/,
    );
    expect(await db.run.count({ where: { onboardingId: z.id, status: { in: ["queued", "running"] } } })).toBe(0);
  });
});
