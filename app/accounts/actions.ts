"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { defineAction } from "@/lib/actions/define-action";
import { accountFields, accountRef, accountUpdate } from "@/lib/validation/account";
import { createAccount, deleteAccount, runConnectionTest, updateAccount } from "@/lib/accounts/service";

export const createAccountAction = defineAction("accounts.create", accountFields, async (input, ctx) => {
  const account = await createAccount(input, ctx);
  revalidatePath("/accounts");
  redirect(`/accounts/${account.id}?created=1`);
});

export const updateAccountAction = defineAction("accounts.update", accountUpdate, async ({ id, ...input }, ctx) => {
  await updateAccount(id, input, ctx);
  revalidatePath("/accounts");
  redirect(`/accounts/${id}?updated=1`);
});

export const deleteAccountAction = defineAction("accounts.delete", accountRef, async ({ id }, ctx) => {
  await deleteAccount(id, ctx);
  revalidatePath("/accounts");
  redirect("/accounts?deleted=1");
});

export const testConnectionAction = defineAction("accounts.testConnection", accountRef, async ({ id }, ctx) => {
  const diagnosis = await runConnectionTest(id, ctx);
  revalidatePath("/accounts");
  revalidatePath(`/accounts/${id}`);
  return { ok: true as const, data: diagnosis };
});
