import { describe, expect, it } from "vitest";
import { FEEDBACK_LIMIT, feedbackEvent, feedbackReducer, type FeedbackEntry, type FeedbackEvent } from "./feedback";

const run = (events: (FeedbackEvent | null)[]) => events.reduce<FeedbackEntry[]>((list, e) => (e ? feedbackReducer(list, e) : list), []);
const view = (list: FeedbackEntry[]) => list.map((e) => [e.command, e.executionId ?? null, e.outcome, e.text]);

describe("command feedback", () => {
  it("a double Start shows only the second Start's own result", () => {
    const list = run([
      feedbackEvent("start", {}, { ok: true, data: { executionId: "aaaaaaaa-1" }, message: "Started execution aaaaaaaa." }),
      feedbackEvent("start", {}, { ok: false, error: "demo is busy: wait for the running execution." }),
    ]);
    expect(view(list)).toEqual([["start", null, "error", "demo is busy: wait for the running execution."]]);
  });

  it("a failed stop and abandon is shown on top of an older success of another command, which stays below", () => {
    const list = run([
      feedbackEvent(
        "push",
        {},
        { ok: true, data: { executionIds: ["bbbbbbbb-2"] }, message: "Pushed 1234567: execution bbbbbbbb started." },
      ),
      feedbackEvent(
        "stop",
        { executionId: "aaaaaaaa-1" },
        { ok: false, error: "Execution aaaaaaaa cannot be stopped: it is no longer running." },
      ),
    ]);
    expect(view(list)).toEqual([
      ["stop", "aaaaaaaa-1", "error", "Execution aaaaaaaa cannot be stopped: it is no longer running."],
      ["push", "bbbbbbbb-2", "ok", "Pushed 1234567: execution bbbbbbbb started."],
    ]);
  });

  it("one message per command and execution: a stop of another execution is its own message; a retry of the same stop replaces it", () => {
    const list = run([
      feedbackEvent("stop", { executionId: "e1" }, { ok: false, error: "throttled" }),
      feedbackEvent("stop", { executionId: "e2" }, { ok: true, message: "Execution e2 stopped." }),
      feedbackEvent("stop", { executionId: "e1" }, { ok: true, message: "Execution e1 stopped." }),
    ]);
    expect(view(list)).toEqual([
      ["stop", "e1", "ok", "Execution e1 stopped."],
      ["stop", "e2", "ok", "Execution e2 stopped."],
    ]);
    expect(list[0].seq).toBeGreaterThan(list[1].seq);
  });

  it("retries of two stages of one execution are two messages; warnings stay warnings; dismiss removes one; at most FEEDBACK_LIMIT", () => {
    let list = run([
      feedbackEvent("retry", { executionId: "e1", stageName: "Source" }, { ok: true, message: "Retrying Source." }),
      feedbackEvent("retry", { executionId: "e1", stageName: "Build" }, { ok: true, message: "Retrying Build." }),
      feedbackEvent("push", {}, { ok: true, data: { warning: true, executionIds: [] }, message: "Pushed, but nothing started." }),
    ]);
    expect(view(list).map((v) => v[2])).toEqual(["warning", "ok", "ok"]);
    list = feedbackReducer(list, { type: "dismiss", key: list[1].key });
    expect(view(list).map((v) => v[3])).toEqual(["Pushed, but nothing started.", "Retrying Source."]);
    for (let i = 0; i < 10; i++)
      list = feedbackReducer(list, feedbackEvent("stop", { executionId: `x${i}` }, { ok: true, message: `stopped x${i}` })!);
    expect(list).toHaveLength(FEEDBACK_LIMIT);
    expect(list[0].text).toBe("stopped x9");
  });

  it("a success without a message reports nothing", () => {
    expect(feedbackEvent("start", {}, { ok: true, data: undefined })).toBeNull();
  });
});
