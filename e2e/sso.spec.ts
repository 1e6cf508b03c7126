// Issue 21: single sign-on, in the browser, against a real OpenID Connect provider on loopback (oidc-provider 9
// on its standards-conforming defaults: the email/profile claims come from UserInfo, not the ID token;
// e2e/oidc-idp.ts) and a portal of the spec's own configured for it. Authorization-code flow with PKCE through
// the IdP's own login and consent pages; each refusal's reason on the sign-in page; sign-out of both; a role
// claim that changes between sign-ins.
import { test as base, expect, type Page } from "@playwright/test";
import { freePort, withIsolatedPortal } from "./isolated-portal";
import { startTestIdp, type TestIdp } from "./oidc-idp";
import { signIn, users } from "./support";

const IDP_NAME = "Test IdP";

const test = base.extend<object, { sso: { url: string; idp: TestIdp } }>({
  sso: [
    async ({}, use) => {
      const [port, sandboxPort] = [await freePort(), await freePort()];
      const idp = await startTestIdp({ portalUrls: [`http://localhost:${port}`] });
      try {
        await withIsolatedPortal(
          {
            name: "sso",
            port,
            sandboxPort,
            extraEnv: {
              OIDC_ISSUER: idp.issuer,
              OIDC_CLIENT_ID: idp.clientId,
              OIDC_CLIENT_SECRET: idp.clientSecret,
              OIDC_NAME: IDP_NAME,
              OIDC_SCOPES: "openid email profile portal",
            },
            unset: ["OIDC_DEFAULT_ROLE", "OIDC_ROLE_CLAIM"],
          },
          ({ url }) => use({ url, idp }),
        );
      } finally {
        await idp.stop();
      }
    },
    { scope: "worker", timeout: 180_000 },
  ],
  baseURL: async ({ sso }, use) => use(sso.url),
});

/** From the portal's sign-in page through the IdP's own login (and, the first time, consent) page, back to the portal. */
async function ssoSignIn(page: Page, portalUrl: string, login: string) {
  const portalHost = new URL(portalUrl).host;
  await page.goto("/signin");
  await page.getByRole("button", { name: `Continue with ${IDP_NAME}` }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  // The consent page comes once per grant.
  const consent = page.getByRole("button", { name: "Continue" });
  await Promise.race([consent.waitFor(), page.waitForURL((u) => u.host === portalHost)]);
  if (new URL(page.url()).host !== portalHost) {
    await consent.click();
    await page.waitForURL((u) => u.host === portalHost);
  }
}

const alert = (page: Page) => page.locator("#signin-error");

test("signs in through the code flow with PKCE, reads the claims from UserInfo, shows no Password link, and follows a role claim change", async ({
  page,
  sso,
}) => {
  sso.idp.users.set("alice", { email: "alice@sso.test", email_verified: true, name: "Alice", portal_role: "engineer" });
  // The portal's authorization request carries PKCE.
  const authRequest = page.waitForRequest((r) => r.url().startsWith(`${sso.idp.issuer}/auth?`));
  await page.goto("/signin");
  await page.getByRole("button", { name: `Continue with ${IDP_NAME}` }).click();
  const params = new URL((await authRequest).url()).searchParams;
  expect({
    response_type: params.get("response_type"),
    method: params.get("code_challenge_method"),
    hasChallenge: !!params.get("code_challenge"),
    scope: params.get("scope"),
  }).toEqual({
    response_type: "code",
    method: "S256",
    hasChallenge: true,
    scope: "openid email profile portal",
  });
  await page.locator('input[name="login"]').fill("alice");
  await page.locator('input[name="password"]').fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByTestId("current-user")).toContainText("alice@sso.test");
  await expect(page.getByTestId("current-user")).toContainText("engineer");
  await expect(page.getByRole("link", { name: "Password", exact: true })).toHaveCount(0);

  // Sign out of both: the portal sends the browser to the IdP's end_session_endpoint, which asks, then returns.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((u) => u.href.startsWith(`${sso.idp.issuer}/session/end`));
  const logout = new URL(page.url()).searchParams;
  expect({ hint: logout.get("id_token_hint")?.split(".").length, back: logout.get("post_logout_redirect_uri") }).toEqual({
    hint: 3,
    back: `${sso.url}/signin`,
  });
  await page.getByRole("button", { name: "Yes, sign me out" }).click();
  await page.waitForURL((u) => u.href.startsWith(`${sso.url}/signin`));
  await expect(page.getByRole("button", { name: `Continue with ${IDP_NAME}` })).toBeVisible();
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin/);

  // The IdP session ended too: signing in again asks for credentials. Meanwhile the IdP demoted her.
  sso.idp.users.set("alice", { ...sso.idp.users.get("alice"), portal_role: "viewer" });
  await page.goto("/signin");
  await page.getByRole("button", { name: `Continue with ${IDP_NAME}` }).click();
  await expect(page.locator('input[name="login"]')).toBeVisible();
  await page.locator('input[name="login"]').fill("alice");
  await page.locator('input[name="password"]').fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByTestId("current-user")).toContainText("alice@sso.test");
  await expect(page.getByTestId("current-user")).toContainText("viewer");
});

