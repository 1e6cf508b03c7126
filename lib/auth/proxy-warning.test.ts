import { describe, expect, it } from "vitest";
// The check lives with scripts/serve.mjs, which prints it at start-up.
import { proxyWarning } from "../../scripts/proxy-warning.mjs";

describe("proxyWarning", () => {
  it("warns, naming both variables, when NEXTAUTH_URL is https and no trusted proxy is set", () => {
    for (const env of [
      { NEXTAUTH_URL: "https://portal.example.com" },
      { NEXTAUTH_URL: "HTTPS://portal.example.com/", PORTAL_TRUSTED_PROXIES: "  " },
    ]) {
      const w = proxyWarning(env);
      expect(w).toContain("NEXTAUTH_URL");
      expect(w).toContain("PORTAL_TRUSTED_PROXIES");
    }
  });

  it("is silent with a trusted proxy, over plain http, or without NEXTAUTH_URL", () => {
    expect(proxyWarning({ NEXTAUTH_URL: "https://portal.example.com", PORTAL_TRUSTED_PROXIES: "10.0.0.0/8" })).toBeNull();
    expect(proxyWarning({ NEXTAUTH_URL: "http://localhost:3000" })).toBeNull();
    expect(proxyWarning({})).toBeNull();
  });
});
