import Link from "next/link";
import type { CurrentUser } from "@/lib/auth/session";
import { isAllowed } from "@/lib/auth/access-table";
import { CONTAINER } from "./ui/layout";
import { SandboxBadge } from "./sandbox-badge";
import type { NavItem } from "@/lib/ui/nav";
import { SiteMenu } from "./site-menu";
import { BackgroundWorkNotice } from "./background-work-notice";
import type { BackgroundState } from "@/lib/ops/supervisor-status";

/** The main navigation a role sees (server side: the access table decides). */
export function navItems(role: CurrentUser["role"]): NavItem[] {
  return [
    { href: "/", label: "Pipelines", section: "/pipelines" },
    { href: "/accounts", label: "AWS accounts" },
    ...(isAllowed("/onboardings/new", role) ? [{ href: "/onboardings/new", label: "Onboard" }] : []),
    ...(isAllowed("/admin", role) ? [{ href: "/admin", label: "Admin" }] : []),
  ];
}

export function SiteHeader({
  user,
  sandbox,
  worker = "running",
}: {
  user: CurrentUser | null;
  sandbox: boolean;
  worker?: BackgroundState;
}) {
  return (
    <header className="relative border-b border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
      <div className={`${CONTAINER} flex items-center gap-4 py-3`}>
        <Link href="/" className="flex shrink-0 items-center gap-2 font-semibold text-slate-900 dark:text-slate-100">
          <span aria-hidden className="inline-block h-6 w-6 rounded bg-indigo-600" />
          Crossline
        </Link>
        {sandbox && <SandboxBadge />}
        <BackgroundWorkNotice worker={worker} />
        {user && <SiteMenu items={navItems(user.role)} email={user.email} role={user.role} sso={user.authProvider === "oidc"} />}
      </div>
    </header>
  );
}