test("a password user still sees the Password link", async ({ page }) => {
  await signIn(page, users.viewer);
  await expect(page.getByRole("link", { name: "Password", exact: true })).toBeVisible();
});

for (const c of [
  {
    login: "unverified",
    claims: { email: "unverified@sso.test", email_verified: false, portal_role: "viewer" },
    code: "SsoEmailUnverified",
    says: "is not verified at your identity provider",
  },
  {
    login: "local-admin",
    claims: { email: users.admin, email_verified: true, portal_role: "admin" },
    code: "SsoLocalAccount",
    says: "already has a portal account that signs in with a password",
  },
  {
    login: "norole",
    claims: { email: "norole@sso.test", email_verified: true },
    code: "NoRole",
    says: "you have no role in this portal yet",
  },
]) {
  test(`refuses ${c.login} and says why (${c.code})`, async ({ page, sso }) => {
    sso.idp.users.set(c.login, c.claims);
    await ssoSignIn(page, sso.url, c.login);
    await expect(page).toHaveURL(new RegExp(`/signin\\?error=${c.code}`));
    await expect(alert(page)).toContainText(c.says);
    await expect(page.getByTestId("current-user")).toHaveCount(0);
  });
}

test("refuses a disabled SSO user and says why", async ({ page, browser, sso }) => {
  sso.idp.users.set("dora", { email: "dora@sso.test", email_verified: true, portal_role: "viewer" });
  await ssoSignIn(page, sso.url, "dora");
  await expect(page.getByTestId("current-user")).toContainText("dora@sso.test");

  const admin = await browser.newPage({ baseURL: sso.url });
  await signIn(admin, users.admin);
  await admin.goto("/admin/users");
  await admin.getByRole("link", { name: "dora@sso.test" }).click();
  admin.once("dialog", (d) => d.accept());
  await admin.getByRole("button", { name: "Disable user" }).click();
  await expect(admin.getByTestId("user-status")).toHaveText("Disabled");

  await page.context().clearCookies();
  await ssoSignIn(page, sso.url, "dora");
  await expect(page).toHaveURL(/\/signin\?error=SsoDisabled/);
  await expect(alert(page)).toContainText("Your portal account is disabled");

  // Both SSO sign-ins (the success and the refusal) are audited with the client's address and user agent, like password sign-ins.
  const userAgent = await page.evaluate(() => navigator.userAgent);
  await admin.goto(`/admin/audit?actor=${encodeURIComponent("dora@sso.test")}`);
  const rows = admin.locator('[data-testid^="audit-row-"]').filter({ hasText: "auth.signin" });
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) {
    const client = row.locator("td").last();
    await expect(client.locator("span").first()).toHaveText(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    await expect(client.locator("span").nth(1)).toHaveAttribute("title", userAgent);
  }
  await expect(rows.filter({ hasText: "failure" })).toHaveCount(1);
  await admin.close();
});
