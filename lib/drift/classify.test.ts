import { describe, expect, it } from "vitest";
import type { PlanItem } from "@/lib/runs/types";
import { compactDiff, documentDrift, driftItemFrom, leafChanges, overallStatus, policyChanges, projectOnto } from "./classify";

const policy = (...sids: string[]) => ({
  Version: "2012-10-17" as const,
  Statement: sids.map((Sid) => ({ Sid, Effect: "Allow" as const, Action: ["s3:GetObject"], Resource: `arn:aws:s3:::b/${Sid}` })),
});

const planItem = (over: Partial<PlanItem>): PlanItem => ({
  stepKey: "tools.bucket-policy",
  title: "Bucket policy",
  account: "tools",
  accountId: "111111111111",
  kind: "s3-bucket-policy",
  name: "bucket",
  action: "update",
  reason: "adds or updates",
  documents: [],
  cli: [],
  ...over,
});

describe("policy drift", () => {
  it("names each removed, changed and foreign statement", () => {
    const desired = policy("PortalA", "PortalB", "PortalC");
    const current = policy("PortalA", "PortalC", "Foreign");
    current.Statement[1].Resource = "arn:aws:s3:::b/other";
    expect(policyChanges(current, desired)).toEqual([
      "statement PortalB removed",
      "statement PortalC changed",
      "statement Foreign added (not the portal's)",
    ]);
    expect(policyChanges(null, desired)).toEqual(["the policy does not exist"]);
  });

  it("a removed statement shows as added lines in a shortened diff; equal policies are no drift", () => {
    const d = documentDrift({ title: "Bucket policy", current: policy("PortalA"), desired: policy("PortalA", "PortalB"), diff: "x" })!;
    expect(d.changes).toEqual(["Bucket policy: statement PortalB removed"]);
    expect(d.document.diff).toMatch(/^\+ .*"Sid": "PortalB"/m);
    expect(d.document.diff.split("\n").filter((l) => l.startsWith("- "))).toEqual([]);
    expect(
      documentDrift({ title: "Bucket policy", current: policy("PortalA", "PortalB"), desired: policy("PortalB", "PortalA"), diff: "" }),
    ).toBeNull();
  });
});

describe("document drift", () => {
  it("rule disabled and target removed: one line each, AWS's extra fields left out of the diff", () => {
    const desired = { EventPattern: { source: ["aws.codecommit"] }, State: "ENABLED", Targets: [{ Id: "t", Arn: "arn:bus" }] };
    const current = { EventPattern: { source: ["aws.codecommit"] }, State: "DISABLED", Targets: [], ManagedBy: "someone" };
    const d = documentDrift({ title: "Rule and target", current, desired, diff: "plan diff" })!;
    expect(d.changes).toEqual(["Rule and target: State: DISABLED (desired ENABLED)", "Rule and target: Targets: 0 entries (desired 1)"]);
    expect(d.document.diff).toContain('-   "State": "DISABLED",');
    expect(d.document.diff).toContain('+   "State": "ENABLED",');
    expect(d.document.diff).not.toContain("ManagedBy");
  });

  it("a pipeline edited in the console: the changed leaf, without the version AWS bumps", () => {
    const desired = { name: "p", version: 1, stages: [{ name: "Source", actions: [{ configuration: { BranchName: "main" } }] }] };
    const current = {
      name: "p",
      version: 4,
      stages: [{ name: "Source", actions: [{ runOrder: 1, configuration: { BranchName: "dev", PollForSourceChanges: "false" } }] }],
    };
    const d = documentDrift({ title: "Pipeline declaration", current, desired, diff: "plan diff" })!;
    expect(d.changes).toEqual(["Pipeline declaration: stages[0].actions[0].configuration.BranchName: dev (desired main)"]);
    expect(d.document.diff).not.toMatch(/version|runOrder/);
  });

  it("projectOnto keeps extra array elements whole (a stage added by hand shows)", () => {
    expect(projectOnto({ a: [{ x: 1, y: 2 }, { z: 3 }], b: 1 }, { a: [{ x: 1 }] })).toEqual({ a: [{ x: 1 }, { z: 3 }] });
    expect(leafChanges({ a: [{ x: 1 }, { z: 3 }] }, { a: [{ x: 1 }] })).toEqual(["a: 2 entries (desired 1)"]);
  });

  it("compactDiff keeps three lines of context and marks what it left out", () => {
    const lines = ["  1", "  2", "  3", "  4", "  5", "- 6", "+ 6b", "  7", "  8", "  9", "  10", "  11"];
    expect(compactDiff(lines)).toBe(["  …", "  3", "  4", "  5", "- 6", "+ 6b", "  7", "  8", "  9", "  …"].join("\n"));
  });
});

describe("drift items", () => {
  const at1 = "2026-01-01T00:00:00.000Z";
  const at2 = "2026-01-01T06:00:00.000Z";

  it("plan actions map to statuses; a missing resource says so and shows what would be created", () => {
    const missing = driftItemFrom(
      planItem({
        stepKey: "repo.forward-push-role",
        title: "Push forwarding role",
        name: "/portal/fwd",
        action: "create",
        documents: [{ title: "Trust policy", current: null, desired: policy("PortalA"), diff: "" }],
      }),
      at1,
    );
    expect(missing).toMatchObject({ status: "missing", changes: ["Push forwarding role /portal/fwd does not exist"], firstSeenAt: at1 });
    expect(missing.documents[0].diff.split("\n").every((l) => l.startsWith("+ "))).toBe(true);
    expect(driftItemFrom(planItem({ action: "no-change" }), at1)).toMatchObject({ status: "in-sync", changes: [], documents: [] });
    expect(driftItemFrom(planItem({ action: "adopt" }), at1).status).toBe("drifted");
  });

  it("first seen is carried over while the resource stays out of sync, and starts again after it was in sync", () => {
    const drifted = planItem({
      documents: [{ title: "Bucket policy", current: policy("PortalA"), desired: policy("PortalA", "PortalB"), diff: "x" }],
    });
    const first = driftItemFrom(drifted, at1);
    expect(driftItemFrom(drifted, at2, first).firstSeenAt).toBe(at1);
    const inSync = driftItemFrom(planItem({ action: "no-change" }), at2, first);
    expect(inSync.firstSeenAt).toBeUndefined();
    expect(driftItemFrom(drifted, at2, inSync).firstSeenAt).toBe(at2);
  });

  it("overall status: drifted beats an unreadable resource, which beats in sync", () => {
    expect(overallStatus([{ status: "in-sync" }, { status: "error" }, { status: "missing" }])).toBe("drifted");
    expect(overallStatus([{ status: "in-sync" }, { status: "error" }])).toBe("error");
    expect(overallStatus([{ status: "in-sync" }])).toBe("in-sync");
  });
});
