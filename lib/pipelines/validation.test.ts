import { describe, expect, it } from "vitest";
import { parseDashboardFilters, parseHistoryParams, startInput } from "./validation";
import { executionConsoleUrl, executionDuration, timeAgo, triggerWho } from "./format";

describe("dashboard filters", () => {
  it("keeps valid filters", () => {
    expect(parseDashboardFilters({ account: "111111111111", status: "Failed", q: " demo " })).toEqual({
      filters: { account: "111111111111", status: "Failed", q: "demo" },
      problems: [],
    });
    expect(parseDashboardFilters({ status: "none", q: "" })).toEqual({ filters: { status: "none" }, problems: [] });
  });

  it("drops nonsense with a message per field, falling back to the default for that field", () => {
    const r = parseDashboardFilters({ account: "12", status: "maybe", q: "x".repeat(101) });
    expect(r.filters).toEqual({});
    expect(r.problems).toEqual([
      "Account “12” is not valid (an AWS account id is 12 digits); showing all.",
      expect.stringMatching(/^Status “maybe” is not valid \(a status is one of InProgress, .*\); showing all\.$/),
      expect.stringMatching(/^Search “x{40}…” is not valid \(at most 100 characters\); showing all\.$/),
    ]);
    expect(parseDashboardFilters({ status: ["Failed", "Succeeded"] }).problems).toEqual(["Status was given 2 times; showing all."]);
  });
});

describe("command inputs and paging", () => {
  it("accepts an empty or hexadecimal commit id only", () => {
    expect(startInput.parse({ id: "o1", commitId: "" })).toEqual({ id: "o1", commitId: undefined });
    expect(startInput.parse({ id: "o1", commitId: "ABCDEF1" }).commitId).toBe("ABCDEF1");
    expect(startInput.safeParse({ id: "o1", commitId: "main" }).success).toBe(false);
  });

  it("reads history tokens and falls back to the first page on nonsense", () => {
    expect(parseHistoryParams({ page: "abc", back: "- xyz" })).toEqual({ page: "abc", back: ["-", "xyz"] });
    expect(parseHistoryParams({ page: "bad token" })).toEqual({
      back: [],
      problem: "That history page is not valid; showing the newest executions.",
    });
  });
});

describe("formatting", () => {
  it("links an execution to the console's timeline", () => {
    expect(executionConsoleUrl("demo-service-main", "e-1", "eu-west-1")).toBe(
      "https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/demo-service-main/executions/e-1/timeline?region=eu-west-1",
    );
  });
  it("durations count up while running, ages are relative to the render", () => {
    const now = Date.parse("2026-01-01T00:10:00Z");
    expect(
      executionDuration({ status: "InProgress", startTime: "2026-01-01T00:08:00Z", lastUpdateTime: "2026-01-01T00:09:00Z" }, now),
    ).toBe("2 min 0 s");
    expect(executionDuration({ status: "Succeeded", startTime: "2026-01-01T00:08:00Z", lastUpdateTime: "2026-01-01T00:09:00Z" }, now)).toBe(
      "1 min 0 s",
    );
    expect(timeAgo("2026-01-01T00:09:30Z", now)).toBe("30 s ago");
    expect(triggerWho("arn:aws:sts::111111111111:assumed-role/crossline-portal-provisioning/portal-dana")).toBe("portal-dana");
  });
});
