import { describe, expect, it } from "vitest";
import { deleteUnlessGone } from "./delete-unless-gone";

const awsError = (name: string) => Object.assign(new Error(name), { name });

describe("deleteUnlessGone", () => {
  it("answers true when the delete went through", async () => {
    expect(await deleteUnlessGone(async () => ({}), "NotFound")).toBe(true);
  });
  it("treats the named 'already gone' errors as done", async () => {
    expect(await deleteUnlessGone(() => Promise.reject(awsError("NoSuchEntityException")), "NoSuchEntityException")).toBe(false);
  });
  it("rethrows every other error", async () => {
    await expect(deleteUnlessGone(() => Promise.reject(awsError("AccessDenied")), "NotFound")).rejects.toThrow("AccessDenied");
  });
});
