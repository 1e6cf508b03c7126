/**
 * The sandbox acts as the root of every emulated account for anyone who can reach it, so only local programs may:
 * a browser page (any Origin, or Sec-Fetch-Site: cross-site) or a request addressed to a non-loopback name (DNS
 * rebinding) is refused on the AWS and /_sandbox routes alike.
 */
import type { WireResponse } from "./protocols/types";

/**
 * Read-only pages a person opens from the portal in a new tab (a build's log deep link). A top-level navigation may be
 * cross-site (portal on localhost, sandbox on 127.0.0.1) but shows the page to the user, never to the other site.
 */
const NAVIGABLE_PAGES = [/^\/_sandbox\/codebuild\/builds\/[^/]+\/log\/?$/];

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

export function browserRefusal(
  headers: Record<string, string | string[] | undefined>,
  request: { method?: string; path?: string } = {},
): WireResponse | undefined {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const refuse = (why: string): WireResponse => ({
    status: 403,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      error: `The sandbox refuses this request: ${why}. It only answers local programs (SDK clients, curl) at a loopback address.`,
    }),
  });
  const host = one("host");
  if (!host || !LOOPBACK_HOST.test(host.trim())) return refuse(`Host ${JSON.stringify(host ?? "")} is not a loopback address`);
  const origin = one("origin");
  if (origin !== undefined) return refuse(`it comes from a browser page (Origin ${JSON.stringify(origin)})`);
  const navigation =
    request.method === "GET" && one("sec-fetch-mode") === "navigate" && NAVIGABLE_PAGES.some((re) => re.test(request.path ?? ""));
  if (one("sec-fetch-site")?.toLowerCase() === "cross-site" && !navigation)
    return refuse("it comes from another site (Sec-Fetch-Site: cross-site)");
  return undefined;
}
