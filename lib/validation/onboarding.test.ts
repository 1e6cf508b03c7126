import { describe, expect, it } from "vitest";
import { onboardingFields } from "./onboarding";

const base = {
  toolsAccountId: "t",
  repoAccountId: "r",
  region: "us-east-1",
  repositoryName: "demo-service",
  branchName: "main",
  pipelineName: "demo-service-main",
  buildMode: "create",
  buildProject: "demo-service-main-build",
};

const errorsOf = (input: Record<string, unknown>) => {
  const r = onboardingFields.safeParse(input);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("onboarding form fields", () => {
  it("a repository and branch not submitted at all (a control that could not be filled) say what to enter", () => {
    const { repositoryName: _r, branchName: _b, ...rest } = base;
    expect(errorsOf(rest)).toEqual({ repositoryName: "Enter the repository name.", branchName: "Enter the branch name." });
  });

  it("blank typed values give the same messages, and typed values are trimmed", () => {
    expect(errorsOf({ ...base, repositoryName: "  ", branchName: "" })).toEqual({
      repositoryName: "Enter the repository name.",
      branchName: "Enter the branch name.",
    });
    const r = onboardingFields.parse({ ...base, repositoryName: " payments-api ", branchName: " develop" });
    expect([r.repositoryName, r.branchName]).toEqual(["payments-api", "develop"]);
  });

  it("never answers with zod's type error for any missing field", () => {
    const messages = Object.values(errorsOf({}));
    expect(messages.length).toBeGreaterThan(5);
    for (const m of messages) expect(m).not.toMatch(/Invalid input|expected string/);
  });

  it("defaults the pipeline type to V2 and keeps an explicit V1", () => {
    expect(onboardingFields.parse(base).pipelineType).toBe("V2");
    expect(onboardingFields.parse({ ...base, pipelineType: "V1" }).pipelineType).toBe("V1");
  });
});
