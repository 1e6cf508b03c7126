import { expect, test } from "@playwright/test";
import { createRoleInSandbox, signIn, uniqueAccountId, users } from "./support";

test.describe("AWS account registry", () => {
  test("an anonymous visitor is sent to sign-in", async ({ page }) => {
    await page.goto("/accounts");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faccounts/);
  });

  test("a wrong password is refused with a message", async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("Email").fill(users.admin);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("#signin-error")).toContainText("incorrect");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("the admin sees the sandbox badge and the seeded demo accounts", async ({ page }) => {
    await signIn(page, users.admin);
    await expect(page.getByTestId("sandbox-badge")).toBeVisible();
    await page.goto("/accounts");
    await expect(page.getByTestId("account-row-111111111111")).toContainText("Demo tools");
    await expect(page.getByTestId("account-row-222222222222")).toContainText("Demo repo");
  });

  test("the admin registers an account, creates its role from the shown documents, and the connection test succeeds", async ({ page }) => {
    const accountId = uniqueAccountId();
    await signIn(page, users.admin);
    await page.goto("/accounts/new");
    await page.getByLabel("Display name").fill(`Team ${accountId}`);
    await page.getByLabel("AWS account id").fill(accountId);
    await page.getByLabel("Repo (hosts CodeCommit repositories)").check();
    await page.getByLabel("Default region").selectOption("eu-west-1");
    await page.getByLabel("Provisioning role ARN").fill(`arn:aws:iam::${accountId}:role/crossline-portal-provisioning`);
    await page.getByRole("button", { name: "Register account" }).click();
    await expect(page.getByRole("heading", { name: `Team ${accountId}` })).toBeVisible();
    const externalId = (await page.getByTestId("external-id").textContent())!.trim();
    expect(externalId).toMatch(/^portal-/);
    const trust = (await page.getByTestId("trust-policy").textContent())!;
    expect(trust).toContain(externalId);
    await createRoleInSandbox(accountId, "crossline-portal-provisioning", trust);

    await page.getByRole("button", { name: "Test connection" }).click();
    const result = page.getByTestId("connection-result");
    await expect(result).toContainText("Connected");
    await expect(result).toContainText(`arn:aws:sts::${accountId}:assumed-role/crossline-portal-provisioning/`);
    await page.goto("/accounts");
    await expect(page.getByTestId(`account-row-${accountId}`)).toContainText("Connected");
  });

  test("a wrong external id gets a diagnosis that points to the external id without showing it", async ({ page }) => {
    const accountId = uniqueAccountId();
    await createRoleInSandbox(
      accountId,
      "crossline-portal-provisioning",
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::000000000000:user/portal" },
            Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
            Condition: { StringEquals: { "sts:ExternalId": "the-right-one" } },
          },
        ],
      }),
    );
    await signIn(page, users.admin);
    await page.goto("/accounts/new");
    await page.getByLabel("Display name").fill(`Wrong ext ${accountId}`);
    await page.getByLabel("AWS account id").fill(accountId);
    await page.getByLabel("Provisioning role ARN").fill(`arn:aws:iam::${accountId}:role/crossline-portal-provisioning`);
    await page.getByLabel("External id").fill("not-the-right-one");
    await page.getByRole("button", { name: "Register account" }).click();
    await page.getByRole("button", { name: "Test connection" }).click();
    const result = page.getByTestId("connection-result");
    await expect(result).toContainText("AWS refused to let the portal assume the role");
    await expect(result).toContainText("ExternalId");
    // The diagnosis is stored and shown to every role: the external id stays on the admin-only field.
    await expect(result).not.toContainText("not-the-right-one");
    await expect(page.getByTestId("external-id")).toHaveText("not-the-right-one");
  });

  test("engineers and viewers see the account without its external id, trust policy or downloads", async ({ page, browser }) => {
    await signIn(page, users.admin);
    await page.goto("/accounts");
    await page.getByTestId("account-row-111111111111").getByRole("link").first().click();
    await expect(page.getByTestId("external-id")).toBeVisible();
    const accountUrl = page.url();
    const accountDbId = new URL(accountUrl).pathname.split("/").pop();
    for (const who of [users.engineer, users.viewer]) {
      const ctx = await browser.newContext();
      const other = await ctx.newPage();
      await signIn(other, who);
      await other.goto(accountUrl);
      await expect(other.getByRole("heading", { name: "Demo tools" })).toBeVisible();
      await expect(other.getByTestId("permission-policy")).toBeVisible();
      await expect(other.getByTestId("boundary-policy")).toBeVisible();
      await expect(other.getByTestId("external-id")).toHaveCount(0);
      await expect(other.getByTestId("trust-policy")).toHaveCount(0);
      await expect(other.getByRole("link", { name: "Download CloudFormation" })).toHaveCount(0);
      expect((await other.request.get(`/api/accounts/${accountDbId}/provisioning-role?format=cloudformation`)).status()).toBe(403);
      await ctx.close();
    }
  });

  test("bad input shows field errors and saves nothing", async ({ page }) => {
    await signIn(page, users.admin);
    await page.goto("/accounts/new");
    await page.getByLabel("Display name").fill("Broken");
    await page.getByLabel("AWS account id").fill("12345");
    await page.getByLabel("Provisioning role ARN").fill("arn:aws:iam::999999999999:role/x");
    await page.getByRole("button", { name: "Register account" }).click();
    await expect(page.getByText("An AWS account id is exactly 12 digits.")).toBeVisible();
    await expect(page.getByLabel("AWS account id")).toHaveAttribute("aria-invalid", "true");
    await page.getByLabel("AWS account id").fill("111111111111");
    await page.getByRole("button", { name: "Register account" }).click();
    await expect(page.getByText("The role must be in account 111111111111; this ARN is in 999999999999.")).toBeVisible();
    await page.getByLabel("Provisioning role ARN").fill("arn:aws:iam::111111111111:role/x");
    await page.getByRole("button", { name: "Register account" }).click();
    await expect(page.getByText(/Account 111111111111 is already registered/)).toBeVisible();
    await page.goto("/accounts");
    await expect(page.getByText("Broken")).toHaveCount(0);
  });

  test("a viewer sees no register form, and a direct POST of the server action is refused", async ({ page, browser }) => {
    // Capture a real "register account" server-action request as the admin…
    await signIn(page, users.admin);
    await page.goto("/accounts/new");
    const accountId = uniqueAccountId();
    await page.getByLabel("Display name").fill("Should not exist");
    await page.getByLabel("AWS account id").fill(accountId);
    await page.getByLabel("Provisioning role ARN").fill("bad"); // invalid, so the admin's own attempt saves nothing
    const requestPromise = page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
    await page.getByRole("button", { name: "Register account" }).click();
    const captured = await requestPromise;
    const actionId = captured.headers()["next-action"];
    const contentType = captured.headers()["content-type"];
    const body = captured.postDataBuffer()!.toString("utf8").replace("bad", `arn:aws:iam::${accountId}:role/crossline-portal-provisioning`);

    // …then replay it, valid this time, as a viewer.
    const viewer = await browser.newContext();
    const vpage = await viewer.newPage();
    await signIn(vpage, users.viewer);
    await vpage.goto("/accounts");
    await expect(vpage.getByRole("link", { name: "Register account" })).toHaveCount(0);
    await vpage.goto("/accounts/new");
    await expect(vpage).toHaveURL(/\/forbidden/);
    await expect(vpage.getByLabel("AWS account id")).toHaveCount(0);

    const res = await vpage.request.post("/accounts/new", {
      headers: { "next-action": actionId, "content-type": contentType, accept: "text/x-component" },
      data: body,
    });
    const text = await res.text();
    expect(text).toContain("Your role does not allow this action.");
    await page.goto("/accounts");
    await expect(page.getByTestId(`account-row-${accountId}`)).toHaveCount(0);
    await viewer.close();
  });
});
