import { describe, expect, it } from "vitest";
import type { DriftItem } from "@/lib/drift/types";
import type { Explanation } from "./types";
import { withSince } from "./since";

const explanation = (resourceArn: string, accountId = "111111111111"): Explanation => ({
  kind: "kms-grant-missing",
  title: "t",
  what: "w",
  account: { side: "tools", accountId, name: "Tools" },
  resourceArn,
  evidence: [],
  repair: null,
});
const item = (over: Partial<DriftItem>): DriftItem => ({
  stepKey: "tools.key-policy",
  title: "Key policy",
  account: "tools",
  accountId: "111111111111",
  kind: "kms-key-policy",
  resource: "key",
  status: "drifted",
  reason: "",
  changes: [],
  documents: [],
  ...over,
});

describe("withSince", () => {
  const key = "arn:aws:kms:us-east-1:111111111111:key/k1";
  it("takes the first-seen time of the out-of-sync drift item on the same resource", () => {
    const [e] = withSince([explanation(key)], [item({ arn: key, firstSeenAt: "2026-12-01T10:00:00.000Z" })]);
    expect(e.since).toBe("2026-12-01T10:00:00.000Z");
  });
  it("leaves it out when the resource is in sync, another resource drifted, or there is no check", () => {
    expect(
      withSince([explanation(key)], [item({ arn: key, status: "in-sync", firstSeenAt: "2026-12-01T10:00:00.000Z" })])[0].since,
    ).toBeUndefined();
    expect(
      withSince(
        [explanation(key)],
        [item({ arn: "arn:aws:kms:us-east-1:111111111111:key/other", firstSeenAt: "2026-12-01T10:00:00.000Z" })],
      )[0].since,
    ).toBeUndefined();
    expect(withSince([explanation(key)], undefined)[0].since).toBeUndefined();
  });
});
