export type NavItem = { href: string; label: string; /** Another path prefix that belongs to this item's section. */ section?: string };

/** aria-current of a navigation item: "page" on its own page, "true" anywhere inside its section. */
export function currentState(item: NavItem, pathname: string): "page" | "true" | undefined {
  if (pathname === item.href) return "page";
  const under = (p: string) => p !== "/" && pathname.startsWith(`${p}/`);
  return under(item.href) || (item.section && (pathname === item.section || under(item.section))) ? "true" : undefined;
}
