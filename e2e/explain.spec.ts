// "Why this failed" in Chromium, on a portal of its own (fresh database and sandbox, short simulated action times)
// so that onboarding a pipeline here cannot disturb the specs that expect an empty portal: a push whose tests fail
// shows the build's log tail (GetLogEvents) with the CloudWatch console link; a key policy edited by hand shows the
// missing grant with its account and key, and Repair leads to the plan.
import { GetKeyPolicyCommand, KMSClient, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { sandboxRootClient } from "../lib/aws/client-factory";
import { expect, type Page } from "@playwright/test";
import { onboardAndApply } from "./flows/onboard";
import { seedAppliedOnboarding } from "./flows/seed";
import { isolatedPortalTest } from "./isolated-portal";
import { signIn, users } from "./support";

const PIPELINE = "demo-service-main";
const TOOLS = "111111111111";
const test = isolatedPortalTest("explain", { SANDBOX_ACTION_MS: "300" });

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

test.describe("why a run failed", () => {
  test("a push whose tests fail: the history links to the execution, which shows the build's log tail and the console link", async ({
    page,
  }, info) => {
    test.setTimeout(180_000);
    await signIn(page, users.engineer);
    await onboardAndApply(page, { repository: "demo-service" });
    await page.goto("/");
    await page.getByTestId(`onboarding-row-${PIPELINE}`).getByRole("link", { name: PIPELINE }).click();
    await expect(page).toHaveURL(/\/pipelines\/[^/]+$/);
    await expect(page.getByTestId("pipeline-status")).toHaveAttribute("data-status", "Succeeded", { timeout: 60_000 });

    await (await pushAndWaitForFailure(page, "e2e: break the tests [fail]")).getByTestId("why-failed-link").click();
    await expect(page).toHaveURL(/\/executions\/[0-9a-f-]+#why$/);

    const why = page.getByTestId("why-failed");
    await expect(why.getByRole("heading", { name: "Why this failed" })).toBeVisible();
    await expect(why).toContainText("Failed action: Build / Build in build phase BUILD");
    const explanation = why.getByTestId("explanation");
    await expect(explanation).toHaveCount(1);
    await expect(explanation).toHaveAttribute("data-kind", "build-command-failed");
    await expect(explanation.getByTestId("explanation-what")).toContainText(
      "A command of the build failed in phase BUILD: Error while executing command: npm test. Reason: exit status 1.",
    );
    await expect(explanation.getByTestId("explanation-account")).toContainText(`(${TOOLS}), tools account`);

    const lines = why.getByTestId("log-tail-lines");
    await expect(lines).toContainText("Command did not exit successfully npm test exit status 1");
    await expect(lines).toContainText("Phase complete: BUILD State: FAILED");
    await expect(lines).toHaveAttribute("tabindex", "0");
    await expect(lines).toHaveAttribute("aria-label", /^Last \d+ lines of the build log \(failed phase BUILD\)$/);
    await lines.focus();
    await expect(lines).toBeFocused();
    await expect(why.getByTestId("log-console-link")).toHaveAttribute(
      "href",
      /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=us-east-1#logsV2:log-groups\/log-group\/\$252Faws\$252Fcodebuild\$252Fportal\$252Fdemo-service-main-build\/log-events\/[0-9a-f-]{36}$/,
    );
    await page.screenshot({ path: info.outputPath("why-build-failed.png"), fullPage: true });

    // At a phone's width the section fits (the log scrolls inside its block).
    await page.setViewportSize({ width: 390, height: 844 });
    expect((await why.boundingBox())!.width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: info.outputPath("why-build-failed-phone.png"), fullPage: true });
  });

  test("a key policy edited by hand: the explanation names the missing grant, its account and key; Repair leads to the plan", async ({
    page,
    portal,
  }, info) => {
    test.setTimeout(120_000);
    await signIn(page, users.engineer);
    const { onboardingId } = await seedAppliedOnboarding(page, { repositoryName: "demo-service", pipelineName: "explain-key-policy" });
    await page.goto(`/pipelines/${onboardingId}`);
    // Its first run is over (it builds the branch's head, which the test above may have left failing on purpose).
    await expect(page.getByTestId("pipeline-status")).toHaveAttribute("data-status", /^(Succeeded|Failed)$/, { timeout: 60_000 });
    // As the tools account's administrator: drop the repo accounts' statement from the artifact key's policy.
    const kms = sandboxRootClient(KMSClient, TOOLS, { endpoint: portal.sandboxUrl });
    const alias = "alias/codepipeline-artifacts-us-east-1";
    const policy = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: alias, PolicyName: "default" }))).Policy!) as {
      Statement: { Sid?: string }[];
    };
    expect(policy.Statement.some((s) => s.Sid === "PortalRepoAccountsUse")).toBe(true);
    await kms.send(
      new PutKeyPolicyCommand({
        KeyId: alias,
        PolicyName: "default",
        Policy: JSON.stringify({ ...policy, Statement: policy.Statement.filter((s) => s.Sid !== "PortalRepoAccountsUse") }),
      }),
    );

    await page.reload();
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
