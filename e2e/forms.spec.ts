// The onboarding and account forms when AWS does not cooperate: lists that cannot be read (the Demo repo
// account's role loses its List permissions through an explicit Deny, as an admin might do by mistake), typed
// names judged when the onboarding is created, account ids typed as people copy them, accounts whose connection
// test failed; then the plan page's contents, collapsible items and copy buttons.
import { expect, test } from "@playwright/test";
import { DeleteRolePolicyCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { sandboxRootClient } from "../lib/aws/client-factory";
import { fillOnboardingForm, pressCreateOnboarding, submitOnboardingForm } from "./flows/onboard";
import { seedOnboarding } from "./flows/seed";
import { SANDBOX_URL, signIn, uniqueAccountId, users } from "./support";

const REPO_ACCOUNT = "222222222222";
const ROLE = "crossline-portal-provisioning";
const DENY = "e2e-forms-deny-listing";
const rootIam = (accountId: string) => sandboxRootClient(IAMClient, accountId, { endpoint: SANDBOX_URL });

const denyListing = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Deny", Action: ["codecommit:ListRepositories", "codecommit:ListBranches"], Resource: "*" }],
});

test.describe("forms when AWS lists cannot be read", () => {
  test.beforeAll(async () => {
    await rootIam(REPO_ACCOUNT).send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: DENY, PolicyDocument: denyListing }));
  });
  test.afterAll(async () => {
    await rootIam(REPO_ACCOUNT)
      .send(new DeleteRolePolicyCommand({ RoleName: ROLE, PolicyName: DENY }))
      .catch(() => undefined);
  });

  test("repository and branch are typed when listing fails; a wrong branch is refused by name, the right one plans", async ({ page }) => {
    test.setTimeout(120_000);
    const pipelineName = `forms-typed-${Date.now().toString(36)}`;
    await signIn(page, users.engineer);
    await fillOnboardingForm(page);

    const repository = page.getByLabel("Repository", { exact: true });
    await expect(page.getByTestId("repositoryName-list-error")).toContainText("not allowed to list repositories");
    await expect(page.getByTestId("repositoryName-typeable")).toContainText("You can still type the name");
    await expect(repository).toBeEditable();
    // V2 is the default for a new pipeline, as in the AWS console.
    await expect(page.getByLabel("V2", { exact: true })).toBeChecked();

    // Nothing typed: a human message, never zod's type error.
    await pressCreateOnboarding(page);
    await expect(page.locator("#repositoryName-error")).toHaveText("Enter the repository name.");
    await expect(page.locator("#branchName-error")).toHaveText("Enter the branch name.");
    await expect(page.getByText("Invalid input")).toHaveCount(0);
    await expect(repository).toHaveAttribute("aria-invalid", "true");

    await repository.fill("payments-api");
    const branch = page.getByLabel("Branch", { exact: true });
    await expect(page.getByTestId("branchName-list-error")).toContainText("not allowed to list branches");
    await branch.fill("devlop");
    await page.getByLabel("Pipeline name").fill(pipelineName);
    await pressCreateOnboarding(page);
    await expect(page.locator("#branchName-error")).toContainText(
      "The repository payments-api in account Demo repo (222222222222), us-east-1 has no branch named devlop",
    );
    await expect(branch).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\/onboardings\/new$/);

    await branch.fill("develop");
    await expect(page.getByLabel("Pipeline name")).toHaveValue(pipelineName); // a typed name survives
    await submitOnboardingForm(page, 60_000);
    await expect(page.getByTestId("plan-summary")).toBeVisible();
    const declaration = page.getByTestId("pipeline-json");
    await expect(declaration).toContainText('"RepositoryName": "payments-api"');
    await expect(declaration).toContainText('"BranchName": "develop"');
    await expect(declaration).toContainText('"pipelineType": "V2"');
    await expect(declaration).toContainText('"executionMode": "SUPERSEDED"');
  });

  test("the plan page has contents with counts, collapsible items and copy buttons", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await signIn(page, users.engineer);
    // A plan of its own, with names typed as in the test above (the listing is denied, the names are checked).
    const pipelineName = `forms-plan-${Date.now().toString(36)}`;
    const { planUrl } = await seedOnboarding(page, { repositoryName: "payments-api", branchName: "develop", pipelineName });
    await page.goto(planUrl);
    await expect(page).toHaveTitle(new RegExp(`Plan for ${pipelineName}`));

    const contents = page.getByRole("navigation", { name: "Plan contents" });
    const toolsCreates = await page.locator('[data-testid="plan-group-tools"] [data-testid="plan-item"][data-action="create"]').count();
    expect(toolsCreates).toBeGreaterThan(0);
    await expect(contents.getByTestId("contents-tools")).toContainText(`${toolsCreates} create`);
    await expect(contents.getByTestId("contents-repo")).toContainText("Repo account · Demo repo");
    await contents.getByRole("link", { name: /Equivalent AWS CLI commands/ }).click();
    await expect(page).toHaveURL(/#cli$/);

    // Each resource folds away on its summary.
    const item = page.getByTestId("plan-item").filter({ has: page.getByTestId("plan-item-title").getByText("Pipeline", { exact: true }) });
    const reason = item.getByTestId("plan-item-reason");
    await expect(reason).toBeVisible();
    await item.locator("summary").first().click();
    await expect(reason).toBeHidden();
    await item.locator("summary").first().click();
    await expect(reason).toBeVisible();

    // Copy the pipeline JSON: the clipboard holds the declaration, and "Copied" is announced.
    const figure = page.locator("figure").filter({ has: page.getByTestId("pipeline-json") });
    await figure.getByRole("button", { name: "Copy pipeline JSON" }).click();
    await expect(figure.getByTestId("copy-status")).toHaveText("Copied");
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(JSON.parse(copied)).toMatchObject({ name: pipelineName, pipelineType: "V2" });

    // The CLI section opens, and a command copies exactly.
    await page.getByTestId("cli-section").locator(":scope > summary").click();
    const firstStep = page.getByTestId("cli-step").first();
    await firstStep.getByRole("button", { name: "Copy command" }).click();
    await expect(firstStep.getByTestId("copy-status")).toHaveText("Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe((await firstStep.locator("pre code").textContent())!);
  });
});

