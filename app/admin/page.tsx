import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { adminOverview } from "@/lib/admin/queries";

export const metadata = { title: "Admin" };

export default async function AdminPage() {
  await requirePage("/admin");
  const { users, admins, auditEvents } = await adminOverview();
  const cards = [
    {
      href: "/admin/users",
      title: "Users",
      text: `${users} user${users === 1 ? "" : "s"}, ${admins} active admin${admins === 1 ? "" : "s"}. Create users, change roles, disable, reset passwords.`,
    },
    {
      href: "/admin/audit",
      title: "Audit history",
      text: `${auditEvents} events in a hash chain. Filter, export, verify that nothing was rewritten.`,
    },
  ];
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Admin</h1>
      <ul className="grid gap-4 sm:grid-cols-2">
        {cards.map((c) => (
          <li key={c.href}>
            <Link
              href={c.href}
              className="block h-full rounded-lg border border-slate-200 bg-white p-6 hover:border-indigo-400 dark:border-slate-700 dark:bg-slate-900"
            >
              <h2 className="text-lg font-semibold text-indigo-700 dark:text-indigo-300">{c.title}</h2>
              <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">{c.text}</p>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
