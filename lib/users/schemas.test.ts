import { describe, expect, it } from "vitest";
import { createUserSchema, resetPasswordSchema, setDisabledSchema, setRoleSchema } from "./schemas";

const base = { email: "Dana@Example.com ", name: "Dana", role: "engineer", passwordMode: "generate" };

describe("user schemas", () => {
  it("normalises the email and accepts a generated password", () => {
    expect(createUserSchema.parse(base)).toEqual({ email: "dana@example.com", name: "Dana", role: "engineer", passwordMode: "generate" });
    expect(createUserSchema.parse({ ...base, name: "" }).name).toBeNull();
  });

  it.each(["", "dana", "dana@", "@example.com", "dana example@x.io", "dana@example..com", `${"a".repeat(250)}@x.io`, "<script>@x.io"])(
    "rejects the email %j",
    (email) => {
      const r = createUserSchema.safeParse({ ...base, email });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0].path).toEqual(["email"]);
    },
  );

  it("requires 12 to 200 characters when the password is set by hand", () => {
    expect(createUserSchema.safeParse({ ...base, passwordMode: "set", password: "short" }).error?.issues[0]).toMatchObject({
      path: ["password"],
      message: expect.stringContaining("12"),
    });
    expect(createUserSchema.safeParse({ ...base, passwordMode: "set" }).success).toBe(false);
    expect(createUserSchema.safeParse({ ...base, passwordMode: "set", password: "x".repeat(201) }).success).toBe(false);
    expect(createUserSchema.safeParse({ ...base, passwordMode: "set", password: "twelve chars" }).success).toBe(true);
  });

  it("rejects unknown roles and modes", () => {
    expect(createUserSchema.safeParse({ ...base, role: "root" }).error?.issues[0].path).toEqual(["role"]);
    expect(createUserSchema.safeParse({ ...base, passwordMode: "none" }).success).toBe(false);
    expect(setRoleSchema.safeParse({ id: "u1", role: "superadmin" }).success).toBe(false);
    expect(setRoleSchema.safeParse({ id: "", role: "viewer" }).success).toBe(false);
  });

  it("reads the disabled flag from a form value", () => {
    expect(setDisabledSchema.parse({ id: "u1", disabled: "true" })).toEqual({ id: "u1", disabled: true });
    expect(setDisabledSchema.parse({ id: "u1", disabled: "false" })).toEqual({ id: "u1", disabled: false });
    expect(setDisabledSchema.safeParse({ id: "u1", disabled: "yes" }).success).toBe(false);
    expect(resetPasswordSchema.safeParse({ id: "u1", passwordMode: "set", password: "too short" }).success).toBe(false);
  });
});
