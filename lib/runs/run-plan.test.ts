import { describe, expect, it } from "vitest";
import { parseRunPlan, repairOf, serializeRunPlan } from "./run-plan";

describe("Run.plan", () => {
  it("reads an apply's confirmed adoptions and keeps only strings", () => {
    expect(parseRunPlan("apply", JSON.stringify({ confirmedAdoptions: ["tools.bucket", 3, null] }))).toEqual({
      kind: "apply",
      confirmedAdoptions: ["tools.bucket"],
    });
  });

  it("reads a repair's drifted step keys; an ordinary apply has none", () => {
    const repair = parseRunPlan(
      "apply",
      JSON.stringify({ confirmedAdoptions: [], repairOf: ["tools.pipeline"], driftCheckId: "c1", automatic: "permissions-boundary" }),
    );
    expect(repairOf(repair)).toEqual(["tools.pipeline"]);
    expect(repair).toMatchObject({ driftCheckId: "c1", automatic: "permissions-boundary" });
    expect(repairOf(parseRunPlan("apply", JSON.stringify({ confirmedAdoptions: [] })))).toBeNull();
    expect(repairOf(parseRunPlan("apply", JSON.stringify({ repairOf: "tools.pipeline" })))).toBeNull();
  });

  it("reads a destroy's teardown choices, with the keeping defaults for what is missing or invalid", () => {
    expect(parseRunPlan("destroy", JSON.stringify({ teardown: { deleteBucket: true } }))).toEqual({
      kind: "destroy",
      teardown: { deleteBucket: true, deleteKey: false, keyWaitingDays: 30 },
    });
    expect(parseRunPlan("destroy", JSON.stringify({ teardown: { deleteKey: true, keyWaitingDays: 3 } }))).toEqual({
      kind: "destroy",
      teardown: { deleteBucket: false, deleteKey: false, keyWaitingDays: 30 },
    });
    expect(parseRunPlan("destroy", null)).toEqual({
      kind: "destroy",
      teardown: { deleteBucket: false, deleteKey: false, keyWaitingDays: 30 },
    });
  });

  it("reads unreadable JSON as the kind's defaults", () => {
    expect(parseRunPlan("apply", "{not json")).toEqual({ kind: "apply", confirmedAdoptions: [] });
    expect(parseRunPlan("apply", "[1,2]")).toEqual({ kind: "apply", confirmedAdoptions: [] });
  });

  it("stores the plan without its kind, as runs in the database have it", () => {
    expect(JSON.parse(serializeRunPlan({ kind: "apply", confirmedAdoptions: [], repairOf: ["tools.bucket"], driftCheckId: "c1" }))).toEqual(
      { confirmedAdoptions: [], repairOf: ["tools.bucket"], driftCheckId: "c1" },
    );
    expect(
      JSON.parse(serializeRunPlan({ kind: "destroy", teardown: { deleteBucket: false, deleteKey: true, keyWaitingDays: 7 } })),
    ).toEqual({ teardown: { deleteBucket: false, deleteKey: true, keyWaitingDays: 7 } });
  });
});
