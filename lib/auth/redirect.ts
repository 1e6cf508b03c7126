/**
 * Where to send someone after sign-in: `raw` resolved the way a browser would (WHATWG URL parsing, so
 * `/\evil.example`, `/\t/evil.example` and `//evil.example` all leave the origin) and kept only when it stays on
 * `origin`; the result is a path (never `//…`), else "/".
 */
export function safeCallbackUrl(raw: string | null | undefined, origin: string): string {
  if (!raw) return "/";
  let base: URL;
  let target: URL;
  try {
    base = new URL(origin);
    target = new URL(raw, base);
  } catch {
    return "/";
  }
  if (target.origin !== base.origin || (target.protocol !== "http:" && target.protocol !== "https:")) return "/";
  return "/" + target.pathname.replace(/^\/+/, "") + target.search + target.hash;
}
