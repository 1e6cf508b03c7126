import { expect } from "@playwright/test";
import { fillOnboardingForm, pressCreateOnboarding, submitOnboardingForm } from "./flows/onboard";
import { isolatedPortalTest } from "./isolated-portal";
import { signIn, users, confirmApply } from "./support";

// A portal of its own: this spec creates an onboarding, which the shared portal's specs expect absent.
const test = isolatedPortalTest("notifications");

test("opting in to notifications: recipients are validated, the plan and apply create the topic and rule, the onboarding page shows the topic ARN and the pending subscription", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const pipeline = `payments-notify-${Date.now().toString(36)}`;
  await signIn(page, users.engineer);
  await fillOnboardingForm(page, { repository: "payments-api", pipelineName: pipeline, buildProject: `${pipeline}-build` });

  const recipients = page.getByLabel("Email recipients");
  await expect(recipients).toBeDisabled();
  await page.getByLabel("Notify about failed runs and pending approvals").check();
  await recipients.fill("oncall@example.com, nope");
  await pressCreateOnboarding(page);
  await expect(page.locator("#notificationEmails-error")).toContainText("“nope” is not an email address.");
  await expect(recipients).toHaveAttribute("aria-invalid", "true");

  await recipients.fill("oncall@example.com");
  await submitOnboardingForm(page);
  const onboardingUrl = page.url().replace(/\/plan$/, "");
  await expect(page.getByTestId("plan-item").filter({ hasText: "Notifications topic (SNS)" })).toHaveAttribute("data-action", "create");
  await expect(page.getByTestId("plan-item").filter({ hasText: "Notification rule" })).toHaveAttribute("data-action", "create");

  await confirmApply(page);
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });

  await page.goto(onboardingUrl);
  await expect(page.getByTestId("notification-topic-arn")).toHaveText(
    /^arn:aws:sns:us-east-1:111111111111:crossline-payments-notify-[a-z0-9]+-[0-9a-f]{8}-notifications$/,
  );
  await expect(page.getByTestId("notification-subscription")).toContainText("oncall@example.com");
  await expect(page.getByTestId("notification-subscription")).toContainText("Pending confirmation");
});
