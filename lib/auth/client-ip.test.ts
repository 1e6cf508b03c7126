import { describe, expect, it } from "vitest";
// The resolver lives with scripts/serve.mjs, which sets the result as the request's x-crossline-client-ip.
import { normalizeIp, parseTrustedProxies, resolveClientIp, signClientIp, verifiedClientIp } from "../../scripts/client-ip.mjs";

describe("resolveClientIp", () => {
  it("ignores X-Forwarded-For from a client that is not a trusted proxy", () => {
    const none = parseTrustedProxies("");
    expect(resolveClientIp("203.0.113.5", '=HYPERLINK("http://evil"), 10.0.0.1', none)).toBe("203.0.113.5");
    expect(resolveClientIp("::ffff:127.0.0.1", "198.51.100.7", none)).toBe("127.0.0.1");
  });

  it("walks back through trusted proxies only", () => {
    const trusted = parseTrustedProxies("10.0.0.0/8, 192.168.1.5, ::1");
    expect(resolveClientIp("10.1.2.3", "198.51.100.7", trusted)).toBe("198.51.100.7");
    expect(resolveClientIp("10.1.2.3", "198.51.100.7, 192.168.1.5", trusted)).toBe("198.51.100.7");
    // A spoofed entry left of an untrusted hop is not believed.
    expect(resolveClientIp("10.1.2.3", "1.2.3.4, 198.51.100.7", trusted)).toBe("198.51.100.7");
    // Garbage from the client stops the walk at the proxy that passed it on.
    expect(resolveClientIp("10.1.2.3", "=cmd|'/c calc'!A1", trusted)).toBe("10.1.2.3");
    expect(resolveClientIp("::1", "2001:db8::1", trusted)).toBe("2001:db8::1");
  });

  it("rejects a bad PORTAL_TRUSTED_PROXIES entry by name", () => {
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/PORTAL_TRUSTED_PROXIES/);
    expect(() => parseTrustedProxies("proxy.internal")).toThrow(/PORTAL_TRUSTED_PROXIES/);
    expect(normalizeIp("[::1]")).toBe("::1");
  });
});

describe("verifiedClientIp (the x-crossline-client-ip header as lib/auth/client-info.ts reads it)", () => {
  const key = "k".repeat(43);

  it("believes the address scripts/serve.mjs signed with its key", () => {
    expect(verifiedClientIp("203.0.113.5", signClientIp("203.0.113.5", key), key)).toBe("203.0.113.5");
  });

  it("refuses a forged header: no signature, a signature for another address or under another key, or no key at all (plain `next start`)", () => {
    expect(verifiedClientIp("203.0.113.5", null, key)).toBeNull();
    expect(verifiedClientIp("203.0.113.5", signClientIp("198.51.100.1", key), key)).toBeNull();
    expect(verifiedClientIp("203.0.113.5", signClientIp("203.0.113.5", "x".repeat(43)), key)).toBeNull();
    expect(verifiedClientIp("203.0.113.5", "AAAA", key)).toBeNull();
    expect(verifiedClientIp("203.0.113.5", signClientIp("203.0.113.5", key), undefined)).toBeNull();
    expect(verifiedClientIp("203.0.113.5", signClientIp("203.0.113.5", ""), "")).toBeNull();
  });
});
