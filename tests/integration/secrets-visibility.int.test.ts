// Issue 17, item 8: build logs and project settings of other teams. A fully applied onboarding whose CodeBuild
// project an administrator gave plain-text environment variables (a GitHub token, a database password, an access
// key id, an ordinary value); a push whose build prints them ([printenv], sandbox/README.md) and fails. Then, as a
// signed-in viewer and as an engineer, through the real execution page, the plan page and the plan JSON route:
//   - viewer: no log line and no environment value reaches them (the page's whole element tree and the route's
//     body are searched); each refusal is audited as `data.read` denied;
//   - engineer: the log tail and the values are there, with the secrets masked and ordinary values intact.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "user-agent": "secrets-visibility", "x-crossline-client-ip": "203.0.113.11" }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

const { BatchGetProjectsCommand, CodeBuildClient, UpdateProjectCommand } = await import("@aws-sdk/client-codebuild");
const { CodePipelineClient, GetPipelineExecutionCommand } = await import("@aws-sdk/client-codepipeline");
const { db } = await import("@/lib/db");
const { simulatePush } = await import("@/lib/pipelines/commands");
const { clearExplainCache } = await import("@/lib/explain");
const { clearPipelineCaches } = await import("@/lib/pipelines/read");
const { MASK, WITHHELD } = await import("@/lib/security/mask-secrets");
const { applyRun, namesOf, onboard } = await import("../support/provision");
const { createRepository, ctxFor, freshAccountId, registerAccount, rootClient, setFaults, testUser } = await import("../support/world");

const REPO = "222222222222";
const SECRETS = {
  GITHUB_TOKEN: "ghp_Zq7vK2mN9pL4xR8tY1wB3cD6fG0hJ5sA2eU7",
  DB_PASSWORD: "hunter2-Vx9Qe",
  UPLOAD_ID: "AKIAIOSFODNN7EXAMPLE",
} as const;
const ORDINARY = { STAGE: "blue-canary-7" } as const;
const everyValue = [...Object.values(SECRETS), ...Object.values(ORDINARY)];

let engineer: CurrentUser;
let viewer: CurrentUser;
let onboardingId: string;
let failedExecutionId: string;

async function waitDone(cp: InstanceType<typeof CodePipelineClient>, pipelineName: string, executionId: string): Promise<string> {
  const end = Date.now() + 60_000;
  for (;;) {
    const e = (await cp.send(new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: executionId }))).pipelineExecution!;
    if (e.status !== "InProgress" && e.status !== "Stopping") return e.status!;
    if (Date.now() > end) throw new Error(`execution ${executionId} still ${e.status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  engineer = await testUser("engineer");
  viewer = await testUser("viewer");
  await setFaults({ actionMs: 50 });
  const tools = await registerAccount(freshAccountId(9), "tools");
  const repo = await registerAccount(REPO, "repo", "Demo repo");
  const repositoryName = `secrets-${Date.now().toString(36)}`;
  await createRepository(REPO, repositoryName);
  const o = await onboard(engineer, { toolsDbId: tools.id, repoDbId: repo.id, repositoryName, pipelineName: `${repositoryName}-main` });
  onboardingId = o.id;
  const applied = await applyRun(engineer, onboardingId);
  expect({ outcome: applied.outcome, failures: applied.failures }).toEqual({ outcome: "succeeded", failures: [] });
  const names = await namesOf(onboardingId);
  const cp = rootClient(CodePipelineClient, names.toolsAccountId);

  // The tools account's administrator gives the build project plain-text variables, as teams do.
  const cb = rootClient(CodeBuildClient, names.toolsAccountId);
  const project = (await cb.send(new BatchGetProjectsCommand({ names: [names.codeBuild.projectName] }))).projects![0];
  const environmentVariables = Object.entries({ ...SECRETS, ...ORDINARY }).map(([name, value]) => ({
    name,
    value,
    type: "PLAINTEXT" as const,
  }));
  await cb.send(new UpdateProjectCommand({ name: project.name!, environment: { ...project.environment!, environmentVariables } }));

  // A push whose build prints its environment and fails: the log holds the secrets.
  const pushed = await simulatePush({ id: onboardingId, message: "Debug the deploy [printenv] [fail]" }, ctxFor(engineer));
  failedExecutionId = pushed.executionIds[0];
  expect(await waitDone(cp, names.pipeline.name, failedExecutionId)).toBe("Failed");
}, 120_000);
afterAll(async () => {
  await setFaults({});
});

/** Everything a page passes to its components (functions and symbols drop out), as one string to search. */
async function renderPage(file: string, params: Record<string, string>): Promise<{ text: string; tree: unknown }> {
  clearExplainCache();
  clearPipelineCaches();
  const mod = await import(/* @vite-ignore */ file);
  const tree = await mod.default({ params: Promise.resolve(params), searchParams: Promise.resolve({}) });
  return { text: dataOf(tree), tree };
}

/** The data in an element tree: props and children; component types and React's bookkeeping left out, cycles cut. */
function dataOf(tree: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(tree, (key, value) => {
    if (key === "type" && typeof value !== "string") return undefined;
    if (key === "_owner" || key === "_store" || key === "_debugInfo" || key === "_debugStack" || key === "_debugTask") return undefined;
    if (value && typeof value === "object") {
      if (seen.has(value)) return undefined;
      seen.add(value);
    }
    return value;
  });
}

/** The props of the first element in the tree whose props hold `key`. */
function findProp(tree: unknown, key: string): unknown {
  const seen = new Set<unknown>();
  const walk = (n: unknown): unknown => {
    if (!n || typeof n !== "object" || seen.has(n)) return undefined;
    seen.add(n);
    const props = (n as { props?: Record<string, unknown> }).props;
    if (props && key in props) return props[key];
    for (const v of Object.values(props ?? (n as Record<string, unknown>))) {
      const found = walk(v);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(tree);
}

const executionPage = () =>
  renderPage("@/app/pipelines/[id]/executions/[executionId]/page", { id: onboardingId, executionId: failedExecutionId });
const planPage = () => renderPage("@/app/onboardings/[id]/plan/page", { id: onboardingId });

async function planJson(): Promise<{ status: number; text: string }> {
  const { GET } = await import("@/app/api/onboardings/[id]/plan/route");
  const res: Response = await GET(new Request(`http://portal.test/api/onboardings/${onboardingId}/plan`), {
    params: Promise.resolve({ id: onboardingId }),
  });
  return { status: res.status, text: await res.text() };
}

