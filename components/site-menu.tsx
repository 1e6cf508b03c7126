"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { currentState, type NavItem } from "@/lib/ui/nav";
import { SignOutButton } from "./sign-out-button";

const link =
  "rounded px-2 py-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white aria-[current]:font-semibold aria-[current]:text-slate-900 dark:aria-[current]:text-white";

/**
 * The navigation and the signed-in user. Inline from the lg breakpoint; below it, a menu button opens them as a
 * panel over the page (absolutely positioned: opening it shifts nothing). Escape closes it and gives focus back
 * to the button; following a link closes it.
 */
export function SiteMenu({ items, email, role, sso = false }: { items: NavItem[]; email: string; role: string; sso?: boolean }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  // Following a link closes the menu: adjusted while rendering the new path, not in an effect after it.
  const [shownPath, setShownPath] = useState(pathname);
  if (shownPath !== pathname) {
    setShownPath(pathname);
    setOpen(false);
  }
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (!panel.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  return (
    <>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls="site-menu"
        onClick={() => setOpen((o) => !o)}
        className="ml-auto inline-flex items-center gap-2 rounded border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 lg:hidden dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800"
        data-testid="menu-button"
      >
        <span aria-hidden className="text-base leading-none">
          {open ? "✕" : "☰"}
        </span>
        Menu
      </button>
      <div
        ref={panel}
        id="site-menu"
        className={`${open ? "flex" : "hidden"} absolute inset-x-0 top-full z-20 flex-col gap-4 border-b border-slate-200 bg-white px-4 py-4 shadow-lg lg:static lg:z-auto lg:flex lg:flex-1 lg:flex-row lg:items-center lg:border-0 lg:p-0 lg:shadow-none dark:border-slate-700 dark:bg-slate-900`}
      >
        <nav aria-label="Main" className="text-sm">
          <ul className="flex flex-col gap-1 lg:flex-row lg:gap-2">
            {items.map((n) => (
              <li key={n.href}>
                <Link href={n.href} aria-current={currentState(n, pathname)} className={`block ${link}`}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-4 text-sm lg:ml-auto lg:border-0 lg:pt-0 dark:border-slate-700">
          <span
            className="min-w-0 max-w-full truncate text-slate-600 lg:max-w-64 dark:text-slate-300"
            data-testid="current-user"
            title={email}
          >
            {email} · <span className="font-medium">{role}</span>
          </span>
          {/* SSO users have no portal password: their IdP holds it. */}
          {!sso && (
            <Link href="/account/password" aria-current={pathname === "/account/password" ? "page" : undefined} className={link}>
              Password
            </Link>
          )}
          <SignOutButton sso={sso} />
        </div>
      </div>
    </>
  );
}
