import { describe, expect, it } from "vitest";
import { matchApproval } from "./approval-match";

const read = {
  stageName: "Approval",
  stageExecutionId: "aaaaaaaa-1111",
  actionName: "Approve",
  actionStatus: "InProgress",
  actionExecutionId: "run-a",
  token: "tok-a",
};
const runsOfA = [
  { actionExecutionId: "src-a", stageName: "Source", actionName: "Source", status: "Succeeded" },
  { actionExecutionId: "run-a", stageName: "Approval", actionName: "Approve", status: "InProgress" },
];

describe("matchApproval", () => {
  it("accepts the token of the execution in the stage whose action runs include the pending request", () => {
    expect(matchApproval(read, runsOfA, { executionId: "aaaaaaaa-1111", token: "tok-a" })).toEqual({ ok: true });
  });

  it("refuses when another execution is in the stage, naming it", () => {
    const m = matchApproval(read, [], { executionId: "bbbbbbbb-2222", token: "tok-a" });
    expect(m).toMatchObject({ ok: false, reason: "other-execution", currentExecutionId: "aaaaaaaa-1111" });
    expect(!m.ok && m.message).toBe(
      "Nothing was sent: execution bbbbbbbb is not the one in Approval; execution aaaaaaaa is (it took the stage since the page was read, or the request is its). Review the approval card of aaaaaaaa.",
    );
  });

  it("refuses an answered request, a changed token, and a request that is not among the execution's runs", () => {
    expect(
      matchApproval({ ...read, actionStatus: "Succeeded", token: undefined }, runsOfA, { executionId: "aaaaaaaa-1111", token: "tok-a" }),
    ).toMatchObject({ ok: false, reason: "answered" });
    expect(matchApproval({ ...read, token: "tok-new" }, runsOfA, { executionId: "aaaaaaaa-1111", token: "tok-a" })).toMatchObject({
      ok: false,
      reason: "token-changed",
    });
    expect(matchApproval(read, runsOfA.slice(0, 1), { executionId: "aaaaaaaa-1111", token: "tok-a" })).toMatchObject({
      ok: false,
      reason: "not-in-execution",
    });
    expect(matchApproval(read, [{ ...runsOfA[1], status: "Succeeded" }], { executionId: "aaaaaaaa-1111", token: "tok-a" })).toMatchObject({
      ok: false,
      reason: "not-in-execution",
    });
  });
});
