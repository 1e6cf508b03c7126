// Every page, for each role that may see it (from the access table), at 1440×900 and 390×844, light and dark:
// axe-core finds no violation (WCAG 2.0/2.1 A and AA, best practices) and the page never scrolls sideways. Plus
// the skip link, the current-page state of the navigation, and the phone menu. On a portal of its own: it
// onboards demo-service (with an approval stage, so the pipeline waits there) to have every page to visit.
//
// To add a page: add a row to PAGES (its path from the ids gathered in beforeAll, its access-table key, and
// the title it must carry).
import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";
import { ACCESS_TABLE, type PageKey } from "../lib/auth/access-table";
import { onboardAndApply } from "./flows/onboard";
import { isolatedPortalTest } from "./isolated-portal";
import { signIn, users } from "./support";

const test = isolatedPortalTest("accessibility", { SANDBOX_ACTION_MS: "300" });

type Who = "anonymous" | "admin" | "engineer" | "viewer";
type Ids = { accountId: string; onboardingId: string; runId: string; executionId: string; failedExecutionId: string; userId: string };
type PageSpec = {
  name: string;
  path: (ids: Ids) => string;
  /** The access-table entry deciding who sees it; null: every signed-in role. */
  key: PageKey | null;
  /** Overrides the access table (e.g. the sign-in page, which sends signed-in users away). */
  who?: Who[];
  title: string | RegExp;
  status?: number;
};

const PIPELINE = "demo-service-main";
const PAGES: PageSpec[] = [
  { name: "sign-in", path: () => "/signin", key: "/signin", who: ["anonymous"], title: "Sign in · Crossline" },
  { name: "dashboard", path: () => "/", key: "/", title: "Pipelines · Crossline" },
  { name: "accounts", path: () => "/accounts", key: "/accounts", title: "AWS accounts · Crossline" },
  { name: "account new", path: () => "/accounts/new", key: "/accounts/new", title: "Register AWS account · Crossline" },
  { name: "account", path: (x) => `/accounts/${x.accountId}`, key: "/accounts/[id]", title: "AWS account Demo tools · Crossline" },
  {
    name: "account edit",
    path: (x) => `/accounts/${x.accountId}/edit`,
    key: "/accounts/[id]/edit",
    title: "Edit AWS account Demo tools · Crossline",
  },
  { name: "onboardings", path: () => "/onboardings", key: "/onboardings", title: "Onboardings · Crossline" },
  { name: "onboarding new", path: () => "/onboardings/new", key: "/onboardings/new", title: "Onboard a repository · Crossline" },
  {
    name: "onboarding",
    path: (x) => `/onboardings/${x.onboardingId}`,
    key: "/onboardings/[id]",
    title: `Onboarding ${PIPELINE} · Crossline`,
  },
  {
    name: "onboarding edit",
    path: (x) => `/onboardings/${x.onboardingId}/edit`,
    key: "/onboardings/[id]/edit",
    title: `Edit onboarding ${PIPELINE} · Crossline`,
  },
  {
    name: "offboard",
    path: (x) => `/onboardings/${x.onboardingId}/offboard`,
    key: "/onboardings/[id]/offboard",
    title: `Offboard ${PIPELINE} · Crossline`,
  },
  {
    name: "plan",
    path: (x) => `/onboardings/${x.onboardingId}/plan`,
    key: "/onboardings/[id]/plan",
    title: `Plan for ${PIPELINE} · Crossline`,
  },
  {
    name: "run",
    path: (x) => `/onboardings/${x.onboardingId}/runs/${x.runId}`,
    key: "/onboardings/[id]/runs/[runId]",
    title: new RegExp(`^Run [0-9a-z]{8} · ${PIPELINE} · Crossline$`),
  },
  { name: "pipeline", path: (x) => `/pipelines/${x.onboardingId}`, key: "/pipelines/[id]", title: `Pipeline ${PIPELINE} · Crossline` },
  {
    name: "execution",
    path: (x) => `/pipelines/${x.onboardingId}/executions/${x.executionId}`,
    key: "/pipelines/[id]/executions/[executionId]",
    title: new RegExp(`^Execution [0-9a-f]{8} · ${PIPELINE} · Crossline$`),
  },
  {
    name: "failed execution",
    path: (x) => `/pipelines/${x.onboardingId}/executions/${x.failedExecutionId}`,
    key: "/pipelines/[id]/executions/[executionId]",
    title: new RegExp(`^Execution [0-9a-f]{8} · ${PIPELINE} · Crossline$`),
  },
  { name: "admin", path: () => "/admin", key: "/admin", title: "Admin · Crossline" },
  { name: "users", path: () => "/admin/users", key: "/admin/users", title: "Users · Crossline" },
  { name: "user new", path: () => "/admin/users/new", key: "/admin/users/new", title: "Create user · Crossline" },
  { name: "user", path: (x) => `/admin/users/${x.userId}`, key: "/admin/users/[id]", title: `User ${users.engineer} · Crossline` },
  { name: "audit", path: () => "/admin/audit", key: "/admin/audit", title: "Audit history · Crossline" },
  { name: "password", path: () => "/account/password", key: "/account/password", title: "Change password · Crossline" },
  { name: "forbidden", path: () => "/forbidden", key: "/forbidden", title: "Not allowed · Crossline" },
  {
    name: "404",
    path: () => "/no-such-page",
    key: null,
    who: ["anonymous", "admin", "engineer", "viewer"],
    title: "Not found · Crossline",
    status: 404,
  },
  {
    name: "unknown pipeline",
    path: () => "/pipelines/no-such-pipeline",
    key: "/pipelines/[id]",
    title: "Not found · Crossline",
    status: 404,
  },
];

