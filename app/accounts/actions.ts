"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { defineAction } from "@/lib/actions/define-action";
import { accountFields, accountRef, accountUpdate } from "@/lib/validation/account";
import { createAccount, deleteAccount, runConnectionTest, updateAccount } from "@/lib/accounts/service";

const createAction = defineAction("accounts.create", accountFields, async (input, ctx) => {
  const account = await createAccount(input, ctx);
  revalidatePath("/accounts");
  redirect(`/accounts/${account.id}?created=1`);
});

const updateAction = defineAction("accounts.update", accountUpdate, async ({ id, ...input }, ctx) => {
  await updateAccount(id, input, ctx);
  revalidatePath("/accounts");
  redirect(`/accounts/${id}?updated=1`);
});

const deleteAction = defineAction("accounts.delete", accountRef, async ({ id }, ctx) => {
  await deleteAccount(id, ctx);
  revalidatePath("/accounts");
  redirect("/accounts?deleted=1");
});

const testAction = defineAction("accounts.testConnection", accountRef, async ({ id }, ctx) => {
  const diagnosis = await runConnectionTest(id, ctx);
  revalidatePath("/accounts");
  revalidatePath(`/accounts/${id}`);
  return { ok: true as const, data: diagnosis };
});

// "use server" files may export only async functions.
export async function createAccountAction(prev: unknown, form: FormData) {
  return createAction(prev, form);
}
export async function updateAccountAction(prev: unknown, form: FormData) {
  return updateAction(prev, form);
}
export async function deleteAccountAction(prev: unknown, form: FormData) {
  return deleteAction(prev, form);
}
export async function testConnectionAction(prev: unknown, form: FormData) {
  return testAction(prev, form);
}
