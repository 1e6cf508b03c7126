import { describe, expect, it } from "vitest";
import { currentState } from "./nav";

describe("currentState", () => {
  const pipelines = { href: "/", label: "Pipelines", section: "/pipelines" };
  const accounts = { href: "/accounts", label: "AWS accounts" };

  it("marks the item's own page, and its section below it", () => {
    expect(currentState(accounts, "/accounts")).toBe("page");
    expect(currentState(accounts, "/accounts/abc/edit")).toBe("true");
    expect(currentState(pipelines, "/")).toBe("page");
    expect(currentState(pipelines, "/pipelines/abc/executions/x")).toBe("true");
  });

  it("does not mark look-alike paths or the home item everywhere", () => {
    expect(currentState(accounts, "/accountsx")).toBeUndefined();
    expect(currentState(pipelines, "/accounts")).toBeUndefined();
    expect(currentState(pipelines, "/pipelinesx")).toBeUndefined();
  });
});
