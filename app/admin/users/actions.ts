"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/define-action";
import { createUserSchema, resetPasswordSchema, setDisabledSchema, setRoleSchema } from "@/lib/users/schemas";
import { changeRole, createUser, resetPassword, setDisabled } from "@/lib/users/service";

export const createUserAction = defineAction("users.create", createUserSchema, async (input, ctx) => {
  const user = await createUser(input, ctx);
  revalidatePath("/admin/users");
  return { ok: true as const, data: user, message: `User ${user.email} created.` };
});

export const setUserRoleAction = defineAction("users.setRole", setRoleSchema, async ({ id, role }, ctx) => {
  const { changed } = await changeRole(id, role, ctx);
  revalidatePath("/admin/users");
  revalidatePath(`/admin/users/${id}`);
  return { ok: true as const, data: { changed }, message: changed ? `Role changed to ${role}.` : `The role was already ${role}.` };
});

export const setDisabledUserAction = defineAction("users.setDisabled", setDisabledSchema, async ({ id, disabled }, ctx) => {
  await setDisabled(id, disabled, ctx);
  revalidatePath("/admin/users");
  revalidatePath(`/admin/users/${id}`);
  return {
    ok: true as const,
    data: { disabled },
    message: disabled ? "User disabled: their sessions stop working at once." : "User re-enabled.",
  };
});

export const resetPasswordUserAction = defineAction("users.resetPassword", resetPasswordSchema, async (input, ctx) => {
  const result = await resetPassword(input, ctx);
  return { ok: true as const, data: result, message: "Password reset." };
});