const ROLES = ["admin", "engineer", "viewer"] as const;
const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
];
const SCHEMES = ["light", "dark"] as const;
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
const COLOUR_RULES = ["color-contrast", "link-in-text-block"];

function whoSees(p: PageSpec): Who[] {
  if (p.who) return p.who;
  if (!p.key) return [...ROLES];
  const rule = ACCESS_TABLE.find((r) => r.kind === "page" && r.key === p.key);
  if (!rule) throw new Error(`${p.key} is not in the access table`);
  return rule.roles === "public" ? ["anonymous", ...ROLES] : [...rule.roles];
}

/** Axe and the page width in each viewport and colour scheme, without reloading; every finding as one line. */
async function audit(page: Page, label: string): Promise<string[]> {
  const found: string[] = [];
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      const where = `${label} @${viewport.width} ${colorScheme}`;
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      if (scrollWidth > innerWidth) found.push(`${where}: page is ${scrollWidth} px wide in a ${innerWidth} px viewport`);
      // Only colours change with the scheme: the dark pass runs the colour rules alone (half the time).
      const axe = new AxeBuilder({ page }).withTags(AXE_TAGS);
      const result = await (colorScheme === "dark" ? axe.withRules(COLOUR_RULES) : axe).analyze();
      for (const v of result.violations)
        found.push(
          `${where}: ${v.id} (${v.impact}) ${v.nodes
            .map((n) => n.target.join(" "))
            .slice(0, 4)
            .join(" | ")}: ${v.nodes[0]?.failureSummary?.split("\n")[1]?.trim() ?? v.help}`,
        );
    }
  }
  return found;
}

/** Simulates a push from the pipeline page; the id of the execution it started. */
async function push(page: Page, message: string): Promise<string> {
  const item = page.locator('[data-testid="command-feedback-item"][data-command="push"]');
  const before = (await item.count()) ? await item.first().getAttribute("data-execution") : null;
  await page.getByLabel(/^Commit message for /).fill(message);
  await page.getByRole("button", { name: "Simulate push" }).click();
  if (before) await expect(item.first()).not.toHaveAttribute("data-execution", before);
  await expect(item.first()).toContainText(/execution [0-9a-f]{8} started\./);
  return (await item.first().getAttribute("data-execution"))!;
}

async function signedIn(browser: Browser, baseURL: string, who: Who): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  if (who !== "anonymous") await signIn(page, users[who]);
  return page;
}

