// The pipeline dashboard in Chromium, on a portal of its own (fresh database and sandbox, short simulated
// action times) so that onboarding a pipeline here cannot disturb the other specs, which expect an empty
// portal: onboard demo-service through the UI, stop the first run, simulate a push from the pipeline page,
// follow the run stage by stage and approve it with a comment, read the execution, and check that a viewer's
// replay of the Start server action is refused by the server (on a pipeline of its own, seeded through the JSON
// commands, so that either test runs alone).
import { expect, type Page } from "@playwright/test";
import { onboardAndApply } from "./flows/onboard";
import { seedAppliedOnboarding } from "./flows/seed";
import { isolatedPortalTest } from "./isolated-portal";
import { signIn, users } from "./support";

const PIPELINE = "demo-service-main";
const test = isolatedPortalTest("dashboard", { SANDBOX_ACTION_MS: "400" });

const stageOf = (page: Page, name: string) => page.getByTestId(`stage-${name}`);

test.describe("pipeline dashboard", () => {
  test("an engineer onboards demo-service, stops its first run, pushes, approves with a comment and watches the run go green stage by stage", async ({
    page,
  }, info) => {
    test.setTimeout(150_000);
    await signIn(page, users.engineer);
    await expect(page.getByTestId("onboardings-empty")).toContainText("No pipelines yet");
    await onboardAndApply(page, { repository: "demo-service", approval: true });

    // The dashboard lists the new pipeline; its first run (started by CreatePipeline) waits for approval.
    await page.goto("/");
    const row = page.getByTestId(`onboarding-row-${PIPELINE}`);
    await expect(row).toContainText("demo-service@main");
    await expect(row.getByTestId("stage-strip")).toBeVisible();
    await expect(page.getByTestId("live-refresh")).toContainText("refreshes every 10 s");
    await row.getByRole("link", { name: PIPELINE }).click();
    await expect(page).toHaveURL(/\/pipelines\/[^/]+$/);
    const pipelineUrl = page.url();
    await expect(stageOf(page, "Approval")).toHaveAttribute("data-status", "InProgress", { timeout: 30_000 });
    await expect(page.getByTestId("approvals")).toBeVisible();

    // Stop that first run: stop and abandon, with a reason.
    await page.getByTestId("stop-form").getByTestId("stop-open").click();
    const stopDialog = page.getByTestId("stop-form").getByTestId("stop-dialog");
    await stopDialog.getByLabel("Stop and abandon").check();
    await stopDialog.getByLabel("Reason (recorded with the execution)").fill("e2e: not this one");
    await stopDialog.getByRole("button", { name: "Stop and abandon" }).click();
    await expect(page.getByTestId("command-feedback")).toContainText("stopped: running actions were abandoned");
    await expect(page.getByTestId("pipeline-status")).toHaveAttribute("data-status", "Stopped", { timeout: 15_000 });
    await expect(stageOf(page, "Approval")).toHaveAttribute("data-status", "Stopped");

    // Simulate a push; the page follows the run without a reload.
    await page.getByLabel("Commit message for demo-service@main").fill("e2e: add a greeting");
    await page.getByRole("button", { name: "Simulate push" }).click();
    await expect(page.getByTestId("command-feedback")).toContainText(
      /Pushed [0-9a-f]{7} to demo-service@main: execution [0-9a-f]{8} started\./,
    );
    await expect(page.getByTestId("pipeline-status")).toHaveAttribute("data-status", "InProgress", { timeout: 15_000 });
    await expect(stageOf(page, "Source")).toHaveAttribute("data-status", "Succeeded", { timeout: 30_000 });
    await expect(stageOf(page, "Approval")).toHaveAttribute("data-status", "InProgress", { timeout: 30_000 });
    await expect(page.getByTestId("latest-execution-link")).toBeVisible();
    await expect(page.getByTestId("revision-message").first()).toHaveText("e2e: add a greeting");
    await page.screenshot({ path: info.outputPath("pipeline-waiting-for-approval.png"), fullPage: true });

    const approval = page.getByTestId("approvals");
    await approval.getByLabel("Comment").fill("LGTM from e2e");
    await approval.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByTestId("command-feedback")).toContainText("Approved Approval / ");
    await expect(stageOf(page, "Approval")).toHaveAttribute("data-status", "Succeeded", { timeout: 30_000 });
    await expect(stageOf(page, "Build")).toHaveAttribute("data-status", "Succeeded", { timeout: 30_000 });
    await expect(page.getByTestId("pipeline-status")).toHaveAttribute("data-status", "Succeeded", { timeout: 30_000 });
    await expect(page).toHaveURL(pipelineUrl);
    await expect(stageOf(page, "Approval").getByTestId("action-Approve")).toContainText("LGTM from e2e");
    await page.screenshot({ path: info.outputPath("pipeline-succeeded.png"), fullPage: true });

    // History: the pushed run on top, the stopped one below.
    const history = page.getByTestId("history-row");
    await expect(history.first()).toHaveAttribute("data-status", "Succeeded");
    await expect(history.nth(1)).toHaveAttribute("data-status", "Stopped");
    await expect(history.nth(1)).toContainText("e2e: not this one");

    // The execution: every action, the console timeline and the build log.
    await page.getByTestId("latest-execution-link").click();
    await expect(page).toHaveURL(/\/executions\/[0-9a-f-]+$/);
    const executionId = page.url().split("/").pop()!;
    await expect(page.getByTestId("execution-status")).toHaveAttribute("data-status", "Succeeded");
    await expect(page.getByTestId("execution-console-link")).toHaveAttribute(
      "href",
      `https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/${PIPELINE}/executions/${executionId}/timeline?region=us-east-1`,
    );
    await expect(page.getByTestId("exec-action-Source")).toContainText("e2e: add a greeting");
    await expect(page.getByTestId("exec-action-Approve")).toContainText("LGTM from e2e");
    const logs = page.getByTestId("exec-action-Build").getByTestId("exec-action-logs");
    const log = await page.request.get((await logs.getAttribute("href"))!);
    expect(await log.text()).toContain("Phase complete: BUILD State: SUCCEEDED");
    await page.screenshot({ path: info.outputPath("execution.png"), fullPage: true });

    // Back on the dashboard: green, with the commit and its author.
    await page.goto("/");
    await expect(row).toHaveAttribute("data-status", "Succeeded");
    await expect(row.getByTestId("revision-message")).toHaveText("e2e: add a greeting");
    await expect(row.getByTestId("revision-author")).toHaveText("by Demo engineer");
    await expect(row.locator('[data-stage="Build"]')).toHaveAttribute("data-status", "Succeeded");
    await page.goto("/?status=maybe&account=12");
    await expect(page.getByTestId("filter-problems")).toContainText("Status “maybe” is not valid");
    await expect(row).toBeVisible();
    await page.goto("/?status=Failed");
    await expect(page.getByTestId("dashboard-no-match")).toBeVisible();
    await page.goto("/");
    await page.screenshot({ path: info.outputPath("dashboard.png"), fullPage: true });
  });

  test("a viewer sees the pipeline without commands, and a replay of the Start server action is refused", async ({
    page,
    browser,
    portal,
  }) => {
    // Capture an engineer's real Start request without letting it reach the server…
    await signIn(page, users.engineer);
    const { onboardingId } = await seedAppliedOnboarding(page, {
      repositoryName: "demo-service",
      pipelineName: "dashboard-replay",
      approval: true,
    });
    const pipelineUrl = `/pipelines/${onboardingId}`;
    await page.goto(pipelineUrl);
    await page.route("**/*", (route) =>
      route.request().method() === "POST" && route.request().headers()["next-action"] ? route.abort() : route.continue(),
    );
    const requestPromise = page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
    await page.getByRole("button", { name: "Start execution" }).click();
    const captured = await requestPromise;
    await page.unrouteAll({ behavior: "ignoreErrors" });

    // …then replay it as a viewer.
    const viewer = await browser.newContext({ baseURL: portal.url });
    const vpage = await viewer.newPage();
    await signIn(vpage, users.viewer);
    await vpage.goto(pipelineUrl);
    await expect(vpage.getByTestId("pipeline-diagram")).toBeVisible();
    await expect(vpage.getByTestId("read-only-note")).toBeVisible();
    await expect(vpage.getByRole("button", { name: "Start execution" })).toHaveCount(0);
    await expect(vpage.getByRole("button", { name: "Simulate push" })).toHaveCount(0);
    const before = await vpage.getByTestId("history-row").count();
    const res = await vpage.request.post(new URL(captured.url()).pathname, {
      headers: {
        "next-action": captured.headers()["next-action"],
        "content-type": captured.headers()["content-type"],
        accept: "text/x-component",
      },
      data: captured.postDataBuffer()!,
    });
    expect(await res.text()).toContain("Your role does not allow this action.");
    await vpage.reload();
    await expect(vpage.getByTestId("history-row")).toHaveCount(before);
    await viewer.close();
  });
});
