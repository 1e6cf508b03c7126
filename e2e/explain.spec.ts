// "Why this failed" in Chromium, on a portal of its own (fresh database and sandbox, short simulated action times)
// so that onboarding a pipeline here cannot disturb the specs that expect an empty portal: a push whose tests fail
// shows the build's log tail (GetLogEvents) with the CloudWatch console link; a key policy edited by hand shows the
// missing grant with its account and key, and Repair leads to the plan.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { GetKeyPolicyCommand, KMSClient, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { sandboxRootClient } from "../lib/aws/client-factory";
import { test as base, expect, type Page } from "@playwright/test";
import { PASSWORD, signIn, users, confirmApply } from "./support";

const PIPELINE = "demo-service-main";
const TOOLS = "111111111111";
const ACTION_MS = 300;

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

const test = base.extend<object, { portal: { url: string; sandboxUrl: string } }>({
  portal: [
    async ({}, use) => {
      const [port, sandboxPort] = [await freePort(), await freePort()];
      const log = path.join(os.tmpdir(), `portal-explain-e2e-${port}.log`);
      const env: NodeJS.ProcessEnv = { ...process.env, E2E_PORT: String(port), E2E_SANDBOX_PORT: String(sandboxPort), SANDBOX_ACTION_MS: String(ACTION_MS), DEMO_ADMIN_PASSWORD: PASSWORD };
      for (const k of ["DATABASE_URL", "NEXTAUTH_URL", "PORT", "SANDBOX_PORT", "SANDBOX_STATE_FILE", "AWS_ENDPOINT_URL"]) delete env[k];
      const out = fs.openSync(log, "w");
      const child = spawn(process.execPath, ["scripts/e2e-server.mjs"], { cwd: path.resolve(__dirname, ".."), env, stdio: ["ignore", out, out] });
      try {
        const end = Date.now() + 120_000;
        for (;;) {
          if (child.exitCode !== null) throw new Error(`the portal exited with ${child.exitCode} (log: ${log})`);
          if (await fetch(`http://localhost:${port}/api/health`).then((r) => r.ok, () => false)) break;
          if (Date.now() > end) throw new Error(`the portal did not answer within 120 s (log: ${log})`);
          await new Promise((r) => setTimeout(r, 250));
        }
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
  await expect(page.getByTestId("repositoryName-options").locator(`option[value="demo-service"]`)).toHaveCount(1); // listed from AWS
  await repository.fill("demo-service");
  await expect(page.getByLabel("Pipeline name")).toHaveValue(PIPELINE);
  await page.getByRole("button", { name: "Create onboarding and show the plan" }).click();
  await expect(page).toHaveURL(/\/plan$/, { timeout: 30_000 });
  await confirmApply(page);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });
}

/** Simulates a push from the pipeline page; the history row of the execution it started, once Failed. */
async function pushAndWaitForFailure(page: Page, message: string) {
  await page.getByLabel("Commit message for demo-service@main").fill(message);
  await page.getByRole("button", { name: "Simulate push" }).click();
  const feedback = page.getByTestId("command-feedback");
  await expect(feedback).toContainText(/execution [0-9a-f]{8} started\./);
  const short = /execution ([0-9a-f]{8}) started/.exec(await feedback.innerText())![1];
  const row = page.locator(`[data-testid="history-row"][data-execution^="${short}"]`);
  await expect(row).toHaveAttribute("data-status", "Failed", { timeout: 60_000 });
  return row;
}

test.describe.serial("why a run failed", () => {
  let pipelineUrl = "";

  test("a push whose tests fail: the history links to the execution, which shows the build's log tail and the console link", async ({ page }, info) => {
    test.setTimeout(180_000);
    await signIn(page, users.engineer);
    await onboardDemoService(page);
    await page.goto("/");
    await page.getByTestId(`onboarding-row-${PIPELINE}`).getByRole("link", { name: PIPELINE }).click();
    await expect(page).toHaveURL(/\/pipelines\/[^/]+$/);
    pipelineUrl = page.url();
    await expect(page.getByTestId("pipeline-status")).toHaveAttribute("data-status", "Succeeded", { timeout: 60_000 });

    await (await pushAndWaitForFailure(page, "e2e: break the tests [fail]")).getByTestId("why-failed-link").click();
    await expect(page).toHaveURL(/\/executions\/[0-9a-f-]+#why$/);

    const why = page.getByTestId("why-failed");
    await expect(why.getByRole("heading", { name: "Why this failed" })).toBeVisible();
    await expect(why).toContainText("Failed action: Build / Build in build phase BUILD");
    const explanation = why.getByTestId("explanation");
    await expect(explanation).toHaveCount(1);
    await expect(explanation).toHaveAttribute("data-kind", "build-command-failed");
    await expect(explanation.getByTestId("explanation-what")).toContainText("A command of the build failed in phase BUILD: Error while executing command: npm test. Reason: exit status 1.");
    await expect(explanation.getByTestId("explanation-account")).toContainText(`(${TOOLS}), tools account`);

    const lines = why.getByTestId("log-tail-lines");
    await expect(lines).toContainText("Command did not exit successfully npm test exit status 1");
    await expect(lines).toContainText("Phase complete: BUILD State: FAILED");
    await expect(lines).toHaveAttribute("tabindex", "0");
    await expect(lines).toHaveAttribute("aria-label", /^Last \d+ lines of the build log \(failed phase BUILD\)$/);
    await lines.focus();
    await expect(lines).toBeFocused();
    await expect(why.getByTestId("log-console-link")).toHaveAttribute("href", /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=us-east-1#logsV2:log-groups\/log-group\/\$252Faws\$252Fcodebuild\$252Fportal\$252Fdemo-service-main-build\/log-events\/[0-9a-f-]{36}$/);
    await page.screenshot({ path: info.outputPath("why-build-failed.png"), fullPage: true });

    // At a phone's width the section fits (the log scrolls inside its block).
    await page.setViewportSize({ width: 390, height: 844 });
    expect((await why.boundingBox())!.width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: info.outputPath("why-build-failed-phone.png"), fullPage: true });
  });

  test("a key policy edited by hand: the explanation names the missing grant, its account and key; Repair leads to the plan", async ({ page, portal }, info) => {
    test.setTimeout(120_000);
    expect(pipelineUrl, "the pipeline onboarded by the test above").toBeTruthy();
    // As the tools account's administrator: drop the repo accounts' statement from the artifact key's policy.
    const kms = sandboxRootClient(KMSClient, TOOLS, { endpoint: portal.sandboxUrl });
    const alias = "alias/codepipeline-artifacts-us-east-1";
    const policy = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: alias, PolicyName: "default" }))).Policy!) as { Statement: { Sid?: string }[] };
    expect(policy.Statement.some((s) => s.Sid === "PortalRepoAccountsUse")).toBe(true);
    await kms.send(new PutKeyPolicyCommand({ KeyId: alias, PolicyName: "default", Policy: JSON.stringify({ ...policy, Statement: policy.Statement.filter((s) => s.Sid !== "PortalRepoAccountsUse") }) }));

    await signIn(page, users.engineer);
    await page.goto(pipelineUrl);
    await (await pushAndWaitForFailure(page, "e2e: needs the key")).getByTestId("why-failed-link").click();

    const first = page.getByTestId("why-failed").getByTestId("explanation").first();
    await expect(first).toHaveAttribute("data-kind", "kms-grant-missing");
    await expect(first.getByTestId("explanation-what")).toContainText("statement PortalRepoAccountsUse (Allow kms:Encrypt");
    await expect(first.getByTestId("explanation-what")).toContainText("(account 222222222222)) is missing");
    await expect(first.getByTestId("explanation-account")).toContainText(`(${TOOLS}), tools account`);
    await expect(first.getByTestId("explanation-resource")).toHaveText(new RegExp(`^arn:aws:kms:us-east-1:${TOOLS}:key/[0-9a-f-]{36}$`));
    await page.screenshot({ path: info.outputPath("why-kms-grant-missing.png"), fullPage: true });
    await first.getByTestId("explanation-repair").click();
    await expect(page).toHaveURL(/\/onboardings\/[^/]+\/plan$/);
  });
});
