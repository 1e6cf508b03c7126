// The caller's address for audit events and sign-in throttling. X-Forwarded-For is believed only as far as
// it was appended by proxies listed in PORTAL_TRUSTED_PROXIES (IPs or CIDRs, comma-separated); otherwise the
// socket's address is the caller. Shared by scripts/serve.mjs (which sets the result as the request's
// x-crossline-client-ip header, signed), lib/auth/client-info.ts (which believes it only with a valid
// signature) and the unit tests.
import { createHmac, timingSafeEqual } from "node:crypto";
import net from "node:net";

const HEADER = "x-crossline-client-ip";
export const CLIENT_IP_HEADER = HEADER;
/** HMAC-SHA256 of the address under PORTAL_CLIENT_IP_KEY, a random key scripts/serve.mjs makes at each start. */
export const CLIENT_IP_SIG_HEADER = "x-crossline-client-ip-sig";
export const CLIENT_IP_KEY_ENV = "PORTAL_CLIENT_IP_KEY";

export function signClientIp(ip, key) {
  return createHmac("sha256", key).update(ip).digest("base64url");
}

/**
 * The address from the two headers, or null: without a key (the portal served by plain `next start`, not
 * scripts/serve.mjs) nothing is believed, and a forged or missing signature is refused.
 */
export function verifiedClientIp(ip, sig, key) {
  if (!key || typeof ip !== "string" || typeof sig !== "string" || !ip || ip.length > 64) return null;
  const want = Buffer.from(signClientIp(ip, key));
  const got = Buffer.from(sig);
  return got.length === want.length && timingSafeEqual(got, want) ? ip : null;
}

/** "::ffff:127.0.0.1" → "127.0.0.1"; anything not an IP → null. */
export function normalizeIp(raw) {
  if (typeof raw !== "string") return null;
  let ip = raw.trim();
  if (ip.startsWith("[") && ip.includes("]")) ip = ip.slice(1, ip.indexOf("]"));
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip)) ip = ip.slice(7);
  return net.isIP(ip) ? ip : null;
}

/** Parses PORTAL_TRUSTED_PROXIES; throws naming the variable on a bad entry. */
export function parseTrustedProxies(raw) {
  const list = new net.BlockList();
  for (const part of (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [addr, bits, extra] = part.split("/");
    const ip = normalizeIp(addr);
    const family = ip && net.isIPv6(ip) ? "ipv6" : "ipv4";
    const prefix = bits === undefined ? undefined : Number(bits);
    if (!ip || extra !== undefined || (prefix !== undefined && (!/^\d{1,3}$/.test(bits) || prefix > (family === "ipv6" ? 128 : 32)))) {
      throw new Error(`Invalid portal configuration:\n  PORTAL_TRUSTED_PROXIES: "${part}" is not an IP address or CIDR range`);
    }
    if (prefix === undefined) list.addAddress(ip, family);
    else list.addSubnet(ip, prefix, family);
  }
  return list;
}

const isTrusted = (list, ip) => list.check(ip, net.isIPv6(ip) ? "ipv6" : "ipv4");

/**
 * Walks the chain right to left from the socket: each hop that is a trusted proxy vouches for the address
 * to its left. The first untrusted hop (or an unreadable entry's right neighbour) is the client.
 */
export function resolveClientIp(socketAddress, forwardedFor, trusted) {
  const socket = normalizeIp(socketAddress);
  if (!socket) return null;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  let client = socket;
  while (isTrusted(trusted, client) && hops.length) {
    const next = normalizeIp(hops.pop());
    if (!next) break;
    client = next;
  }
  return client;
}
