import { describe, expect, it } from "vitest";
import { documentDrift } from "@/lib/drift/classify";
import { MASK, WITHHELD } from "@/lib/security/mask-secrets";
import { plainDocument } from "./plan-item";
import { maskedProject, planShowsEnvironmentValues, withholdEnvironmentValues } from "./plan-secrets";
import type { PlanItem } from "@/lib/runs/types";

const desired = {
  name: "p",
  environment: { type: "LINUX_CONTAINER", image: "aws/codebuild/standard:7.0", computeType: "BUILD_GENERAL1_SMALL" },
  serviceRole: "arn:aws:iam::111111111111:role/portal/p",
};
const current = {
  name: "p",
  environment: {
    type: "LINUX_CONTAINER",
    image: "aws/codebuild/standard:5.0",
    computeType: "BUILD_GENERAL1_SMALL",
    environmentVariables: [
      { name: "NPM_TOKEN", value: "npm_abcdef0123456789", type: "PLAINTEXT" },
      { name: "STAGE", value: "blue-canary-7", type: "PLAINTEXT" },
    ],
  },
  serviceRole: "arn:aws:iam::111111111111:role/portal/p",
};
const item = (documents: PlanItem["documents"]): PlanItem => ({
  stepKey: "tools.codebuild-project",
  title: "CodeBuild project",
  account: "tools",
  accountId: "111111111111",
  kind: "codebuild-project",
  name: "p",
  action: "update",
  reason: "settings differ",
  documents,
  cli: [],
});

describe("environment values in plan documents", () => {
  const masked = plainDocument("Project", maskedProject(current), desired, false);

  it("masked for builders: secret-named values become the mask in the document and in its diff", () => {
    expect(JSON.stringify(masked)).not.toContain("npm_abcdef0123456789");
    expect(masked.diff).toContain(`"value": "${MASK}"`);
    expect(masked.diff).toContain(`"value": "blue-canary-7"`);
  });

  it("withheld for other roles: every value gone from the document and the diff is rebuilt; other documents untouched", () => {
    const policyDoc = { title: "Trust policy", current: null, desired: { Version: "2012-10-17", Statement: [] }, diff: "" };
    const items = [item([masked, policyDoc])];
    expect(planShowsEnvironmentValues(items)).toBe(true);
    const [out] = withholdEnvironmentValues(items);
    expect(JSON.stringify(out)).not.toContain("blue-canary-7");
    expect(out.documents[0].diff).toContain(`"value": "${WITHHELD}"`);
    expect(out.documents[0].diff).toContain(`"image": "aws/codebuild/standard:7.0"`);
    expect(out.documents[1]).toBe(policyDoc);
    expect(planShowsEnvironmentValues(withholdEnvironmentValues([item([policyDoc])]))).toBe(false);
  });

  it("drift diffs never quote them: the current project is projected onto the desired one, which has no variables", () => {
    const drift = documentDrift(masked)!;
    expect(drift.document.diff).toContain("standard:5.0");
    expect(drift.document.diff).not.toContain("environmentVariables");
    expect(drift.document.diff).not.toContain("blue-canary-7");
  });
});
