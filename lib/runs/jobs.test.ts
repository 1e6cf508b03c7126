import { describe, expect, it, vi } from "vitest";
import { registerJob, registeredJobs, tickJobs } from "./jobs";

describe("worker jobs", () => {
  it("ticks every registered job; one that throws does not stop the others", () => {
    const seen: string[] = [];
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    registerJob({
      name: "test-broken",
      tick: () => {
        throw new Error("boom");
      },
    });
    registerJob({ name: "test-ok", tick: (workerId) => void seen.push(workerId) });
    tickJobs("w1", new AbortController().signal);
    expect(seen).toEqual(["w1"]);
    expect(error).toHaveBeenCalledWith("[worker] job test-broken failed to tick", expect.any(Error));
    error.mockRestore();
  });

  it("replaces a job registered again under the same name", () => {
    registerJob({ name: "test-again", tick: () => undefined });
    registerJob({ name: "test-again", tick: () => undefined });
    expect(registeredJobs().filter((j) => j.name === "test-again")).toHaveLength(1);
  });
});
