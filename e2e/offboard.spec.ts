import { expect, test, type Page } from "@playwright/test";
import { CodeCommitClient, CreateCommitCommand, CreateRepositoryCommand } from "@aws-sdk/client-codecommit";
import { sandboxRootClient } from "../lib/aws/client-factory";
import { ensureSandboxProvisioningRole } from "../lib/demo/sandbox-world";
import { onboardAndApply } from "./flows/onboard";
import { SANDBOX_URL, signIn, uniqueAccountId, users } from "./support";

/** An account registered through the form with a given external id, and its provisioning role created in the sandbox. */
async function register(page: Page, accountId: string, purpose: "tools" | "repo") {
  await page.goto("/accounts/new");
  await page.getByLabel("Display name").fill(`Off ${purpose} ${accountId}`);
  await page.getByLabel("AWS account id").fill(accountId);
  await page.getByLabel(purpose === "tools" ? /^Tools/ : /^Repo/).check();
  await page.getByLabel("Provisioning role ARN").fill(`arn:aws:iam::${accountId}:role/crossline-portal-provisioning`);
  await page.getByLabel("External id").fill(`ext-offboard-${accountId}`);
  await page.getByRole("button", { name: "Register account" }).click();
  await expect(page.getByRole("heading", { name: `Off ${purpose} ${accountId}` })).toBeVisible();
  await ensureSandboxProvisioningRole({ endpoint: SANDBOX_URL, accountId, purpose, externalId: `ext-offboard-${accountId}` });
  return new URL(page.url()).pathname;
}

test("offboard from the UI: teardown plan, typed confirmation, progress, then the accounts are removable", async ({ page }) => {
  test.setTimeout(180_000);
  const toolsId = uniqueAccountId();
  const repoId = uniqueAccountId();
  await signIn(page, users.admin);
  const toolsPath = await register(page, toolsId, "tools");
  await register(page, repoId, "repo");
  const cc = sandboxRootClient(CodeCommitClient, repoId, { endpoint: SANDBOX_URL });
  await cc.send(new CreateRepositoryCommand({ repositoryName: "leaving-service" }));
  await cc.send(
    new CreateCommitCommand({
      repositoryName: "leaving-service",
      branchName: "main",
      authorName: "T",
      email: "t@example.com",
      commitMessage: "init",
      putFiles: [{ filePath: "buildspec.yml", fileContent: new TextEncoder().encode("version: 0.2\n") }],
    }),
  );

  await onboardAndApply(page, {
    tools: `Off tools ${toolsId} (${toolsId})`,
    repo: `Off repo ${repoId} (${repoId})`,
    repository: "leaving-service",
  });
  await expect(page.getByTestId("run-succeeded")).toBeVisible({ timeout: 90_000 });
  const onboardingPath = new URL(page.url()).pathname.replace(/\/runs\/.*$/, "");

  // While the onboarding is live, its accounts cannot be removed.
  await page.goto(toolsPath);
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Remove account" }).click();
  await expect(page.getByText(/Offboard those onboardings first/)).toBeVisible();

  await page.goto(onboardingPath);
  await page.getByRole("link", { name: "Offboard" }).click();
  await expect(page).toHaveTitle(/Offboard leaving-service-main/);
  const deleted = page.getByTestId("teardown-group-remove");
  await expect(deleted).toContainText("leaving-service-main");
  await expect(page.getByTestId("teardown-group-keep")).toContainText("retained by choice");
  await expect(page.getByTestId("teardown-group-statements")).toContainText("Key policy");
  const kept = Number(await page.getByTestId("count-keep").textContent());

  // Choosing to delete the bucket moves it from "kept" to "deleted".
  await page.getByLabel(/Delete the artifact bucket/).check();
  await page.getByRole("button", { name: "Update the plan" }).click();
  await expect(page.getByTestId("count-keep")).toHaveText(String(kept - 1));

  const offboard = page.getByRole("button", { name: "Offboard" });
  await expect(offboard).toBeDisabled();
  await page.getByLabel(/Type the pipeline name/).fill("leaving-service-main");
  await offboard.click();
  await expect(page.getByRole("heading", { name: /Offboarding leaving-service-main/ })).toBeVisible();
  await expect(page.getByTestId("run-counts")).toHaveText("11 of 11 steps succeeded", { timeout: 90_000 });

  await page.getByRole("link", { name: "All runs" }).click();
  await expect(page.getByTestId("onboarding-status")).toHaveText("Offboarded");
  await expect(page.getByTestId("offboarded-note")).toBeVisible();
  // No drift verdict for what no longer exists, and nothing invites a plan, verify or repair.
  await expect(page.getByTestId("drift-panel")).toHaveAttribute("data-status", "offboarded");
  await expect(page.getByTestId("drift-checked")).toContainText("drift is no longer checked");
  await expect(page.getByRole("link", { name: "Plan", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Verify now|Repair/ })).toHaveCount(0);

  // Nothing live uses the accounts any more: they can be removed.
  await page.goto(toolsPath);
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Remove account" }).click();
  await expect(page).toHaveURL(/\/accounts\?deleted=1$/);
  await expect(page.getByText("Account removed.")).toBeVisible();
  await expect(page.getByTestId(`account-row-${toolsId}`)).toHaveCount(0);
});
