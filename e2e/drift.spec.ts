// Drift in Chromium, on a portal of its own (fresh database and sandbox: the other specs expect an empty portal):
// onboard demo-service, then an administrator disables the start rule and removes the event bus permission by hand;
// "Verify now" shows both with their diffs and first-seen time, the dashboard marks the pipeline "Drifted", one
// click on Repair runs the apply, and the schedule's verify after it shows everything in sync again.
import { expect } from "@playwright/test";
import { deriveResourceNames } from "@/lib/names/derive";
import { specOf } from "@/lib/runs/spec";
import { adminClients, disableRule, removeBusPermission } from "../tests/support/drift";
import { onboardAndApply } from "./flows/onboard";
import { isolatedPortalTest } from "./isolated-portal";
import { signIn, users } from "./support";

const PIPELINE = "demo-service-main";
const test = isolatedPortalTest("drift", { SANDBOX_ACTION_MS: "300" });

test("a drifted onboarding is shown with its diff on the dashboard and its page, repaired with one click, then in sync", async ({
  page,
  portal,
}, info) => {
  test.setTimeout(180_000);
  await signIn(page, users.engineer);
  const { onboardingId: id } = await onboardAndApply(page, { repository: "demo-service" });

  // An administrator of the tools account disables the start rule and removes the bus permission by hand.
  const names = deriveResourceNames(
    specOf({
      id,
      region: "us-east-1",
      repositoryName: "demo-service",
      branchName: "main",
      pipelineName: PIPELINE,
      pipelineType: "V1",
      buildMode: "create",
      buildProject: `${PIPELINE}-build`,
      approval: false,
      toolsAccount: { accountId: "111111111111" },
      repoAccount: { accountId: "222222222222" },
    }),
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
