import { describe, expect, it } from "vitest";
import { outputOf } from "./types";

describe("outputOf", () => {
  it("reads a step's output as its typed shape, nulls left out", () => {
    const outputs = { "tools.pipeline": { pipelineArn: "arn:aws:codepipeline:us-east-1:111111111111:p", pipelineName: "p", extra: null } };
    expect(outputOf(outputs, "tools.pipeline")).toEqual({
      pipelineArn: "arn:aws:codepipeline:us-east-1:111111111111:p",
      pipelineName: "p",
    });
  });

  it("is undefined for a step that has not succeeded", () => {
    expect(outputOf({}, "tools.kms-key")).toBeUndefined();
  });
});
