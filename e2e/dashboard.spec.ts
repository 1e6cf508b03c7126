// The pipeline dashboard in Chromium, on a portal of its own (fresh database and sandbox, short simulated
// action times) so that onboarding a pipeline here cannot disturb the other specs, which expect an empty
// portal: onboard demo-service through the UI, stop the first run, simulate a push from the pipeline page,
// follow the run stage by stage and approve it with a comment, read the execution, and check that a viewer's
// replay of the Start server action is refused by the server.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import { PASSWORD, signIn, users, confirmApply } from "./support";

const PIPELINE = "demo-service-main";
const ACTION_MS = 400;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`the dashboard's portal exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms / 1000}s`);
}

const test = base.extend<object, { portal: { url: string; sandboxUrl: string } }>({
  portal: [
    async ({}, use) => {
      const [port, sandboxPort] = [await freePort(), await freePort()];
      const log = path.join(os.tmpdir(), `portal-dashboard-e2e-${port}.log`);
      const env: NodeJS.ProcessEnv = { ...process.env, E2E_PORT: String(port), E2E_SANDBOX_PORT: String(sandboxPort), SANDBOX_ACTION_MS: String(ACTION_MS), DEMO_ADMIN_PASSWORD: PASSWORD };
      for (const k of ["DATABASE_URL", "NEXTAUTH_URL", "PORT", "SANDBOX_PORT", "SANDBOX_STATE_FILE", "AWS_ENDPOINT_URL"]) delete env[k];
      const out = fs.openSync(log, "w");
      const child = spawn(process.execPath, ["scripts/e2e-server.mjs"], { cwd: path.resolve(__dirname, ".."), env, stdio: ["ignore", out, out] });
      try {
        await waitForHealth(`http://localhost:${port}/api/health`, child, 120_000);
        await use({ url: `http://localhost:${port}`, sandboxUrl: `http://127.0.0.1:${sandboxPort}` });
      } finally {
        child.kill("SIGTERM");
        await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
        fs.closeSync(out);
      }
    },
    { scope: "worker", timeout: 180_000 },
  ],
  baseURL: async ({ portal }, use) => use(portal.url),
});

async function onboardDemoService(page: Page) {
  await page.goto("/onboardings/new");
  await page.getByLabel("Tools account", { exact: true }).selectOption({ label: "Demo tools (111111111111)" });
  await page.getByLabel("Repo account", { exact: true }).selectOption({ label: "Demo repo (222222222222)" });
  const repository = page.getByLabel("Repository", { exact: true });
  await expect(page.getByTestId("repositoryName-options").locator('option[value="demo-service"]')).toHaveCount(1);
  await repository.fill("demo-service");
  await expect(page.getByLabel("Branch", { exact: true })).toHaveValue("main");
  await expect(page.getByLabel("Pipeline name")).toHaveValue(PIPELINE);
  await page.getByLabel("Add a manual approval stage").check();
  await page.getByRole("button", { name: "Create onboarding and show the plan" }).click();
  await expect(page).toHaveURL(/\/plan$/, { timeout: 30_000 });
  await confirmApply(page);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });
}

const stageOf = (page: Page, name: string) => page.getByTestId(`stage-${name}`);

test.describe.serial("pipeline dashboard", () => {
  let pipelineUrl = "";

  test("an engineer onboards demo-service, stops its first run, pushes, approves with a comment and watches the run go green stage by stage", async ({ page }, info) => {
    test.setTimeout(150_000);
    await signIn(page, users.engineer);
    await expect(page.getByTestId("onboardings-empty")).toContainText("No pipelines yet");
    await onboardDemoService(page);

    // The dashboard lists the new pipeline; its first run (started by CreatePipeline) waits for approval.
    await page.goto("/");
    const row = page.getByTestId(`onboarding-row-${PIPELINE}`);
    await expect(row).toContainText("demo-service@main");
    await expect(row.getByTestId("stage-strip")).toBeVisible();
    await expect(page.getByTestId("live-refresh")).toContainText("refreshes every 10 s");
    await row.getByRole("link", { name: PIPELINE }).click();
    await expect(page).toHaveURL(/\/pipelines\/[^/]+$/);
    pipelineUrl = page.url();
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
    await expect(page.getByTestId("command-feedback")).toContainText(/Pushed [0-9a-f]{7} to demo-service@main: execution [0-9a-f]{8} started\./);
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
    await expect(page.getByTestId("execution-console-link")).toHaveAttribute("href", `https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/${PIPELINE}/executions/${executionId}/timeline?region=us-east-1`);
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

  test("a viewer sees the pipeline without commands, and a replay of the Start server action is refused", async ({ page, browser, portal }) => {
    expect(pipelineUrl, "the pipeline onboarded by the test above").toBeTruthy();
    // Capture an engineer's real Start request without letting it reach the server…
    await signIn(page, users.engineer);
    await page.goto(pipelineUrl);
    await page.route("**/*", (route) => (route.request().method() === "POST" && route.request().headers()["next-action"] ? route.abort() : route.continue()));
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
      headers: { "next-action": captured.headers()["next-action"], "content-type": captured.headers()["content-type"], accept: "text/x-component" },
      data: captured.postDataBuffer()!,
    });
    expect(await res.text()).toContain("Your role does not allow this action.");
    await vpage.reload();
    await expect(vpage.getByTestId("history-row")).toHaveCount(before);
    await viewer.close();
  });
});