test.describe("accessibility and layout", () => {
  let ids: Ids;

  test.beforeAll(async ({ browser, portal }) => {
    test.setTimeout(300_000);
    const page = await signedIn(browser, portal.url, "admin");
    const accountHref = await page
      .goto("/accounts")
      .then(() => page.getByTestId("account-row-111111111111").getByRole("link").getAttribute("href"));
    await page.goto("/admin/users");
    const userHref = await page.getByRole("link", { name: users.engineer, exact: true }).getAttribute("href");

    // Onboard demo-service with an approval stage and notifications: the onboarding page shows its Drift panel
    // and notifications section; the pipeline waits at the approval, so its page shows an approval card.
    const { onboardingId, runId } = await onboardAndApply(page, {
      repository: "demo-service",
      branch: "main",
      pipelineName: PIPELINE,
      approval: true,
      notificationEmails: "oncall@example.com",
    });

    // A failed build for the execution page's "Why this failed": push a commit whose tests fail ([fail]) behind
    // the first execution, approve both, then push once more so that the page ends with a pending approval.
    await page.goto(`/pipelines/${onboardingId}`);
    const card = (execution: string) => page.locator(`[data-testid="approval-card"][data-execution="${execution}"]`);
    const first = (await page.getByTestId("approval-card").first().getAttribute("data-execution", { timeout: 30_000 }))!;
    const failing = await push(page, "e2e: break the tests [fail]");
    await card(first).getByRole("button", { name: "Approve" }).click();
    await card(failing).getByRole("button", { name: "Approve" }).click({ timeout: 30_000 });
    await expect(page.locator(`[data-testid="history-row"][data-execution="${failing}"]`)).toHaveAttribute("data-status", "Failed", {
      timeout: 60_000,
    });
    const waiting = await push(page, "e2e: ready for review");
    await expect(card(waiting)).toBeVisible({ timeout: 30_000 });
    const executionHref = await page.getByTestId("latest-execution-link").getAttribute("href");
    // The pages show what they are here for.
    await page.goto(`/pipelines/${onboardingId}/executions/${failing}`);
    await expect(page.getByTestId("why-failed")).toBeVisible();
    await expect(page.getByTestId("log-tail-lines")).toBeVisible();
    await page.goto(`/onboardings/${onboardingId}`);
    await expect(page.getByTestId("drift-panel")).toBeVisible();
    await expect(page.getByTestId("notification-topic-arn")).toBeVisible();
    ids = {
      accountId: accountHref!.split("/").pop()!,
      userId: userHref!.split("/").pop()!,
      onboardingId,
      runId,
      executionId: executionHref!.split("/").pop()!,
      failedExecutionId: failing,
    };
    await page.context().close();
  });

  for (const who of ["anonymous", ...ROLES] as Who[]) {
    const pages = PAGES.filter((p) => whoSees(p).includes(who));
    test(`${who}: ${pages.length} pages without axe violations or sideways scroll, light and dark, desktop and phone`, async ({
      browser,
      portal,
    }) => {
      test.setTimeout(1_500_000);
      const page = await signedIn(browser, portal.url, who);
      const found: string[] = [];
      for (const p of pages) {
        const path = p.path(ids);
        await page.setViewportSize(VIEWPORTS[0]);
        const res = await page.goto(path);
        expect.soft(res?.status(), `${p.name} status`).toBe(p.status ?? 200);
        expect.soft(new URL(page.url()).pathname, `${p.name} was not redirected`).toBe(path);
        await expect.soft(page, `${p.name} title`).toHaveTitle(p.title);
        const started = Date.now();
        const here = await audit(page, `${who} ${p.name} ${path}`);
        // Progress on the reporter's output, so that a slow or failing run still says where it was.
        console.log(
          `${who} ${p.name}: ${here.length} findings in ${((Date.now() - started) / 1000).toFixed(1)} s${here.map((f) => `\n  ${f}`).join("")}`,
        );
        found.push(...here);
      }
      expect(found).toEqual([]);
      await page.context().close();
    });
  }

  test("the skip link is the first stop and moves focus to the content; the navigation marks the current page", async ({
    browser,
    portal,
  }) => {
    const page = await signedIn(browser, portal.url, "viewer");
    await page.goto("/accounts");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press("Enter");
    await expect(page.locator("main#main")).toBeFocused();

    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "AWS accounts" })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link", { name: "Pipelines" })).not.toHaveAttribute("aria-current");
    await page.goto(`/accounts/${ids.accountId}`);
    await expect(nav.getByRole("link", { name: "AWS accounts" })).toHaveAttribute("aria-current", "true");
    await page.goto(`/pipelines/${ids.onboardingId}`);
    await expect(nav.getByRole("link", { name: "Pipelines" })).toHaveAttribute("aria-current", "true");
    await expect(nav.locator("[aria-current]")).toHaveCount(1);
    await page.context().close();
  });

  test("on a phone the header is a menu button: it opens from the keyboard over the page, Escape closes it", async ({
    browser,
    portal,
  }) => {
    const page = await signedIn(browser, portal.url, "admin");
    await page.setViewportSize(VIEWPORTS[1]);
    await page.goto("/");
    const button = page.getByRole("button", { name: "Menu" });
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(button).toHaveAttribute("aria-expanded", "false");
    await expect(button).toHaveAttribute("aria-controls", "site-menu");
    await expect(nav).toBeHidden();
    const mainTop = (await page.locator("main").boundingBox())!.y;

    // Keyboard only: skip link, logo, menu button.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await expect(button).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(button).toHaveAttribute("aria-expanded", "true");
    await expect(nav.getByRole("link", { name: "Admin" })).toBeVisible();
    await expect(page.locator("#site-menu").getByTestId("current-user")).toContainText(users.admin);
    expect((await page.locator("main").boundingBox())!.y).toBe(mainTop); // opening it moved nothing
    const found: string[] = [];
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
      found.push(...violations.map((v) => `${colorScheme}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`));
    }
    expect(found).toEqual([]);
    await page.keyboard.press("Tab");
    await expect(nav.getByRole("link", { name: "Pipelines" })).toBeFocused();

    await page.keyboard.press("Escape");
    await expect(button).toHaveAttribute("aria-expanded", "false");
    await expect(nav).toBeHidden();
    await expect(button).toBeFocused();

    // Following a link closes it.
    await page.keyboard.press("Enter");
    await nav.getByRole("link", { name: "AWS accounts" }).click();
    await expect(page).toHaveURL(/\/accounts$/);
    await expect(button).toHaveAttribute("aria-expanded", "false");

    // On a wide screen there is no menu button: the navigation is inline.
    await page.setViewportSize(VIEWPORTS[0]);
    await expect(button).toBeHidden();
    await expect(nav).toBeVisible();
    await page.context().close();
  });
});
