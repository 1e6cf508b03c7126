import { describe, expect, it } from "vitest";
import { deleteUnlessGone } from "./aws-errors";

const awsError = (name: string) => Object.assign(new Error(name), { name });

describe("deleteUnlessGone", () => {
  it("is true when the call deleted the resource", async () => {
    expect(await deleteUnlessGone(async () => ({}), "NoSuchEntity")).toBe(true);
  });

  it("is false when AWS answers that it is gone already", async () => {
    expect(await deleteUnlessGone(async () => Promise.reject(awsError("NoSuchEntity")), "NoSuchEntity", "NotFound")).toBe(false);
  });

  it("rethrows any other error", async () => {
    await expect(deleteUnlessGone(async () => Promise.reject(awsError("AccessDenied")), "NoSuchEntity")).rejects.toThrow("AccessDenied");
  });
});
