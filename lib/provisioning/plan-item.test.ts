import { describe, expect, it } from "vitest";
import { alignKeys, plainDocument } from "./plan-item";

describe("plain document diffs", () => {
  it("orders AWS's keys like the desired document, extra keys last, at any depth", () => {
    const current = { version: 3, stages: [{ actions: [], name: "Source" }], artifactStore: { location: "b", type: "S3" }, name: "p" };
    const desired = { name: "p", artifactStore: { type: "S3", location: "b" }, stages: [{ name: "Source", actions: [] }] };
    expect(JSON.stringify(alignKeys(current, desired))).toBe(
      '{"name":"p","artifactStore":{"type":"S3","location":"b"},"stages":[{"name":"Source","actions":[]}],"version":3}',
    );
  });

  it("shows only the changed line when only a value differs", () => {
    const doc = plainDocument("Pipeline", { b: { branch: "main" }, a: 1 }, { a: 1, b: { branch: "release" } }, false);
    expect(doc.diff.split("\n").filter((l) => l.startsWith("+ ") || l.startsWith("- "))).toEqual([
      '-     "branch": "main"',
      '+     "branch": "release"',
    ]);
  });
});
