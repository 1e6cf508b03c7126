import { describe, expect, it } from "vitest";
import { deriveResourceNames } from "@/lib/names/derive";
import { referenceSpec } from "@/lib/policies/__fixtures__/reference";
import { arnMismatchReason, bucketNameReason, bucketOfArn, LEGACY_BUCKET_REASON, notOwnReason } from "./ownership";

const n = deriveResourceNames(referenceSpec).artifactStore;
const mark: [string, string] = ["portal:managed-by", "crossline-portal"];

describe("teardown ownership", () => {
  it("a resource is this onboarding's own only with its portal:onboarding tag and the portal's mark", () => {
    expect(notOwnReason([mark, ["portal:onboarding", "onb_a"]], ["onb_a"])).toBeNull();
    expect(notOwnReason([mark, ["portal:onboarding", "onb_b"]], ["onb_a", "onb_b"])).toBeNull();
    expect(notOwnReason([mark, ["portal:onboarding", "onb_x"]], ["onb_a"])).toBe(
      "not this onboarding's own: tagged for onb_x, so offboarding leaves it in place",
    );
    expect(notOwnReason([mark], ["onb_a"])).toMatch(/^not this onboarding's own: untagged/);
    expect(notOwnReason([], ["onb_a"])).toMatch(/^not this onboarding's own: untagged/);
    expect(notOwnReason([["portal:onboarding", "onb_a"]], ["onb_a"])).toMatch(
      /^not this onboarding's own: its portal:managed-by tag is missing/,
    );
    expect(
      notOwnReason(
        [
          ["portal:managed-by", "someone"],
          ["portal:onboarding", "onb_a"],
        ],
        ["onb_a"],
      ),
    ).toMatch(/tag is "someone", not crossline-portal/);
  });

  it("the resource under the recorded name must be the recorded ARN", () => {
    expect(arnMismatchReason("arn:aws:iam::1:role/portal/a", "arn:aws:iam::1:role/portal/a")).toBeNull();
    expect(arnMismatchReason("arn:aws:iam::1:role/portal/a", "arn:aws:iam::1:role/a")).toMatch(
      /^not this onboarding's own: the resource under this name is arn:aws:iam::1:role\/a/,
    );
  });

  it("only this onboarding's per-onboarding bucket may be deleted; the naming-v1 shared bucket never", () => {
    const own = { name: n.bucketName, arn: n.bucketArn };
    expect(n.bucketName).toMatch(/^codepipeline-artifacts-\d{12}-[a-z0-9-]+-[0-9a-f]{8}$/);
    expect(bucketNameReason(own, n)).toBeNull();
    expect(bucketNameReason({ name: n.legacyBucketName, arn: `arn:aws:s3:::${n.legacyBucketName}` }, n)).toBe(LEGACY_BUCKET_REASON);
    // A row whose name is this onboarding's but whose ARN names the shared bucket: still the shared bucket.
    expect(bucketNameReason({ name: n.bucketName, arn: `arn:aws:s3:::${n.legacyBucketName}` }, n)).toBe(LEGACY_BUCKET_REASON);
    expect(bucketNameReason({ name: n.bucketName, arn: "arn:aws:s3:::someone-else" }, n)).toMatch(/does not name the bucket/);
    expect(
      bucketNameReason(
        {
          name: "codepipeline-artifacts-111111111111-us-east-1-0000abcd",
          arn: "arn:aws:s3:::codepipeline-artifacts-111111111111-us-east-1-0000abcd",
        },
        n,
      ),
    ).toMatch(/is not this onboarding's bucket name/);
    expect(bucketOfArn("arn:aws-cn:s3:::my.bucket-1")).toBe("my.bucket-1");
    expect(bucketOfArn("arn:aws:s3:::b/key")).toBeNull();
  });
});
