// Approvals, stops and confirmations on the pipeline page, in Chromium, on a portal of its own (fresh database and
// sandbox, short simulated action times): two executions in flight, the card names the one in the Approval stage
// and its commit (not the newest push), approving it builds exactly that commit and the audit record carries its
// execution id; an older in-progress execution is stopped from its history row; every confirmation dialog (Apply,
// Stop, Reject, Retry) opens, says what will happen, closes on Escape without acting, and acts on confirm.
import { expect, type Locator, type Page } from "@playwright/test";
import { fillOnboardingForm, submitOnboardingForm } from "./flows/onboard";
import { seedAppliedOnboarding } from "./flows/seed";
import { isolatedPortalTest } from "./isolated-portal";
import { signIn, users } from "./support";

const PIPELINE = "demo-service-main";
const test = isolatedPortalTest("approvals", { SANDBOX_ACTION_MS: "400" });

const stageOf = (page: Page, name: string) => page.getByTestId(`stage-${name}`);
const row = (page: Page, executionId: string) => page.locator(`[data-testid="history-row"][data-execution="${executionId}"]`);

/** Opens a confirmation, checks what it says, presses Escape: closed, focus back on the trigger, nothing sent. */
async function escapeCloses(page: Page, trigger: Locator, dialog: Locator, says: RegExp | string) {
  let actions = 0;
  const count = (r: import("@playwright/test").Request) => {
    if (r.method() === "POST" && r.headers()["next-action"]) actions++;
  };
  page.on("request", count);
  // A click that lands before the page has hydrated does nothing: click again until the dialog opens.
  await expect(async () => {
    if (!(await dialog.isVisible())) await trigger.click({ timeout: 2_000 });
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(dialog).toHaveAttribute("open", "");
  await expect(dialog).toContainText(says);
  // Focus moved into the dialog (the rest of the page is inert while it is open).
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await page.keyboard.press("Tab");
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(trigger).toBeFocused();
  page.off("request", count);
  expect(actions, "Escape sent no command").toBe(0);
}

async function push(page: Page, message: string): Promise<{ commit: string; execution: string }> {
  const pushItem = page.locator('[data-testid="command-feedback-item"][data-command="push"]');
  const before = (await pushItem.count()) ? await pushItem.textContent() : null;
  await page.getByLabel(/^Commit message for /).fill(message);
  await page.getByRole("button", { name: "Simulate push" }).click();
  const item = page.getByTestId("command-feedback-item").first();
  // The push's own answer replaces the previous push's message (one message per command), on top.
  if (before) await expect(item).not.toHaveText(before);
  await expect(item).toHaveAttribute("data-command", "push");
  await expect(item).toContainText(new RegExp(`Pushed [0-9a-f]{7} to demo-service@main: execution [0-9a-f]{8} started\\.`));
  const execution = (await item.getAttribute("data-execution"))!;
  const text = (await item.textContent())!;
  return { commit: /Pushed ([0-9a-f]{7})/.exec(text)![1], execution };
}

test.describe("approvals, stops and confirmations", () => {
  test("two executions in flight: approve the one in the Approval stage, its commit builds, the audit names it; stop an older one from its row; every confirmation dialog", async ({
    page,
    browser,
    portal,
  }) => {
    test.setTimeout(420_000);
    await signIn(page, users.engineer);

    // ---- Apply's confirmation: says what it writes where; Escape does nothing; confirm applies.
    await fillOnboardingForm(page, { repository: "demo-service", approval: true });
    await submitOnboardingForm(page);
    const applyDialog = page.getByTestId("apply-dialog");
    await escapeCloses(
      page,
      page.getByTestId("apply-open"),
      applyDialog,
      /Apply writes IAM, KMS, S3, .*policies and resources in accounts Demo tools \(111111111111\) and Demo repo \(222222222222\): \d+ to create\./,
    );
    await expect(page).toHaveURL(/\/plan$/);
    await page.getByTestId("apply-open").click();
    await applyDialog.getByRole("button", { name: "Apply", exact: true }).click();
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });

    await page.goto("/");
    await page.getByTestId(`onboarding-row-${PIPELINE}`).getByRole("link", { name: PIPELINE }).click();
    await expect(page).toHaveURL(/\/pipelines\/[^/]+$/);
    const pipelineUrl = page.url();
    const onboardingId = pipelineUrl.split("/").pop()!;

    // ---- The first run (CreatePipeline) waits for approval: stop it from its history row (Stop dialog).
    await expect(stageOf(page, "Approval")).toHaveAttribute("data-status", "InProgress", { timeout: 30_000 });
    await expect(page.getByTestId("history-row").first().getByTestId("revision-message")).toHaveText("Add service entry point", {
      timeout: 15_000,
    });
    const first = (await page.getByTestId("history-row").first().getAttribute("data-execution"))!;
    const firstStop = page.getByTestId(`stop-form-${first}`);
    await escapeCloses(
      page,
      firstStop.getByTestId(`stop-row-${first}`),
      firstStop.getByTestId("stop-dialog"),
      `Stop and wait for execution ${first.slice(0, 8)}`,
    );
    await expect(row(page, first)).toHaveAttribute("data-status", "InProgress");
    await firstStop.getByTestId(`stop-row-${first}`).click();
    await firstStop.getByTestId("stop-dialog").getByLabel("Stop and abandon").check();
    await expect(firstStop.getByTestId("stop-dialog-summary")).toContainText(`Stop and abandon execution ${first.slice(0, 8)} (revision `);
    await firstStop.getByTestId("stop-dialog").getByRole("button", { name: "Stop and abandon" }).click();
    await expect(page.getByTestId("command-feedback-item").first()).toHaveAttribute("data-execution", first);
    await expect(page.getByTestId("command-feedback-item").first()).toContainText("stopped: running actions were abandoned");
    await expect(row(page, first)).toHaveAttribute("data-status", "Stopped", { timeout: 15_000 });

    // ---- Two pushes: A reaches the Approval stage, B runs Source and waits at the boundary.
    const a = await push(page, "e2e: change A");
    await expect(page.locator(`[data-testid="approval-card"][data-execution="${a.execution}"]`)).toBeVisible({ timeout: 30_000 });
    const b = await push(page, "e2e: change B");
    await expect(row(page, b.execution)).toHaveAttribute("data-status", "InProgress", { timeout: 15_000 });
    await expect(page.getByTestId("latest-execution-link")).toHaveText(b.execution.slice(0, 8), { timeout: 15_000 });
    await expect
      .poll(async () => await page.getByTestId("history-row").first().getAttribute("data-execution"), { timeout: 15_000 })
      .toBe(b.execution);
    // Let B finish Source: it then waits for A to leave the Approval stage.
    await expect(row(page, b.execution).getByTestId("revision-message")).toHaveText("e2e: change B", { timeout: 15_000 });

    // The one card names A (the execution in the stage) and A's commit, not the newest push.
    const cards = page.getByTestId("approval-card");
    await expect(cards).toHaveCount(1);
    const card = cards.first();
    await expect(card).toHaveAttribute("data-execution", a.execution);
    await expect(card.getByTestId("approval-execution")).toHaveText(a.execution.slice(0, 8));
    await expect(card.getByTestId("approval-revision")).toContainText(a.commit);
    await expect(card.getByTestId("approval-revision")).toContainText("e2e: change A");
    await expect(card).not.toContainText(b.commit);

    await card.getByLabel("Comment").fill("ship A");
    await card.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByTestId("command-feedback-item").first()).toContainText(
      `Approved Approval / Approve of execution ${a.execution.slice(0, 8)} (commit ${a.commit}).`,
    );
    // The Build stage runs A's execution, hence A's commit.
    await expect(stageOf(page, "Build")).toHaveAttribute("data-execution", a.execution, { timeout: 30_000 });
    await expect(row(page, a.execution)).toHaveAttribute("data-status", "Succeeded", { timeout: 30_000 });
    await page.goto(`${pipelineUrl}/executions/${a.execution}`);
    await expect(page.getByTestId("exec-action-Build")).toBeVisible();
    await expect(page.getByTestId("exec-action-Source")).toContainText("e2e: change A");
    await page.goto(pipelineUrl);

    // B now waits in Approval with its own card.
    await expect(page.locator(`[data-testid="approval-card"][data-execution="${b.execution}"]`)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId("approval-card").first().getByTestId("approval-revision")).toContainText(b.commit);

    // ---- A third push C waits behind B; stop the OLDER in-progress execution (B) from its row.
    const c = await push(page, "e2e: change C");
    await expect(row(page, c.execution).getByTestId("revision-message")).toHaveText("e2e: change C", { timeout: 15_000 });
    await expect(row(page, b.execution)).toHaveAttribute("data-status", "InProgress");
    const bStop = page.getByTestId(`stop-form-${b.execution}`);
    await bStop.getByTestId(`stop-row-${b.execution}`).click();
    await bStop.getByTestId("stop-dialog").getByLabel("Stop and abandon").check();
    await bStop.getByTestId("stop-dialog").getByRole("button", { name: "Stop and abandon" }).click();
    await expect(row(page, b.execution)).toHaveAttribute("data-status", "Stopped", { timeout: 15_000 });
    await expect(row(page, c.execution)).toHaveAttribute("data-status", "InProgress");
    await expect(page.locator(`[data-testid="approval-card"][data-execution="${c.execution}"]`)).toBeVisible({ timeout: 30_000 });

    // ---- Reject's confirmation: Escape leaves C waiting; confirm rejects it.
    const cCard = page.locator(`[data-testid="approval-card"][data-execution="${c.execution}"]`);
    await cCard.getByLabel("Comment").fill("not C");
    await escapeCloses(
      page,
      cCard.getByRole("button", { name: "Reject…" }),
      cCard.getByTestId("reject-dialog"),
      `Rejects Approval / Approve of execution ${c.execution.slice(0, 8)} (revision ${c.commit}`,
    );
    await expect(cCard).toBeVisible();
    await cCard.getByRole("button", { name: "Reject…" }).click();
    await cCard.getByTestId("reject-dialog").getByRole("button", { name: "Reject", exact: true }).click();
    await expect(page.getByTestId("command-feedback-item").first()).toContainText(
      `Rejected Approval / Approve of execution ${c.execution.slice(0, 8)}`,
    );
    await expect(row(page, c.execution)).toHaveAttribute("data-status", "Failed", { timeout: 15_000 });

    // ---- Retry's confirmation, on C's execution page.
    await page.goto(`${pipelineUrl}/executions/${c.execution}`);
    const retryForm = page.getByTestId("retry-form-Approval");
    await escapeCloses(
      page,
      retryForm.getByRole("button", { name: "Retry failed actions…" }),
      retryForm.getByTestId("retry-dialog-Approval-failed"),
      `Runs the failed and abandoned actions of stage Approval of execution ${c.execution.slice(0, 8)}`,
    );
    await expect(page.getByTestId("execution-status")).toHaveAttribute("data-status", "Failed");
    await retryForm.getByRole("button", { name: "Retry failed actions…" }).click();
    await retryForm.getByTestId("retry-dialog-Approval-failed").getByRole("button", { name: "Retry failed actions" }).click();
    await expect(page.getByTestId("command-feedback-item").first()).toContainText("Retrying the failed actions of stage Approval.");
    await expect(page.getByTestId("execution-status")).toHaveAttribute("data-status", "InProgress", { timeout: 15_000 });

    // ---- Stop on the execution page, and a failed stop shown after a success: stop C (abandon), then again.
    await page.getByTestId("stop-open").click();
    await page.getByTestId("stop-dialog").getByLabel("Stop and abandon").check();
    await page.getByTestId("stop-dialog").getByRole("button", { name: "Stop and abandon" }).click();
    await expect(page.getByTestId("command-feedback-item").first()).toHaveAttribute("data-outcome", "ok");
    await expect(page.getByTestId("execution-status")).toHaveAttribute("data-status", "Stopped", { timeout: 15_000 });

    // ---- The audit record of the approval names A's execution and commit (an admin reads it).
    const admin = await browser.newContext({ baseURL: portal.url });
    const apage = await admin.newPage();
    await signIn(apage, users.admin);
    await apage.goto(`/admin/audit?action=pipelines.approve&targetType=pipeline&targetId=${onboardingId}&outcome=success`);
    const approvedRow = apage.locator('[data-testid^="audit-row-"]').filter({ hasText: a.execution }).first();
    await expect(approvedRow).toContainText("ship A");
    await expect(approvedRow).toContainText('"decision": "Approved"');
    const exported = await apage.request.get(
      `/api/admin/audit/export?format=json&action=pipelines.approve&targetType=pipeline&targetId=${onboardingId}&outcome=success`,
    );
    const events = JSON.parse(await exported.text()) as { details: string | Record<string, unknown> }[];
    const details = events.map((e) => (typeof e.details === "string" ? JSON.parse(e.details) : e.details));
    expect(details).toContainEqual(
      expect.objectContaining({
        executionId: a.execution,
        decision: "Approved",
        comment: "ship A",
        revision: expect.stringMatching(new RegExp(`^${a.commit}`)),
      }),
    );
    expect(details).toContainEqual(
      expect.objectContaining({
        executionId: c.execution,
        decision: "Rejected",
        comment: "not C",
        revision: expect.stringMatching(new RegExp(`^${c.commit}`)),
      }),
    );
    await admin.close();
  });

  test("an unknown execution and an unknown pipeline answer 404", async ({ page }) => {
    await signIn(page, users.engineer);
    const { onboardingId } = await seedAppliedOnboarding(page, { repositoryName: "demo-service", pipelineName: "approvals-not-found" });
    const unknownExecution = await page.goto(`/pipelines/${onboardingId}/executions/00000000-0000-0000-0000-000000000000`);
    expect(unknownExecution!.status()).toBe(404);
    await expect(page.getByTestId("pipeline-not-found")).toBeVisible();
    const unknownPipeline = await page.goto("/pipelines/no-such-pipeline");
    expect(unknownPipeline!.status()).toBe(404);
  });
});