const deniedReads = (user: CurrentUser, key: string) =>
  db.auditEvent.count({ where: { actorEmail: user.email, action: "data.read", targetId: key, outcome: "denied" } });

/** The Project document's current environment variables in a plan. */
function projectVariables(plan: { items: { stepKey: string; documents: { title: string; current: unknown }[] }[] }) {
  const doc = plan.items.find((i) => i.stepKey === "tools.codebuild-project")!.documents.find((d) => d.title === "Project")!;
  return (doc.current as { environment: { environmentVariables: { name: string; value: string }[] } }).environment.environmentVariables;
}

describe("a viewer", () => {
  it("gets no build-log line on the failed execution's page, only who may see them; the refusal is audited", async () => {
    session.user = viewer;
    const before = await deniedReads(viewer, "pipelines.logs.read");
    const { text, tree } = await executionPage();
    const why = findProp(tree, "x") as { buildLog?: { lines: string[]; withheld?: string; deepLink?: string } };
    expect(why.buildLog).toMatchObject({ lines: [], withheld: expect.stringContaining("shown to engineers and admins") });
    expect(why.buildLog!.deepLink).toBeUndefined();
    for (const v of everyValue) expect(text).not.toContain(v);
    expect(text).not.toContain("Phase complete: BUILD State: FAILED");
    expect(text).not.toContain("Running command printenv");
    expect(await deniedReads(viewer, "pipelines.logs.read")).toBe(before + 1);
  });

  it("gets no environment value in the plan JSON nor on the plan page (names only); refusals audited", async () => {
    session.user = viewer;
    const before = await deniedReads(viewer, "onboardings.plan.secrets");
    const json = await planJson();
    expect(json.status).toBe(200);
    for (const v of everyValue) expect(json.text).not.toContain(v);
    expect(projectVariables(JSON.parse(json.text))).toEqual(
      Object.keys({ ...SECRETS, ...ORDINARY }).map((name) => ({ name, value: WITHHELD, type: "PLAINTEXT" })),
    );

    const { text, tree } = await planPage();
    for (const v of everyValue) expect(text).not.toContain(v);
    expect(projectVariables(findProp(tree, "plan") as never).map((v) => v.value)).toEqual(everyValue.map(() => WITHHELD));
    expect(await deniedReads(viewer, "onboardings.plan.secrets")).toBe(before + 2);
  });
});

describe("an engineer", () => {
  it("gets the log tail with the secrets masked and the rest as the build wrote it", async () => {
    session.user = engineer;
    const { text, tree } = await executionPage();
    const lines = (findProp(tree, "x") as { buildLog: { lines: string[] } }).buildLog.lines;
    expect(lines).toEqual(
      expect.arrayContaining([`GITHUB_TOKEN=${MASK}`, `DB_PASSWORD=${MASK}`, `UPLOAD_ID=AKIA${MASK}`, `STAGE=${ORDINARY.STAGE}`]),
    );
    expect(lines.some((l) => l.endsWith("Phase complete: BUILD State: FAILED"))).toBe(true);
    // The search above covers the log: its masked lines are in the same text.
    expect(text).toContain(`GITHUB_TOKEN=${MASK}`);
    for (const v of Object.values(SECRETS)) expect(text).not.toContain(v);
    expect(await deniedReads(engineer, "pipelines.logs.read")).toBe(0);
  });

  it("gets the project's environment values in the plan JSON and page, secrets masked", async () => {
    session.user = engineer;
    const expected = [
      { name: "GITHUB_TOKEN", value: MASK, type: "PLAINTEXT" },
      { name: "DB_PASSWORD", value: MASK, type: "PLAINTEXT" },
      { name: "UPLOAD_ID", value: `AKIA${MASK}`, type: "PLAINTEXT" },
      { name: "STAGE", value: ORDINARY.STAGE, type: "PLAINTEXT" },
    ];
    const json = await planJson();
    for (const v of Object.values(SECRETS)) expect(json.text).not.toContain(v);
    expect(projectVariables(JSON.parse(json.text))).toEqual(expected);
    const { text, tree } = await planPage();
    expect(text).toContain(ORDINARY.STAGE);
    for (const v of Object.values(SECRETS)) expect(text).not.toContain(v);
    expect(projectVariables(findProp(tree, "plan") as never)).toEqual(expected);
    expect(await deniedReads(engineer, "onboardings.plan.secrets")).toBe(0);
  });
});
