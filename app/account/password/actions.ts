"use server";

import { defineAction } from "@/lib/actions/define-action";
import { reissueSession } from "@/lib/auth/reissue";
import { changeOwnPasswordSchema } from "@/lib/users/schemas";
import { changeOwnPassword } from "@/lib/users/password-change";

export const changeOwnPasswordAction = defineAction("account.changePassword", changeOwnPasswordSchema, async (input, ctx) => {
  const { sessionVersion } = await changeOwnPassword(input, ctx);
  await reissueSession(sessionVersion);
  return { ok: true as const, data: undefined, message: "Password changed. Your other sessions have been signed out." };
});
