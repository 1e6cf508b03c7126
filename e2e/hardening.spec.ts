// Issue 10 through real HTTP against the built portal: redirects after sign-in, sign-in backoff, session
// revocation, security headers, the audited client address, and must-change for generated passwords.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { PASSWORD, signIn, users } from "./support";

const unique = (p: string) => `${p}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;

/** A credentials sign-in as next-auth's client sends it. */
async function postCredentials(request: APIRequestContext, email: string, password: string, headers: Record<string, string> = {}) {
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  return request.post("/api/auth/callback/credentials", {
    form: { email, password, csrfToken, callbackUrl: "/", json: "true" },
    headers: { "X-Auth-Return-Redirect": "1", ...headers },
    maxRedirects: 0,
  });
}

/** The admin creates a local user through the form; returns the generated password or the chosen one. */
async function createUser(page: Page, email: string, password?: string): Promise<string> {
  await page.goto("/admin/users/new");
  await page.getByLabel("Email").fill(email);
  if (password) {
    await page.getByLabel("Set a password").check();
    await page.getByLabel("Password", { exact: true }).fill(password);
  }
  await page.getByRole("button", { name: "Create user" }).click();
  if (password) {
    await expect(page.getByTestId("form-status")).toContainText(`User ${email} created.`);
    return password;
  }
  return (await page.getByTestId("one-time-password").textContent())!.trim();
}

test.describe("portal hardening", () => {
  test("sign-in never sends the browser to another site, however the callback URL is spelled", async ({ browser, baseURL }) => {
    // `/\evil.example` and `/<TAB>/evil.example` (%09 decodes to a tab) both passed the old prefix check.
    for (const query of ["callbackUrl=/%5Cevil.example", "callbackUrl=/%09/evil.example", "callbackUrl=https://evil.example/"]) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.goto(`/signin?${query}`);
      await page.getByLabel("Email").fill(users.viewer);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByTestId("current-user")).toContainText(users.viewer);
      expect(new URL(page.url()).origin, query).toBe(new URL(baseURL!).origin);
      await ctx.close();
    }
  });

  test("password guessing backs off: after 6 wrong passwords the right one is answered 429 with a clear message", async ({
    page,
    request,
  }) => {
    const email = unique("guess");
    const password = "the owner's real password";
    await signIn(page, users.admin);
    await createUser(page, email, password);
    for (let i = 0; i < 6; i++) {
      const res = await postCredentials(request, email, `guess number ${i}`);
      expect(res.status(), `guess ${i}`).not.toBe(429);
      expect(res.ok()).toBe(false);
    }
    const res = await postCredentials(request, email, password);
    expect(res.status()).toBe(429);
    expect(Number(res.headers()["retry-after"])).toBeGreaterThan(0);
    expect((await res.json()).message).toMatch(/Too many failed sign-ins.*Try again in \d+ s/);
    // The form says so too.
    const ctx = await page.context().browser()!.newContext();
    const p = await ctx.newPage();
    await p.goto("/signin");
    await p.getByLabel("Email").fill(email);
    await p.getByLabel("Password").fill(password);
    await p.getByRole("button", { name: "Sign in" }).click();
    await expect(p.locator("#signin-error")).toContainText("Too many failed sign-ins");
    await ctx.close();
  });

  test("signing out ends the session: a copy of the old cookie no longer works", async ({ browser }) => {
    const ctxA = await browser.newContext();
    const pageA = await ctxA.newPage();
    await signIn(pageA, users.viewer);
    const stolen = await browser.newContext();
    await stolen.addCookies(await ctxA.cookies());
    expect((await (await stolen.request.get("/api/auth/session")).json()).user?.email).toBe(users.viewer);

    await pageA.getByRole("button", { name: "Sign out" }).click();
    await expect(pageA).toHaveURL(/\/signin/);

    expect(await (await stolen.request.get("/api/auth/session")).json()).toEqual({});
    const p = await stolen.newPage();
    await p.goto("/accounts");
    await expect(p).toHaveURL(/\/signin/);
    expect((await stolen.request.get("/api/pipelines")).status()).toBe(401);
    await ctxA.close();
    await stolen.close();
  });

  test("every response carries CSP with a per-request nonce, frame-ancestors 'none' and the other security headers; pages still hydrate", async ({
    page,
    request,
  }) => {
    const nonces = new Set<string>();
    for (const path of ["/signin", "/api/health", "/api/auth/csrf", "/favicon.svg", "/no-such-page"]) {
      const h = (await request.get(path)).headers();
      const csp = h["content-security-policy"] ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
      expect(csp, path).not.toContain("unsafe-eval");
      nonces.add(/'nonce-([^']+)'/.exec(csp)?.[1] ?? "");
      expect(h["x-frame-options"], path).toBe("DENY");
      expect(h["x-content-type-options"], path).toBe("nosniff");
      expect(h["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    }
    expect(nonces.size).toBe(5);

    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) violations.push(m.text());
    });
    await signIn(page, users.engineer);
    await page.goto("/onboardings/new");
    await expect(page.getByRole("heading", { name: /Onboard/ })).toBeVisible();
    expect(violations).toEqual([]);
  });

  test("the audited address is the connection's, not whatever the client puts in X-Forwarded-For", async ({ page, request }) => {
    const email = unique("spoof");
    await postCredentials(request, email, "not a password at all", {
      "X-Forwarded-For": '=HYPERLINK("http://evil.example")',
      "X-Crossline-Client-Ip": "203.0.113.66",
    });
    await signIn(page, users.admin);
    const events = await (await page.request.get(`/api/admin/audit/export?format=json&actor=${encodeURIComponent(email)}`)).json();
    expect(events).toHaveLength(1);
    expect(events[0].ip).toMatch(/^(127\.0\.0\.1|::1)$/);
  });

  test("a generated password must be changed at the first sign-in; the change ends the user's other sessions", async ({
    page,
    browser,
  }) => {
    const email = unique("otp");
    await signIn(page, users.admin);
    const generated = await createUser(page, email);

    // A second browser signed in with the generated password before the change.
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await signIn(otherPage, email, generated);

    const ctx = await browser.newContext();
    const u = await ctx.newPage();
    await signIn(u, email, generated);
    await expect(u).toHaveURL(/\/account\/password$/);
    await expect(u.getByTestId("must-change-password")).toBeVisible();
    await u.goto("/accounts");
    await expect(u).toHaveURL(/\/account\/password$/);
    expect((await u.request.get("/api/pipelines")).status()).toBe(403);

    await u.getByLabel("Current password").fill("not the password");
    await u.getByLabel("New password", { exact: true }).fill("my own long password");
    await u.getByLabel("Repeat new password").fill("my own long password");
    await u.getByRole("button", { name: "Change password" }).click();
    await expect(u.getByText("This is not your current password.")).toBeVisible();
    await u.getByLabel("Current password").fill(generated);
    await u.getByRole("button", { name: "Change password" }).click();
    await expect(u.getByTestId("form-status")).toContainText("Password changed");

    await u.goto("/accounts");
    await expect(u).toHaveURL(/\/accounts$/);
    await expect(u.getByTestId("current-user")).toContainText(email);
    await otherPage.goto("/accounts");
    await expect(otherPage).toHaveURL(/\/signin/);
    await other.close();
    await ctx.close();
  });
});
