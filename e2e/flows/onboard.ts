// The onboarding form as a person fills it, in one place: every spec that onboards goes through here, so a change
// to the form is one edit. The fields not given are left as the form preselects them (and checked where the
// preselection is the point: the listed repository's default branch, the derived pipeline name).
import { expect, type Page } from "@playwright/test";
import { confirmApply } from "../support";

export const DEMO_TOOLS = "Demo tools (111111111111)";
export const DEMO_REPO = "Demo repo (222222222222)";

export type OnboardingForm = {
  /** The tools account's option label (default Demo tools); null leaves the select as it is. */
  tools?: string | null;
  /** The repo account's option label (default Demo repo). */
  repo?: string;
  /** The region the tools account preselects (checked; default us-east-1 for Demo tools). */
  region?: string;
  /** Left empty when omitted (for specs that look at the form before a repository is chosen). */
  repository?: string;
  /** The repository must appear in the list read from AWS (default); false where listing fails by design. */
  listed?: boolean;
  branch?: string;
  /** Typed when given; otherwise the derived `<repository>-<branch>` is checked. */
  pipelineName?: string;
  buildProject?: string;
  pipelineType?: "V1" | "V2";
  approval?: boolean;
  /** Ticks "Notify about failed runs and pending approvals" and types these recipients. */
  notificationEmails?: string;
};

/** Opens the onboarding form and fills it as `form` says; submits nothing. */
export async function fillOnboardingForm(page: Page, form: OnboardingForm = {}) {
  const tools = form.tools === undefined ? DEMO_TOOLS : form.tools;
  await page.goto("/onboardings/new");
  if (tools) {
    await page.getByLabel("Tools account", { exact: true }).selectOption({ label: tools });
    const region = form.region ?? (tools === DEMO_TOOLS ? "us-east-1" : undefined);
    if (region) await expect(page.getByLabel("Region", { exact: true })).toHaveValue(region);
  }
  await page.getByLabel("Repo account", { exact: true }).selectOption({ label: form.repo ?? DEMO_REPO });
  if (form.repository === undefined) return;

  const listed = form.listed ?? true;
  const repository = page.getByLabel("Repository", { exact: true });
  if (listed) await expect(page.getByTestId("repositoryName-options").locator(`option[value="${form.repository}"]`)).toHaveCount(1); // listed from AWS
  await repository.fill(form.repository);
  const branch = page.getByLabel("Branch", { exact: true });
  if (listed) await expect(branch).toHaveValue("main"); // the repository's default branch is preselected
  if (form.branch !== undefined) await branch.fill(form.branch);

  const pipelineName = page.getByLabel("Pipeline name");
  if (form.pipelineName !== undefined) await pipelineName.fill(form.pipelineName);
  else await expect(pipelineName).toHaveValue(`${form.repository}-${form.branch ?? "main"}`);
  if (form.buildProject !== undefined) await page.getByLabel("CodeBuild project name").fill(form.buildProject);
  if (form.pipelineType) await page.getByLabel(form.pipelineType, { exact: true }).check();
  if (form.approval) await page.getByLabel("Add a manual approval stage").check();
  if (form.notificationEmails !== undefined) {
    await page.getByLabel("Notify about failed runs and pending approvals").check();
    await page.getByLabel("Email recipients").fill(form.notificationEmails);
  }
}

/** Presses the form's submit button (for a refused submit: the caller checks the errors shown). */
export async function pressCreateOnboarding(page: Page) {
  await page.getByRole("button", { name: "Create onboarding and show the plan" }).click();
}

/** Submits the filled form; the plan page it leads to. Returns the new onboarding's id. */
export async function submitOnboardingForm(page: Page, timeout = 30_000): Promise<string> {
  await pressCreateOnboarding(page);
  await expect(page).toHaveURL(/\/onboardings\/[^/]+\/plan$/, { timeout });
  return onboardingIdOf(page);
}

export type Onboarded = { onboardingId: string; runId: string };

/** Fills, submits, applies from the plan page and waits for the run to succeed, on the run page. */
export async function onboardAndApply(page: Page, form: OnboardingForm): Promise<Onboarded> {
  await fillOnboardingForm(page, form);
  await submitOnboardingForm(page);
  return applyFromPlan(page);
}

/** On a plan page: Apply, confirm, and wait on the run page until the run succeeded. */
export async function applyFromPlan(page: Page): Promise<Onboarded> {
  await confirmApply(page);
  await expect(page).toHaveURL(/\/onboardings\/[^/]+\/runs\/[^/]+$/, { timeout: 30_000 });
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
  const [, onboardingId, runId] = /\/onboardings\/([^/]+)\/runs\/([^/]+)$/.exec(new URL(page.url()).pathname)!;
  return { onboardingId, runId };
}

/** The onboarding id of an /onboardings/<id>/… page. */
export function onboardingIdOf(page: Page): string {
  return new URL(page.url()).pathname.split("/")[2];
}
