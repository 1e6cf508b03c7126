import Link from "next/link";
import { notFound } from "next/navigation";
import { formatDistanceToNowStrict } from "date-fns";
import { requirePage } from "@/lib/auth/guard";
import { isRole } from "@/lib/auth/roles";
import { auditHistoryHref } from "@/lib/audit/links";
import { getUser } from "@/lib/users/service";
import { RoleForm } from "@/components/admin/role-form";
import { DisableUserForm } from "@/components/admin/disable-user-form";
import { ResetPasswordForm } from "@/components/admin/reset-password-form";
import { UtcTime } from "@/components/admin/utc-time";
import { resetPasswordUserAction, setDisabledUserAction, setUserRoleAction } from "../actions";
import { titleFor } from "@/lib/ui/page-title";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return titleFor("/admin/users/[id]", "User", async () => {
    const u = await getUser(id);
    return u && `User ${u.email}`;
  });
}

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const me = await requirePage("/admin/users/[id]", `/admin/users/${id}`);
  const u = await getUser(id);
  if (!u) notFound();
  const self = u.id === me.id;

  return (
    <div className="max-w-3xl space-y-8">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500 dark:text-slate-400">
            <Link href="/admin/users" className="underline underline-offset-2 hover:text-slate-900 dark:hover:text-white">
              Users
            </Link>{" "}
            /
          </p>
          <h1 className="text-2xl font-semibold">{u.email}</h1>
          {u.name && <p className="text-slate-600 dark:text-slate-300">{u.name}</p>}
        </div>
        <Link
          href={auditHistoryHref({ targetType: "user", targetId: u.id })}
          className="rounded border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
        >
          Audit history
        </Link>
      </div>
      <dl className="grid grid-cols-1 gap-x-8 gap-y-3 rounded-lg border border-slate-200 bg-white p-6 text-sm sm:grid-cols-2 dark:border-slate-700 dark:bg-slate-900">
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Role</dt>
          <dd data-testid="user-role">{u.role}</dd>
        </div>
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Status</dt>
          <dd data-testid="user-status">{u.disabled ? "Disabled" : "Active"}</dd>
        </div>
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Signs in with</dt>
          <dd>{u.authProvider === "oidc" ? "Single sign-on (OIDC)" : "Password"}</dd>
        </div>
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Last sign-in</dt>
          <dd>{u.lastSignInAt ? formatDistanceToNowStrict(u.lastSignInAt, { addSuffix: true }) : "Never"}</dd>
        </div>
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Created</dt>
          <dd>
            <UtcTime value={u.createdAt} />
          </dd>
        </div>
      </dl>

      <section
        aria-labelledby="access-heading"
        className="space-y-6 rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-700 dark:bg-slate-900"
      >
        <h2 id="access-heading" className="text-lg font-semibold">
          Access
        </h2>
        <RoleForm
          userId={u.id}
          role={isRole(u.role) ? u.role : "viewer"}
          action={setUserRoleAction}
          lockedReason={self ? "You cannot change your own role; another admin must do it." : undefined}
        />
        <DisableUserForm
          userId={u.id}
          email={u.email}
          disabled={u.disabled}
          action={setDisabledUserAction}
          lockedReason={self ? "You cannot disable your own account." : undefined}
        />
      </section>

      <section
        aria-labelledby="password-heading"
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-700 dark:bg-slate-900"
      >
        <h2 id="password-heading" className="text-lg font-semibold">
          Password
        </h2>
        {u.authProvider === "local" ? (
          <ResetPasswordForm userId={u.id} email={u.email} action={resetPasswordUserAction} />
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            This user signs in through single sign-on; the portal holds no password for them.
          </p>
        )}
      </section>
    </div>
  );
}
