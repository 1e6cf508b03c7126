// Drift in Chromium, on a portal of its own (fresh database and sandbox: the other specs expect an empty portal):
// onboard demo-service, then an administrator disables the start rule and removes the event bus permission by hand;
// "Verify now" shows both with their diffs and first-seen time, the dashboard marks the pipeline "Drifted", one
// click on Repair runs the apply, and the schedule's verify after it shows everything in sync again.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import { deriveResourceNames } from "@/lib/names/derive";
import { specOf } from "@/lib/runs/spec";
import { adminClients, disableRule, removeBusPermission } from "../tests/support/drift";
import { PASSWORD, signIn, users, confirmApply } from "./support";

const PIPELINE = "demo-service-main";

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
    if (child.exitCode !== null) throw new Error(`the drift spec's portal exited with ${child.exitCode}`);
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
      const log = path.join(os.tmpdir(), `portal-drift-e2e-${port}.log`);
      const env: NodeJS.ProcessEnv = { ...process.env, E2E_PORT: String(port), E2E_SANDBOX_PORT: String(sandboxPort), SANDBOX_ACTION_MS: "300", DEMO_ADMIN_PASSWORD: PASSWORD };
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

async function onboardDemoService(page: Page): Promise<string> {
  await page.goto("/onboardings/new");
  await page.getByLabel("Tools account", { exact: true }).selectOption({ label: "Demo tools (111111111111)" });
  await page.getByLabel("Repo account", { exact: true }).selectOption({ label: "Demo repo (222222222222)" });
  const repository = page.getByLabel("Repository", { exact: true });
  await expect(page.getByTestId("repositoryName-options").locator(`option[value="demo-service"]`)).toHaveCount(1); // listed from AWS
  await repository.fill("demo-service");
  await expect(page.getByLabel("Pipeline name")).toHaveValue(PIPELINE);
  await page.getByRole("button", { name: "Create onboarding and show the plan" }).click();
  await expect(page).toHaveURL(/\/plan$/, { timeout: 30_000 });
  await confirmApply(page);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });
  return new URL(page.url()).pathname.split("/")[2];
}

test("a drifted onboarding is shown with its diff on the dashboard and its page, repaired with one click, then in sync", async ({ page, portal }, info) => {
  test.setTimeout(180_000);
  await signIn(page, users.engineer);
  const id = await onboardDemoService(page);

  // An administrator of the tools account disables the start rule and removes the bus permission by hand.
  const names = deriveResourceNames(
    specOf({ id, region: "us-east-1", repositoryName: "demo-service", branchName: "main", pipelineName: PIPELINE, pipelineType: "V1", buildMode: "create", buildProject: `${PIPELINE}-build`, approval: false, toolsAccount: { accountId: "111111111111" }, repoAccount: { accountId: "222222222222" } }),
  );
  const target = { tools: adminClients(portal.sandboxUrl, "111111111111"), repo: adminClients(portal.sandboxUrl, "222222222222"), names };
  await disableRule(target);
  await removeBusPermission(target);

  await page.goto(`/onboardings/${id}`);
  const panel = page.getByTestId("drift-panel");
  await expect(panel).toBeVisible();
  await page.getByRole("button", { name: "Verify now" }).click();
  await expect(page.getByTestId("verify-form").getByTestId("form-status")).toContainText("Verified: 2 resources are out of sync.");
  await expect(panel).toHaveAttribute("data-status", "drifted");
  await expect(panel.getByTestId("drift-status")).toHaveText(/Drifted/);
  await expect(page.getByTestId("drift-item-tools.start-on-push-rule")).toHaveAttribute("data-status", "drifted");
  await expect(page.getByTestId("drift-item-tools.event-bus-permission")).toHaveAttribute("data-status", "missing");
  await expect(page.getByTestId("drift-item-tools.pipeline")).toHaveAttribute("data-status", "in-sync");
  await expect(page.getByTestId("drift-item-tools.start-on-push-rule").getByTestId("first-seen")).toContainText("UTC");
  const rule = page.getByTestId("drift-detail-tools.start-on-push-rule");
  await expect(rule.getByTestId("drift-changes")).toContainText("Rule and target: State: DISABLED (desired ENABLED)");
  await expect(rule.getByTestId("plan-diff").locator('[data-diff="del"]')).toContainText('"State": "DISABLED"');
  await expect(rule.getByTestId("plan-diff").locator('[data-diff="add"]')).toContainText('"State": "ENABLED"');
  await expect(page.getByTestId("drift-detail-tools.event-bus-permission").getByTestId("drift-changes")).toContainText("does not exist");
  await page.screenshot({ path: info.outputPath("drifted-onboarding.png"), fullPage: true });

  // The dashboard marks it.
  await page.goto("/");
  const row = page.getByTestId(`onboarding-row-${PIPELINE}`);
  await expect(row.getByTestId("drift-badge")).toHaveText(/Drifted/);
  await page.screenshot({ path: info.outputPath("dashboard-drifted.png"), fullPage: true });
  await row.getByTestId("drift-badge").click();
  await expect(page).toHaveURL(new RegExp(`/onboardings/${id}#drift$`));

  // One click: Repair runs the apply.
  await page.getByRole("button", { name: "Repair" }).click();
  await expect(page).toHaveURL(new RegExp(`/onboardings/${id}/runs/[^/]+$`), { timeout: 30_000 });
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });

  // The schedule verifies again after an apply: the page then shows everything in sync, the badge is gone.
  await page.goto(`/onboardings/${id}`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("drift-panel")).toHaveAttribute("data-status", "in-sync", { timeout: 1_000 });
  }).toPass({ timeout: 45_000 });
  await expect(page.getByTestId("drift-checked")).toContainText("(scheduled)");
  await expect(page.getByTestId("drift-item-tools.start-on-push-rule")).toHaveAttribute("data-status", "in-sync");
  await expect(page.getByTestId("run-row").first()).toContainText("apply (repair)");
  await page.screenshot({ path: info.outputPath("repaired-onboarding.png"), fullPage: true });
  await page.goto("/");
  await expect(page.getByTestId(`onboarding-row-${PIPELINE}`)).toBeVisible();
  await expect(page.getByTestId("drift-badge")).toHaveCount(0);
});
