import { describe, expect, it } from "vitest";
import { provisioningPermissionPolicy } from "@/lib/resources/provisioning-role";
import { referenceNames, referenceSpec } from "@/lib/policies/__fixtures__/reference";
import { ledgerEntryFor } from "@/lib/provisioning/ledger";
import { ALL_STEPS } from "@/lib/provisioning/steps";
import type { StepContext } from "@/lib/runs/types";
import { RESOURCE_KINDS, requireKind } from "./index";
import { grantsOf } from "./types";

describe("the resource registry", () => {
  it("registers each kind once", () => {
    const kinds = RESOURCE_KINDS.map((k) => k.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
  });

  describe.each(RESOURCE_KINDS.map((k) => [k.kind, k] as const))("%s", (_, k) => {
    it("has a label and an AWS service", () => {
      expect(k.label.trim()).not.toBe("");
      expect(k.label).not.toBe(k.kind);
      expect(k.service.trim()).not.toBe("");
    });

    it("links to the console, or states why it cannot", () => {
      if ("none" in k.console) expect(k.console.none.length).toBeGreaterThan(20);
      else expect(k.console.url(k.console.example)).toMatch(/^https:\/\/[a-z0-9.-]*console\.aws\.amazon\.com\//);
    });

    it("declares the provisioning role's grants it needs, or which kinds' grants cover it", () => {
      if (Array.isArray(k.grants)) {
        expect(k.grants.length).toBeGreaterThan(0);
        const deployed = provisioningPermissionPolicy({ accountId: "111111111111", purpose: "both" }).Statement;
        for (const g of k.grants) expect(deployed).toContainEqual(g.statement("111111111111", "aws"));
      } else {
        expect(k.grants.reason.length).toBeGreaterThan(20);
        expect(k.grants.coveredBy.length).toBeGreaterThan(0);
        for (const other of k.grants.coveredBy) expect(grantsOf(requireKind(other)).length).toBeGreaterThan(0);
      }
    });

    it("deletes (idempotently, by the ledger row), or states why the portal never does", () => {
      if (typeof k.delete === "function") expect(k.delete.length).toBe(2);
      else expect(k.delete.none.length).toBeGreaterThan(20);
      // What the ledger records must be deletable: teardown and retire dispatch by the row's kind.
      if (k.ledgerEntry) expect(typeof k.delete).toBe("function");
    });

    it("names only apply steps that exist", () => {
      const keys = new Set(ALL_STEPS.map((s) => s.key));
      for (const key of k.applySteps) expect(keys, key).toContain(key);
    });
  });

  it("gives every statement id one owner", () => {
    const sids = RESOURCE_KINDS.flatMap(grantsOf).map((g) => g.statement("111111111111", "aws").Sid);
    expect(new Set(sids).size).toBe(sids.length);
  });

  it("records in the ledger what each apply step creates, as the kind that deletes it", () => {
    const ctx = { names: referenceNames, spec: referenceSpec } as unknown as StepContext;
    const out = {
      keyArn: "arn:k",
      name: "n",
      arn: "arn:r",
      projectName: "p",
      projectArn: "arn:p",
      pipelineName: "pl",
      pipelineArn: "arn:pl",
      ruleName: "r",
      ruleArn: "arn:ru",
      topicName: "t",
      topicArn: "arn:t",
    };
    const tools = referenceNames.toolsAccountId;
    const repo = referenceNames.repoAccountId;
    const expected: Record<string, [string, string] | null> = {
      "tools.kms-key": ["kms-key", tools],
      "tools.bucket": ["s3-bucket", tools],
      "tools.event-bus-permission": ["event-bus-permission", tools],
      "tools.pipeline-role": ["iam-role", tools],
      "tools.codebuild-role": ["iam-role", tools],
      "tools.start-on-push-role": ["iam-role", tools],
      "repo.cross-account-role": ["iam-role", repo],
      "repo.forward-push-role": ["iam-role", repo],
      "tools.codebuild-project": ["codebuild-project", tools],
      "tools.pipeline": ["codepipeline", tools],
      "tools.start-on-push-rule": ["eventbridge-rule", tools],
      "repo.forward-push-rule": ["eventbridge-rule", repo],
      "tools.notifications-topic": ["sns-topic", tools],
      "tools.notifications-rule": ["notification-rule", tools],
      "tools.key-policy": null,
      "tools.bucket-policy": null,
      "tools.retire-unused": null,
    };
    expect(ALL_STEPS.map((s) => s.key).sort()).toEqual(Object.keys(expected).sort());
    for (const step of ALL_STEPS) {
      const entry = ledgerEntryFor(step, ctx, out);
      expect(entry && [entry.kind, entry.accountId], step.key).toEqual(expected[step.key]);
      if (entry) expect(typeof requireKind(entry.kind).delete, step.key).toBe("function");
    }
    // An existing build project is the team's: never recorded, never deleted.
    expect(
      ledgerEntryFor(
        ALL_STEPS.find((s) => s.key === "tools.codebuild-project")!,
        ctx,
        { ...out, origin: "existing" },
      ),
    ).toBeNull();
  });
});
