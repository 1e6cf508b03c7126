import { describe, expect, it } from "vitest";
import { AwsError } from "../errors";
import { RESOURCE_TAG_TYPES } from "../policy/request";
import { SERVICES } from "../services";
import { idPage, markerPage, offsetPage } from "../services/shared/pagination";
import { type TagRules, checkTagList, checkTagMap, constraintMessage, presentTags } from "../services/shared/validation";

const err = (code: string) => () => new AwsError(code, code, 400);
const rules: TagRules = {
  maxKeyLength: 4,
  maxValueLength: 3,
  maxTags: 2,
  tooMany: err("TooMany"),
  badKey: err("BadKey"),
  badValue: err("BadValue"),
  reservedPrefix: "aws:",
  reserved: err("Reserved"),
};
const codeOf = (f: () => unknown) => {
  try {
    f();
    return "ok";
  } catch (e) {
    return (e as AwsError).code;
  }
};

describe("shared validation", () => {
  it("words a failed constraint as AWS does, absent values as null and objects as JSON", () => {
    expect(constraintMessage("name", undefined, "Member must not be null")).toBe(
      "1 validation error detected: Value 'null' at 'name' failed to satisfy constraint: Member must not be null",
    );
    expect(constraintMessage("tags", { a: 1 }, "r")).toContain("Value '{\"a\":1}' at 'tags'");
  });

  it("checks tag lists in the service's field names with the service's errors", () => {
    expect(checkTagList(presentTags([{ k: "a", v: "1" }, undefined]), "k", "v", rules)).toEqual([{ k: "a", v: "1" }]);
    expect(presentTags({ Key: "single" })).toEqual([{ Key: "single" }]);
    expect(
      codeOf(() =>
        checkTagList(
          [
            { k: "a", v: "1" },
            { k: "b", v: "2" },
            { k: "c", v: "3" },
          ],
          "k",
          "v",
          rules,
        ),
      ),
    ).toBe("TooMany");
    expect(codeOf(() => checkTagList([{ k: "", v: "1" }], "k", "v", rules))).toBe("BadKey");
    expect(codeOf(() => checkTagList([{ k: "toolong", v: "1" }], "k", "v", rules))).toBe("BadKey");
    expect(codeOf(() => checkTagList([{ k: "a", v: "long" }], "k", "v", rules))).toBe("BadValue");
    expect(codeOf(() => checkTagList([{ k: "a" }], "k", "v", rules))).toBe("BadValue");
    expect(checkTagList([{ k: "a" }], "k", "v", { ...rules, valueOptional: true })).toEqual([{ k: "a", v: "" }]);
    expect(codeOf(() => checkTagList([{ k: "aws:", v: "1" }], "k", "v", rules))).toBe("Reserved");
    expect(checkTagMap({ a: "1" }, rules)).toEqual({ a: "1" });
    expect(codeOf(() => checkTagMap({ a: 1 }, rules))).toBe("BadValue");
  });
});

describe("shared pagination", () => {
  const pageRules = { defaultLimit: 2, maxLimit: 3, badToken: err("BadToken"), badLimit: err("BadLimit") };
  const items = ["a", "b", "c", "d", "e"];

  it("walks offset pages to the end", () => {
    const first = offsetPage(items, undefined, undefined, pageRules);
    expect(first.items).toEqual(["a", "b"]);
    const second = offsetPage(items, first.next, 3, pageRules);
    expect(second).toEqual({ items: ["c", "d", "e"], next: undefined });
    expect(codeOf(() => offsetPage(items, "not-a-number", 1, pageRules))).toBe("BadToken");
    expect(codeOf(() => offsetPage(items, undefined, 4, pageRules))).toBe("BadLimit");
    expect(markerPage(items, undefined, 4)).toMatchObject({ page: ["a", "b", "c", "d"], IsTruncated: true });
  });

  it("walks id pages and refuses a token naming no item", () => {
    const first = idPage(items, undefined, 2, (x) => x, pageRules);
    expect(first.items).toEqual(["a", "b"]);
    expect(idPage(items, first.next, 2, (x) => x, pageRules).items).toEqual(["c", "d"]);
    expect(codeOf(() => idPage(items, Buffer.from("z").toString("base64url"), 2, (x) => x, pageRules))).toBe("BadToken");
  });
});

describe("each service declares how its resources' tags are found", () => {
  const A = "111111111111";
  const R = "us-east-1";
  const sample: Record<string, string> = {
    "kms:key": `arn:aws:kms:${R}:${A}:key/k1`,
    "iam:role": `arn:aws:iam::${A}:role/portal/app`,
    "iam:policy": `arn:aws:iam::${A}:policy/p`,
    "codepipeline:pipeline": `arn:aws:codepipeline:${R}:${A}:app`,
    "codepipeline:stage": `arn:aws:codepipeline:${R}:${A}:app/Build`,
    "codepipeline:action": `arn:aws:codepipeline:${R}:${A}:app/Build/Build`,
    "codebuild:project": `arn:aws:codebuild:${R}:${A}:project/b`,
    "events:rule-on-default-event-bus": `arn:aws:events:${R}:${A}:rule/r`,
    "events:rule-on-custom-event-bus": `arn:aws:events:${R}:${A}:rule/custom/r`,
    "s3:bucket": "arn:aws:s3:::bucket",
    "sns:topic": `arn:aws:sns:${R}:${A}:t`,
    "codestar-notifications:notificationrule": `arn:aws:codestar-notifications:${R}:${A}:notificationrule/abc`,
  };

  it("covers every resource type whose aws:ResourceTag the sandbox models", () => {
    expect(Object.keys(sample).sort()).toEqual([...RESOURCE_TAG_TYPES].sort());
  });

  it.each(Object.entries(sample))("%s is found by exactly its own service", (type, arn) => {
    const owners = SERVICES.filter((s) => s.resourceTags?.some((l) => new RegExp(l.arn.source).test(arn))).map((s) => s.name);
    expect(owners).toEqual([type.slice(0, type.indexOf(":"))]);
  });
});