test("an account id typed with spaces is accepted; a failed connection test is listed step by step and warned about in the form", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const accountId = uniqueAccountId();
  const grouped = `${accountId.slice(0, 4)} ${accountId.slice(4, 8)} ${accountId.slice(8)}`;
  await signIn(page, users.admin);
  await page.goto("/accounts/new");
  await page.getByLabel("Display name").fill(`Spaced ${accountId}`);
  await page.getByLabel("AWS account id").fill(grouped);
  await page.getByLabel("Repo (hosts CodeCommit repositories)").check();
  await page.getByLabel("Provisioning role ARN").fill(`arn:aws:iam::${accountId}:role/${ROLE}`);
  await page.getByRole("button", { name: "Register account" }).click();
  await expect(page.getByRole("heading", { name: `Spaced ${accountId}` })).toBeVisible();
  await expect(page.getByRole("main")).toContainText(`arn:aws:iam::${accountId}:role/${ROLE}`);
  const accountPath = new URL(page.url()).pathname;

  // Never tested: the onboarding form says so under the select.
  await fillOnboardingForm(page, { tools: null, repo: `Spaced ${accountId} (${accountId})` });
  await expect(page.getByTestId("repoAccountId-warning")).toContainText("Connection never tested");

  // The role does not exist: the test fails and the diagnosis is a list of checks with exact values.
  await page.goto(accountPath);
  await page.getByRole("button", { name: "Test connection" }).click();
  const result = page.getByTestId("connection-result");
  await expect(result).toContainText("AWS refused to let the portal assume the role");
  await expect(result.getByTestId("connection-diagnosis")).toContainText("What the portal tried");
  const checks = result.getByTestId("connection-check");
  await expect(checks).toHaveCount(3);
  await expect(checks.nth(0)).toContainText(`arn:aws:iam::${accountId}:role/${ROLE}`);
  await expect(checks.nth(2)).toContainText("ExternalId");
  await page.reload();
  await expect(page.getByTestId("last-test-title")).toHaveText("AWS refused to let the portal assume the role");
  await expect(page.getByTestId("connection-check")).toHaveCount(3);

  await fillOnboardingForm(page, { tools: null, repo: `Spaced ${accountId} (${accountId})` });
  const warning = page.getByTestId("repoAccountId-warning");
  await expect(warning).toContainText("Last connection test failed");
  await expect(warning).toContainText("ago: AWS refused to let the portal assume the role.");
  await expect(warning.getByRole("link", { name: "Open the account page" })).toHaveAttribute("href", accountPath);
});
