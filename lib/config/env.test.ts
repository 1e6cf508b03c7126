import { afterEach, describe, expect, it, vi } from "vitest";

async function loadEnv(vars: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  const mod = await import("./env");
  return mod.env;
}

afterEach(() => vi.unstubAllEnvs());

describe("environment validation", () => {
  it("defaults to the sandbox with SSO off (and no role for new SSO users)", async () => {
    const env = await loadEnv({ PORTAL_MODE: undefined, OIDC_ISSUER: undefined, OIDC_CLIENT_ID: undefined, OIDC_CLIENT_SECRET: undefined });
    expect(env()).toMatchObject({ PORTAL_MODE: "sandbox", SESSION_MAX_AGE_HOURS: 8, OIDC_DEFAULT_ROLE: "none" });
  });

  it("names the variable and the rule it broke", async () => {
    const env = await loadEnv({ PORTAL_MODE: "prod", AWS_ENDPOINT_URL: "not a url" });
    expect(() => env()).toThrow(/PORTAL_MODE[\s\S]*AWS_ENDPOINT_URL|AWS_ENDPOINT_URL[\s\S]*PORTAL_MODE/);
  });

  it("names DATABASE_URL when it is neither SQLite nor PostgreSQL", async () => {
    const env = await loadEnv({ DATABASE_URL: "mysql://db/portal" });
    expect(() => env()).toThrow(/DATABASE_URL: must be a SQLite file: URL or a postgresql:\/\/ URL/);
    const ok = await loadEnv({ DATABASE_URL: "postgresql://portal@db:5432/portal" });
    expect(ok().DATABASE_URL).toBe("postgresql://portal@db:5432/portal");
  });

  it("requires the three OIDC settings together", async () => {
    const env = await loadEnv({ OIDC_ISSUER: "https://idp.example.com", OIDC_CLIENT_ID: "portal", OIDC_CLIENT_SECRET: undefined });
    expect(() => env()).toThrow(/must be set together/);
  });

  it("accepts a complete OIDC configuration with a role claim and default role", async () => {
    const env = await loadEnv({
      OIDC_ISSUER: "https://idp.example.com",
      OIDC_CLIENT_ID: "portal",
      OIDC_CLIENT_SECRET: "s3cret",
      OIDC_ROLE_CLAIM: "groups",
      OIDC_DEFAULT_ROLE: "engineer",
    });
    expect(env()).toMatchObject({ OIDC_ROLE_CLAIM: "groups", OIDC_DEFAULT_ROLE: "engineer" });
  });

  it("reads PORTAL_REQUIRE_AUDIT_OWNER as 0 or 1 (default 0) and names it otherwise", async () => {
    expect((await loadEnv({ PORTAL_REQUIRE_AUDIT_OWNER: undefined }))().PORTAL_REQUIRE_AUDIT_OWNER).toBe("0");
    expect((await loadEnv({ PORTAL_REQUIRE_AUDIT_OWNER: "1" }))().PORTAL_REQUIRE_AUDIT_OWNER).toBe("1");
    const bad = await loadEnv({ PORTAL_REQUIRE_AUDIT_OWNER: "yes" });
    expect(() => bad()).toThrow(/PORTAL_REQUIRE_AUDIT_OWNER: must be 0 or 1/);
  });

  it("reads PORTAL_NOTIFY_DOMAINS as a list of domains and names it when it is not one", async () => {
    const env = await loadEnv({ PORTAL_NOTIFY_DOMAINS: "example.com, OPS.example.com" });
    expect(env().PORTAL_NOTIFY_DOMAINS).toEqual(["example.com", "ops.example.com"]);
    const unset = await loadEnv({ PORTAL_NOTIFY_DOMAINS: undefined });
    expect(unset().PORTAL_NOTIFY_DOMAINS).toBeUndefined();
    const bad = await loadEnv({ PORTAL_NOTIFY_DOMAINS: "example.com;evil.test" });
    expect(() => bad()).toThrow(/PORTAL_NOTIFY_DOMAINS: must be comma-separated domains/);
  });

  it("reads the live variables at each call, with each reader's fallback", async () => {
    vi.resetModules();
    const { liveEnv } = await import("./env");
    vi.stubEnv("PORTAL_AWS_MAX_ATTEMPTS", "3");
    vi.stubEnv("AWS_ENDPOINT_URL", " http://127.0.0.1:4566 ");
    expect(liveEnv()).toMatchObject({ PORTAL_AWS_MAX_ATTEMPTS: 3, AWS_ENDPOINT_URL: "http://127.0.0.1:4566" });
    vi.stubEnv("PORTAL_AWS_MAX_ATTEMPTS", "0");
    vi.stubEnv("AWS_ENDPOINT_URL", "");
    vi.stubEnv("PORTAL_PIPELINE_READS_IN_FLIGHT", "65");
    vi.stubEnv("PORTAL_RUN_STALE_MS", "soon");
    vi.stubEnv("AWS_REGION", "");
    expect(liveEnv()).toMatchObject({
      PORTAL_AWS_MAX_ATTEMPTS: 8,
      AWS_ENDPOINT_URL: undefined,
      PORTAL_PIPELINE_READS_IN_FLIGHT: 16,
      PORTAL_RUN_STALE_MS: 30_000,
      AWS_REGION: "us-east-1",
    });
  });
});
