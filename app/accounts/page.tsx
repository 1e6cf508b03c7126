import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { isAllowed } from "@/lib/auth/access-table";
import { listAccounts } from "@/lib/accounts/queries";
import { ConnectionStatus } from "@/components/accounts/connection-status";
import { withoutExternalId } from "@/lib/accounts/external-id";
import { TableScroll } from "@/components/ui/table-scroll";

export const metadata = { title: "AWS accounts" };

export default async function AccountsPage({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  const user = await requirePage("/accounts");
  const { deleted } = await searchParams;
  const accounts = await listAccounts();
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">AWS accounts</h1>
        {isAllowed("/accounts/new", user.role) && (
          <Link href="/accounts/new" className="rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700">
            Register account
          </Link>
        )}
      </div>
      {deleted && (
        <p role="status" className="rounded bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">
          Account removed.
        </p>
      )}
      {accounts.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-300">
          No AWS accounts yet.{" "}
          {isAllowed("/accounts/new", user.role)
            ? "Register a tools account and a repo account to start onboarding."
            : "Ask an admin to register one."}
        </p>
      ) : (
        <TableScroll label="AWS accounts">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600 dark:bg-slate-800 dark:text-slate-300">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Name
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Account id
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Purpose
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Region
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Connection
                </th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr key={a.id} className="border-t border-slate-100 dark:border-slate-800" data-testid={`account-row-${a.accountId}`}>
                  <td className="px-4 py-2">
                    <Link href={`/accounts/${a.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                      {a.name}
                    </Link>
                  </td>
                  <td className="px-4 py-2 font-mono">{a.accountId}</td>
                  <td className="px-4 py-2">{a.purpose}</td>
                  <td className="px-4 py-2">{a.defaultRegion}</td>
                  <td className="px-4 py-2">
                    <ConnectionStatus ok={a.lastTestOk} at={a.lastTestAt} message={withoutExternalId(a.lastTestMessage, a.externalId)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}
