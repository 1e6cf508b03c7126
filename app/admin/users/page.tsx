import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { listUsers } from "@/lib/users/service";
import { UserTable } from "@/components/admin/user-table";

export const metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requirePage("/admin/users");
  const users = await listUsers();
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <div>
          <p className="text-sm text-slate-500 dark:text-slate-400">
            <Link href="/admin" className="underline underline-offset-2 hover:text-slate-900 dark:hover:text-white">
              Admin
            </Link>{" "}
            /
          </p>
          <h1 className="text-2xl font-semibold">Users</h1>
        </div>
        <Link href="/admin/users/new" className="rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700">
          Create user
        </Link>
      </div>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        People who sign in through single sign-on appear here on their first sign-in, with the role their identity provider names, else the
        default role (none unless OIDC_DEFAULT_ROLE sets one): someone with no role cannot sign in until you assign one. When the identity
        provider names a role, it sets the role again at every sign-in (a role you change here lasts until then); when it names none, the
        role you assign here stays.
      </p>
      <UserTable users={users} currentUserId={me.id} />
    </div>
  );
}
