import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { DUMMY_HASH, hashPassword } from "./password";

describe("the dummy hash for unknown users", () => {
  it("is a real bcrypt hash of the same cost as stored passwords, so checking it takes as long", async () => {
    expect(bcrypt.getRounds(DUMMY_HASH)).toBe(bcrypt.getRounds(await hashPassword("x")));
    expect(await bcrypt.compare("anything", DUMMY_HASH)).toBe(false);
  });
});
