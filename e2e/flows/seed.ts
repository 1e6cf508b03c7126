// The fast path for a test that needs an onboarding but is not about the form: the portal's own JSON commands
// (POST /api/onboardings, POST /api/onboardings/[id]/apply, GET /api/runs/[runId]; the same service functions as
// the form and the plan page's Apply), as the signed-in user of `page`. The form itself is e2e/flows/onboard.ts.
import { expect, type Page } from "@playwright/test";

export type Seed = {
  repositoryName: string;
  pipelineName: string;
  branchName?: string;
  pipelineType?: "V1" | "V2";
  approval?: boolean;
  /** AWS account ids of registered accounts (default the demo accounts). */
  toolsAccount?: string;
  repoAccount?: string;
};

export type Seeded = { onboardingId: string; planUrl: string };

/** The portal's id of a registered account, read from the accounts page. */
async function accountDbId(page: Page, awsAccountId: string): Promise<string> {
  const html = await (await page.request.get("/accounts")).text();
  const id = new RegExp(`data-testid="account-row-${awsAccountId}"[^]*?href="/accounts/([^"/]+)"`).exec(html)?.[1];
  if (!id) throw new Error(`account ${awsAccountId} is not registered in this portal`);
  return id;
}

/** Creates an onboarding (a draft with its plan); nothing is applied. */
export async function seedOnboarding(page: Page, seed: Seed): Promise<Seeded> {
  const [toolsAccountId, repoAccountId] = [
    await accountDbId(page, seed.toolsAccount ?? "111111111111"),
    await accountDbId(page, seed.repoAccount ?? "222222222222"),
  ];
  const res = await page.request.post("/api/onboardings", {
    data: {
      toolsAccountId,
      repoAccountId,
      region: "us-east-1",
      repositoryName: seed.repositoryName,
      branchName: seed.branchName ?? "main",
      pipelineName: seed.pipelineName,
      pipelineType: seed.pipelineType ?? "V2",
      buildMode: "create",
      buildProject: `${seed.pipelineName}-build`,
      approval: seed.approval ?? false,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { id, planUrl } = (await res.json()) as { id: string; planUrl: string };
  return { onboardingId: id, planUrl };
}

/** Creates an onboarding and applies it; returns once its run succeeded (the pipeline exists and has started). */
export async function seedAppliedOnboarding(page: Page, seed: Seed): Promise<Seeded & { runId: string }> {
  const seeded = await seedOnboarding(page, seed);
  const res = await page.request.post(`/api/onboardings/${seeded.onboardingId}/apply`, { data: {} });
  expect(res.status(), await res.text()).toBe(202);
  const { runId } = (await res.json()) as { runId: string };
  let progress: { status: string; error?: string | null } = { status: "queued" };
  await expect
    .poll(async () => (progress = await (await page.request.get(`/api/runs/${runId}`)).json()).status, {
      timeout: 120_000,
      intervals: [500],
    })
    .toMatch(/^(succeeded|failed|cancelled)$/);
  expect(progress.status, `the seeded apply run: ${progress.error ?? ""}`).toBe("succeeded");
  return { ...seeded, runId };
}
