import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { CreateUserForm } from "@/components/admin/create-user-form";
import { createUserAction } from "../actions";

export const metadata = { title: "Create user" };

export default async function NewUserPage() {
  await requirePage("/admin/users/new");
  return (
    <div className="max-w-2xl space-y-6">
      <div>
        <p className="text-sm text-slate-500 dark:text-slate-400">
          <Link href="/admin/users" className="underline underline-offset-2 hover:text-slate-900 dark:hover:text-white">
            Users
          </Link>{" "}
          /
        </p>
        <h1 className="text-2xl font-semibold">Create user</h1>
      </div>
      <CreateUserForm action={createUserAction} />
    </div>
  );
}
