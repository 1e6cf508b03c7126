import { expect, test } from "@playwright/test";
import { IAMClient, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { sandboxRootClient } from "../lib/aws/client-factory";
import { fillOnboardingForm, pressCreateOnboarding, submitOnboardingForm } from "./flows/onboard";
import { seedAppliedOnboarding, seedOnboarding } from "./flows/seed";
import { createRoleInSandbox, SANDBOX_URL, signIn, uniqueAccountId, users, confirmApply } from "./support";

const PIPELINE = "demo-service-main";
const PIPELINE_ARN = `arn:aws:codepipeline:us-east-1:111111111111:${PIPELINE}`;

/** IAM as the account's root in the sandbox: what a person does in the AWS console. */
const rootIam = (accountId: string) => sandboxRootClient(IAMClient, accountId, { endpoint: SANDBOX_URL });

test.describe("onboarding a repository", () => {
  test("bad input shows field errors next to the inputs and creates nothing", async ({ page }) => {
    await signIn(page, users.engineer);
    await fillOnboardingForm(page, { repository: "payments-api", branch: "develop" }); // the pipeline name is derived: payments-api-develop
    await page.getByLabel("Pipeline name").fill("payments api develop");
    await pressCreateOnboarding(page);
    await expect(page.getByText("Pipeline names may contain only letters, digits, '.', '@', '-' and '_'")).toBeVisible();
    await expect(page.getByLabel("Pipeline name")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("form-status")).toContainText("Please correct the highlighted fields.");
    // The other choices survive the refused submit.
    await expect(page.getByLabel("Repository", { exact: true })).toHaveValue("payments-api");
    await expect(page.getByLabel("Branch", { exact: true })).toHaveValue("develop");
    await expect(page).toHaveURL(/\/onboardings\/new$/);
    await page.goto("/");
    await expect(page.getByText("payments api develop")).toHaveCount(0);
    await expect(page.getByTestId("onboardings-empty")).toBeVisible();
  });

  test("an account whose role cannot be assumed shows the list error with a link to the account", async ({ page }) => {
    const accountId = uniqueAccountId();
    await signIn(page, users.admin);
    await page.goto("/accounts/new");
    await page.getByLabel("Display name").fill(`No role ${accountId}`);
    await page.getByLabel("AWS account id").fill(accountId);
    await page.getByLabel("Repo (hosts CodeCommit repositories)").check();
    await page.getByLabel("Provisioning role ARN").fill(`arn:aws:iam::${accountId}:role/crossline-portal-provisioning`);
    await page.getByRole("button", { name: "Register account" }).click();
    await expect(page.getByRole("heading", { name: `No role ${accountId}` })).toBeVisible();
    const accountPath = new URL(page.url()).pathname;

    await fillOnboardingForm(page, { tools: null, repo: `No role ${accountId} (${accountId})` });
    const error = page.getByTestId("repositoryName-list-error");
    await expect(error).toContainText("cannot assume the provisioning role");
    await expect(error.getByRole("link", { name: "Open the account page" })).toHaveAttribute("href", accountPath);
    // The list failed, but the name can still be typed (it is checked when the onboarding is created).
    await expect(page.getByLabel("Repository", { exact: true })).toBeEditable();
    await expect(page.getByTestId("repositoryName-typeable")).toBeVisible();

    // The discovery routes validate their query and answer {error} JSON, never a raw error.
    const accountDbId = accountPath.split("/").pop();
    const badRegion = await page.request.get(`/api/accounts/${accountDbId}/repositories?region=mars-north-1`);
    expect(badRegion.status()).toBe(400);
    expect((await badRegion.json()).error).toContain("region");
    const unknown = await page.request.get(`/api/accounts/no-such-account/build-projects?region=us-east-1`);
    expect(unknown.status()).toBe(404);
    expect(await unknown.json()).toEqual({ error: "No such account." });
    const denied = await page.request.get(`/api/accounts/${accountDbId}/repositories?region=us-east-1`);
    expect(denied.status()).toBe(502);
    expect(await denied.json()).toMatchObject({ error: expect.stringContaining("cannot assume"), accountUrl: accountPath });
  });

  test("the engineer onboards demo-service, reads the plan, applies it and watches every step succeed", async ({ page }) => {
    test.setTimeout(180_000);
    await signIn(page, users.engineer);
    await fillOnboardingForm(page, { repository: "demo-service", branch: "main" }); // the pipeline name is derived: PIPELINE
    await expect(page.getByLabel("Create a default CodeBuild project")).toBeChecked();
    await expect(page.getByLabel("CodeBuild project name")).toHaveValue(`${PIPELINE}-build`);
    await page.getByLabel("Add a manual approval stage").check();
    await expect(page.getByLabel("V2", { exact: true })).toBeChecked(); // the AWS console's default
    await page.getByLabel("V1", { exact: true }).check();
    await expect(page.getByText("billed per active pipeline per month (first 30 days free)", { exact: false })).toBeVisible();
    await pressCreateOnboarding(page);

    // The plan: reads both accounts, writes nothing.
    await expect(page).toHaveURL(/\/onboardings\/[^/]+\/plan$/, { timeout: 30_000 });
    const onboardingUrl = page.url().replace(/\/plan$/, "");
    await expect(page.getByTestId("plan-summary")).toBeVisible();
    const key = page.getByTestId("plan-item").filter({ hasText: "Artifact KMS key" });
    await expect(key).toHaveAttribute("data-action", "create");
    await expect(key.getByTestId("plan-action")).toHaveText("create");
    await expect(page.getByTestId("plan-group-tools")).toContainText("Pipeline service role");
    await expect(page.getByTestId("plan-group-repo")).toContainText("Cross-account source role");
    const pipelineJson = page.getByTestId("pipeline-json");
    await expect(pipelineJson).toContainText('"PollForSourceChanges": "false"');
    await expect(pipelineJson).toContainText('"id": "arn:aws:kms:us-east-1:111111111111:key/');
    await expect(pipelineJson).not.toContainText('"id": "alias/');
    await expect(pipelineJson).toContainText(`"category": "Approval"`);
    const cli = page.getByTestId("cli-commands");
    await expect(cli).toContainText("aws kms create-key");
    await expect(cli).toContainText("codepipeline create-pipeline --cli-input-json file://pipeline.json");
    await expect(page.getByRole("link", { name: "Download plan JSON" })).toHaveAttribute("href", /\/api\/onboardings\/[^/]+\/plan$/);
    const download = await page.request.get(`/api/onboardings/${onboardingUrl.split("/").pop()}/plan`);
    expect(download.headers()["content-disposition"]).toContain("attachment");
    expect((await download.json()).summary.create).toBeGreaterThan(0);

    // Apply, then follow the run without reloading.
    await confirmApply(page);
    await expect(page).toHaveURL(/\/runs\/[^/]+$/);
    const runUrl = page.url();
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
    await expect(page).toHaveURL(runUrl); // no navigation: the page followed the run by polling
    const steps = page.locator('li[data-testid^="step-"]');
    expect(await steps.count()).toBeGreaterThanOrEqual(12);
    for (const s of await steps.all()) await expect(s).toHaveAttribute("data-status", "succeeded");
    await expect(page.getByTestId("step-tools.kms-key")).toContainText("Artifact KMS key");
    await expect(page.getByTestId("pipeline-arn")).toHaveText(PIPELINE_ARN);
    // The success banner leads to the portal's own pipeline page as well as the console.
    const onboardingId = onboardingUrl.split("/").pop();
    await expect(page.getByTestId("run-succeeded").getByRole("link", { name: "Open the pipeline page" })).toHaveAttribute(
      "href",
      `/pipelines/${onboardingId}`,
    );

    // The same plan again: everything matches now.
    await page.goto(`${onboardingUrl}/plan`);
    await expect(page.getByTestId("nothing-to-change")).toContainText("Nothing to change");
    await expect(page.getByTestId("summary-create")).toContainText("0");
    await expect(page.getByRole("button", { name: "Apply" })).toBeVisible();

    await page.goto(onboardingUrl);
    await expect(page.getByTestId("onboarding-status")).toHaveText("Active");
    await expect(page.getByTestId("pipeline-arn")).toHaveText(PIPELINE_ARN);
    await expect(page.getByTestId("run-row")).toHaveCount(1);
    await expect(page.getByTestId("portal-pipeline-link")).toHaveAttribute("href", `/pipelines/${onboardingId}`);
    await page.goto("/");
    await expect(page.getByRole("main")).toContainText(PIPELINE);
  });

  test("editing the pipeline type leads to a plan that updates only the pipeline", async ({ page }) => {
    test.setTimeout(180_000);
    await signIn(page, users.engineer);
    // A V1 pipeline with an approval stage, applied.
    const { onboardingId } = await seedAppliedOnboarding(page, {
      repositoryName: "demo-service",
      pipelineName: "edit-type-v1",
      pipelineType: "V1",
      approval: true,
    });
    const onboardingUrl = `/onboardings/${onboardingId}`;
    await page.goto(`${onboardingUrl}/edit`);
    await expect(page.getByLabel("Branch", { exact: true })).toHaveValue("main");
    await expect(page.getByLabel("Add a manual approval stage")).toBeChecked();
    await page.getByLabel("V2", { exact: true }).check();
    await page.getByRole("button", { name: "Save and show the plan" }).click();
    await expect(page).toHaveURL(/\/plan\?updated=1$/, { timeout: 30_000 });
    await expect(page.getByText("Changes saved.")).toBeVisible();
    const pipeline = page
      .getByTestId("plan-item")
      .filter({ has: page.getByTestId("plan-item-title").getByText("Pipeline", { exact: true }) });
    await expect(pipeline).toHaveAttribute("data-action", "update");
    await expect(pipeline.getByTestId("plan-diff")).toContainText('"pipelineType": "V2"');
    await expect(pipeline.locator('[data-diff="add"]').filter({ hasText: '"pipelineType": "V2"' })).toHaveCount(1);
    await expect(pipeline.locator('[data-diff="del"]').filter({ hasText: '"pipelineType": "V1"' })).toHaveCount(1);
    await expect(page.getByTestId("summary-update")).toContainText("1");
    await expect(page.getByTestId("summary-create")).toContainText("0");
    await expect(page.getByTestId("nothing-to-change")).toHaveCount(0);
    // Only the change is unfolded; the 13 unchanged resources are folded away.
    await expect(page.locator('[data-testid="plan-item"]:visible')).toHaveCount(1);
    await expect(page.getByTestId("plan-unchanged-tools")).toContainText("unchanged resources");
  });

  test("a viewer reads the plan without an Apply button, and a direct POST of the apply action is refused", async ({ page, browser }) => {
    // Capture the engineer's real Apply request without letting it reach the server…
    await signIn(page, users.engineer);
    const { onboardingId } = await seedOnboarding(page, { repositoryName: "demo-service", pipelineName: "viewer-replay" });
    const onboardingUrl = `/onboardings/${onboardingId}`;
    await page.goto(`${onboardingUrl}/plan`);
    await page.route("**/*", (route) =>
      route.request().method() === "POST" && route.request().headers()["next-action"] ? route.abort() : route.continue(),
    );
    const requestPromise = page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
    await confirmApply(page);
    const captured = await requestPromise;
    await page.unrouteAll({ behavior: "ignoreErrors" });
    // Whatever became of the engineer's own request, the viewer's replay must add no run.
    await page.goto(onboardingUrl);
    const runsBefore = await page.getByTestId("run-row").count();

    // …then replay it as a viewer.
    const viewer = await browser.newContext();
    const vpage = await viewer.newPage();
    await signIn(vpage, users.viewer);
    await vpage.goto(`${onboardingUrl}/plan`);
    await expect(vpage.getByTestId("plan-summary")).toBeVisible();
    await expect(vpage.getByTestId("pipeline-json")).toContainText('"PollForSourceChanges": "false"');
    await expect(vpage.getByRole("button", { name: "Apply" })).toHaveCount(0);
    await expect(vpage.getByText("Your role can read the plan")).toBeVisible();
    await expect(vpage.getByRole("link", { name: "Onboard" })).toHaveCount(0);
    await vpage.goto("/onboardings/new");
    await expect(vpage).toHaveURL(/\/forbidden/);
    const viewerList = await vpage.request.get(`/api/accounts/x/repositories?region=us-east-1`);
    expect(viewerList.status()).toBe(403);
    const viewerRun = await vpage.request.get(`/api/runs/no-such-run`);
    expect(viewerRun.status()).toBe(404);

    const res = await vpage.request.post(new URL(captured.url()).pathname, {
      headers: {
        "next-action": captured.headers()["next-action"],
        "content-type": captured.headers()["content-type"],
        accept: "text/x-component",
      },
      data: captured.postDataBuffer()!,
    });
    expect(await res.text()).toContain("Your role does not allow this action.");
    await viewer.close();

    await page.goto(onboardingUrl);
    await expect(page.getByTestId("run-row")).toHaveCount(runsBefore);
  });

  test("planning errors show a panel; a failed step shows its error and Resume finishes the run", async ({ page }) => {
    test.setTimeout(180_000);
    // A tools account whose provisioning role may not create pipelines.
    const tools = uniqueAccountId();
    await signIn(page, users.admin);
    await page.goto("/accounts/new");
    await page.getByLabel("Display name").fill(`Tools ${tools}`);
    await page.getByLabel("AWS account id").fill(tools);
    await page.getByLabel("Tools (hosts pipelines)").check();
    await page.getByLabel("Provisioning role ARN").fill(`arn:aws:iam::${tools}:role/crossline-portal-provisioning`);
    await page.getByRole("button", { name: "Register account" }).click();
    await expect(page.getByRole("heading", { name: `Tools ${tools}` })).toBeVisible();
    const accountDbId = new URL(page.url()).pathname.split("/").pop();
    const docs = await (await page.request.get(`/api/accounts/${accountDbId}/provisioning-role?format=json`)).json();
    const trust = JSON.stringify(docs.trustPolicy);
    const permissions = docs.permissionPolicy as { Version: string; Statement: unknown[] };
    const denyCreatePipeline = JSON.stringify({
      ...permissions,
      Statement: [
        ...permissions.Statement,
        { Sid: "TestDenyCreatePipeline", Effect: "Deny", Action: "codepipeline:CreatePipeline", Resource: "*" },
      ],
    });
    await createRoleInSandbox(tools, docs.roleName, trust, denyCreatePipeline, JSON.stringify(docs.boundaryPolicy), {
      name: docs.toolsPolicyName,
      policy: JSON.stringify(docs.toolsPolicy),
    });

    await fillOnboardingForm(page, { tools: `Tools ${tools} (${tools})`, repository: "payments-api", branch: "develop" });
    await submitOnboardingForm(page);
    await expect(page.getByTestId("plan-summary")).toBeVisible();
    const planUrl = page.url();

    // The role can no longer be assumed: the plan page explains instead of crashing.
    const iam = rootIam(tools);
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: docs.roleName,
        PolicyDocument: trust.replace(/portal-[A-Za-z0-9_-]+/, "portal-not-the-external-id"),
      }),
    );
    await page.reload();
    const planError = page.getByTestId("plan-error");
    await expect(planError).toBeVisible();
    await expect(planError).toContainText("cannot assume");
    await expect(page.getByRole("button", { name: "Apply" })).toHaveCount(0);
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: docs.roleName, PolicyDocument: trust }));
    await page.goto(planUrl);
    await expect(page.getByTestId("plan-summary")).toBeVisible();

    // Apply: the pipeline step is refused; its error says where to fix it.
    await confirmApply(page);
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "failed", { timeout: 120_000 });
    const failed = page.getByTestId("step-tools.pipeline");
    await expect(failed).toHaveAttribute("data-status", "failed");
    await expect(failed.getByTestId("step-error")).toContainText("AWS denied the provisioning role");
    await expect(failed.getByTestId("step-error")).toContainText("AWS request id");
    await expect(page.getByTestId("run-error")).toContainText("The run stopped at “Pipeline”");
    await expect(page.getByTestId("step-tools.kms-key")).toHaveAttribute("data-status", "succeeded");

    // Fix the role, resume: the page keeps following the run to the end.
    await iam.send(
      new PutRolePolicyCommand({ RoleName: docs.roleName, PolicyName: "portal-provisioning", PolicyDocument: JSON.stringify(permissions) }),
    );
    await page.getByRole("button", { name: "Resume" }).click();
    await expect(page.getByTestId("resume-status")).toContainText("Run resumed (attempt 2)");
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
    await expect(page.getByTestId("pipeline-arn")).toHaveText(`arn:aws:codepipeline:us-east-1:${tools}:payments-api-develop`);
    await expect(page.getByTestId("step-tools.pipeline")).toContainText("2 attempts");
    await expect(page.getByTestId("run-announcer")).toContainText("Run succeeded.");
  });
});
