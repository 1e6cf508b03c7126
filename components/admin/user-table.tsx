import Link from "next/link";
import { formatDistanceToNowStrict } from "date-fns";
import { auditHistoryHref } from "@/lib/audit/links";
import { TableScroll } from "@/components/ui/table-scroll";

export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  role: string;
  authProvider: string;
  disabled: boolean;
  lastSignInAt: Date | null;
}

export function UserTable({ users, currentUserId }: { users: UserRow[]; currentUserId: string }) {
  return (
    <TableScroll label="Users">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-slate-600 dark:bg-slate-800 dark:text-slate-300">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">
              Email
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Name
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Role
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Sign-in
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Last sign-in
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              <span className="sr-only">History</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className="border-t border-slate-100 dark:border-slate-800" data-testid={`user-row-${u.email}`}>
              <td className="px-4 py-2">
                <Link href={`/admin/users/${u.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                  {u.email}
                </Link>
                {u.id === currentUserId && <span className="ml-2 text-xs text-slate-500 dark:text-slate-400">(you)</span>}
              </td>
              <td className="px-4 py-2">{u.name}</td>
              <td className="px-4 py-2">{u.role}</td>
              <td className="px-4 py-2">{u.authProvider === "oidc" ? "Single sign-on (OIDC)" : "Password"}</td>
              <td className="px-4 py-2">
                {u.disabled ? (
                  <span className="text-red-700 dark:text-red-300">Disabled</span>
                ) : (
                  <span className="text-emerald-700 dark:text-emerald-300">Active</span>
                )}
              </td>
              <td className="px-4 py-2 text-slate-600 dark:text-slate-300">
                {u.lastSignInAt ? formatDistanceToNowStrict(u.lastSignInAt, { addSuffix: true }) : "Never"}
              </td>
              <td className="px-4 py-2">
                <Link
                  href={auditHistoryHref({ targetType: "user", targetId: u.id })}
                  className="text-indigo-700 hover:underline dark:text-indigo-300"
                >
                  History
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
