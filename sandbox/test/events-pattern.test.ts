import { describe, expect, it } from "vitest";
import { pushEventPattern } from "@/lib/policies";
import { codecommitEvent } from "../services/events-delivery";
import { matchesPattern, parseEventPattern } from "../services/events-pattern";
import { names } from "./codepipeline-world";

const push = (over: Partial<Parameters<typeof codecommitEvent>[0]> = {}) =>
  codecommitEvent({
    account: "222222222222",
    region: "us-east-1",
    repositoryName: "demo-service",
    repositoryId: "id",
    repositoryArn: "arn:aws:codecommit:us-east-1:222222222222:demo-service",
    event: "referenceUpdated",
    referenceType: "branch",
    referenceName: "main",
    commitId: "a".repeat(40),
    oldCommitId: "b".repeat(40),
    at: 0,
    ...over,
  });
const match = (pattern: object, event: unknown) => matchesPattern(parseEventPattern(JSON.stringify(pattern)), event);
const invalid = (text: string) => {
  try {
    parseEventPattern(text);
  } catch (e) {
    return (e as Error).name;
  }
  return "valid";
};

describe("event patterns", () => {
  it("the portal's push pattern matches pushes to its branch only", () => {
    const p = parseEventPattern(pushEventPattern(names));
    expect(matchesPattern(p, push())).toBe(true);
    expect(matchesPattern(p, push({ event: "referenceCreated" }))).toBe(true);
    expect(matchesPattern(p, push({ event: "referenceDeleted" }))).toBe(false);
    expect(matchesPattern(p, push({ referenceName: "develop" }))).toBe(false);
    expect(matchesPattern(p, push({ repositoryArn: "arn:aws:codecommit:us-east-1:222222222222:other" }))).toBe(false);
    expect(matchesPattern(p, { ...push(), source: "aws.s3" })).toBe(false);
  });

  it("the CodeCommit event has AWS's envelope", () => {
    expect(push()).toMatchObject({
      version: "0",
      source: "aws.codecommit",
      "detail-type": "CodeCommit Repository State Change",
      account: "222222222222",
      region: "us-east-1",
      resources: ["arn:aws:codecommit:us-east-1:222222222222:demo-service"],
      time: "1970-01-01T00:00:00Z",
      detail: {
        event: "referenceUpdated",
        referenceType: "branch",
        referenceName: "main",
        referenceFullName: "refs/heads/main",
        repositoryName: "demo-service",
        commitId: "a".repeat(40),
      },
    });
  });

  it("operators: prefix, suffix, anything-but, exists, numeric, equals-ignore-case, wildcard, $or", () => {
    const e = { source: "my.app", detail: { n: 5, name: "Feature/X", tags: ["a", "b"] } };
    expect(match({ source: [{ prefix: "my." }] }, e)).toBe(true);
    expect(match({ source: [{ suffix: ".app" }] }, e)).toBe(true);
    expect(match({ source: [{ "anything-but": ["my.app"] }] }, e)).toBe(false);
    expect(match({ source: [{ "anything-but": { prefix: "aws." } }] }, e)).toBe(true);
    expect(match({ detail: { missing: [{ exists: false }] } }, e)).toBe(true);
    expect(match({ detail: { missing: [{ exists: true }] } }, e)).toBe(false);
    expect(match({ detail: { n: [{ numeric: [">", 1, "<=", 5] }] } }, e)).toBe(true);
    expect(match({ detail: { n: [{ numeric: [">", 5] }] } }, e)).toBe(false);
    expect(match({ detail: { name: [{ "equals-ignore-case": "feature/x" }] } }, e)).toBe(true);
    expect(match({ detail: { name: [{ wildcard: "Feature/*" }] } }, e)).toBe(true);
    expect(match({ detail: { tags: ["b"] } }, e)).toBe(true);
    expect(match({ $or: [{ source: ["x"] }, { detail: { n: [5] } }] }, e)).toBe(true);
    expect(match({ detail: { n: ["5"] } }, e)).toBe(false); // types matter
    expect(match({ detail: { name: ["Feature/X"] }, source: ["other"] }, e)).toBe(false); // fields are ANDed
  });

  it("invalid patterns are InvalidEventPatternException", () => {
    for (const t of [
      "",
      "[]",
      "not json",
      "{}",
      '{"source":"aws.codecommit"}',
      '{"source":[]}',
      '{"source":[{"bogus":1}]}',
      '{"detail":{"n":[{"numeric":[">"]}]}}',
      '{"source":[{"prefix":1}]}',
      '{"source":[{"cidr":"10.0.0.0/8"}]}',
    ]) {
      expect(invalid(t), t).toBe("InvalidEventPatternException");
    }
    expect(invalid(pushEventPattern(names))).toBe("valid");
  });
});
