// The JSON routes scripts and drills drive the portal with (POST /api/onboardings, POST /api/onboardings/[id]/apply):
// the same service functions as the form's actions, the access table first, JSON only, zod at the boundary
// (nothing changed on bad input), and the same audit events. Only the session lookup is replaced.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user }));
// The per-start key scripts/serve.mjs signs the client address with (lib/auth/client-info.ts believes only a signed one).
const ipKey = vi.hoisted(() => (process.env.PORTAL_CLIENT_IP_KEY = "onboarding-routes-client-ip-key-0123456789"));
vi.mock("next/headers", async () => {
  const { signClientIp } = await import("../../scripts/client-ip.mjs");
  return {
    headers: async () =>
      new Headers({
        "user-agent": "routes-test",
        "x-crossline-client-ip": "203.0.113.9",
        "x-crossline-client-ip-sig": signClientIp("203.0.113.9", ipKey),
      }),
    cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
  };
});

const { db } = await import("@/lib/db");
const { POST: create } = await import("@/app/api/onboardings/route");
const { POST: apply } = await import("@/app/api/onboardings/[id]/apply/route");
const { createRepository, freshAccountId, registerAccount, testUser } = await import("../support/world");

let toolsId = "";
let repoId = "";
let engineer: CurrentUser;
let viewer: CurrentUser;
const repoName = `routes-svc-${Date.now() % 100000}`;

const json = (body: unknown, contentType = "application/json") => ({
  method: "POST",
  headers: { "content-type": contentType },
  body: typeof body === "string" ? body : JSON.stringify(body),
});
const fields = (pipelineName: string) => ({
  toolsAccountId: toolsId,
  repoAccountId: repoId,
  region: "us-east-1",
  repositoryName: repoName,
  branchName: "main",
  pipelineName,
  pipelineType: "V2",
  buildMode: "create",
  buildProject: `${pipelineName}-build`,
  approval: false,
});
const params = (id: string) => ({ params: Promise.resolve({ id }) });

beforeAll(async () => {
  const tools = freshAccountId(5);
  const repo = freshAccountId(6);
  toolsId = (await registerAccount(tools, "tools")).id;
  repoId = (await registerAccount(repo, "repo")).id;
  await createRepository(repo, repoName);
  engineer = await testUser("engineer");
  viewer = await testUser("viewer");
});

describe("POST /api/onboardings and /api/onboardings/[id]/apply", () => {
  it("an engineer creates an onboarding and queues its apply run, audited as the actions are", async () => {
    session.user = engineer;
    const res = await create(new Request("http://portal.test/api/onboardings", json(fields("routes-one"))));
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(await db.onboarding.findUnique({ where: { id } })).toMatchObject({
      pipelineName: "routes-one",
      createdById: engineer.id,
      status: "draft",
    });
    expect(await db.auditEvent.findFirst({ where: { action: "onboardings.create", targetId: id } })).toMatchObject({
      actorEmail: engineer.email,
      outcome: "success",
      ip: "203.0.113.9",
    });

    const a = await apply(new Request(`http://portal.test/api/onboardings/${id}/apply`, json({})), params(id));
    expect(a.status).toBe(202);
    const { runId } = (await a.json()) as { runId: string };
    expect(await db.run.findUnique({ where: { id: runId } })).toMatchObject({
      onboardingId: id,
      kind: "apply",
      status: "queued",
      startedById: engineer.id,
    });
    expect(await db.auditEvent.findFirst({ where: { action: "onboardings.apply", targetId: id } })).toMatchObject({
      actorEmail: engineer.email,
      outcome: "success",
    });

    // A second apply while the first is queued is refused by the service's active-run check: 409, no new run.
    const again = await apply(new Request(`http://portal.test/api/onboardings/${id}/apply`, json({})), params(id));
    expect(again.status).toBe(409);
    expect(await db.run.count({ where: { onboardingId: id } })).toBe(1);
  });

  it("bad input is a 400 with field errors and changes nothing", async () => {
    session.user = engineer;
    const before = await db.onboarding.count();
    const res = await create(
      new Request("http://portal.test/api/onboardings", json({ ...fields("routes-bad"), pipelineName: "bad name!", region: "mars-1" })),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { fieldErrors: Record<string, string[]> };
    expect(Object.keys(body.fieldErrors).sort()).toEqual(["pipelineName", "region"]);
    expect(await db.onboarding.count()).toBe(before);
    expect((await create(new Request("http://portal.test/api/onboardings", json("{not json")))).status).toBe(400);
    expect((await create(new Request("http://portal.test/api/onboardings", json([1, 2])))).status).toBe(400);
    expect(await db.onboarding.count()).toBe(before);
  });

  it("refuses a body that is not JSON (what a cross-site form can send without a preflight): 415, nothing created", async () => {
    session.user = engineer;
    const before = await db.onboarding.count();
    const form = new URLSearchParams(fields("routes-csrf") as unknown as Record<string, string>).toString();
    expect((await create(new Request("http://portal.test/api/onboardings", json(form, "application/x-www-form-urlencoded")))).status).toBe(
      415,
    );
    expect(
      (await create(new Request("http://portal.test/api/onboardings", json(JSON.stringify(fields("routes-csrf")), "text/plain")))).status,
    ).toBe(415);
    expect(await db.onboarding.count()).toBe(before);
  });

  it("a viewer is refused (403, audited) and an anonymous caller gets 401; nothing created or queued", async () => {
    const o = await db.onboarding.findFirstOrThrow({ where: { pipelineName: "routes-one" } });
    const runs = await db.run.count();
    session.user = viewer;
    expect((await create(new Request("http://portal.test/api/onboardings", json(fields("routes-viewer"))))).status).toBe(403);
    expect((await apply(new Request(`http://portal.test/api/onboardings/${o.id}/apply`, json({})), params(o.id))).status).toBe(403);
    expect(
      await db.auditEvent.findFirst({
        where: { targetId: "POST /api/onboardings/[id]/apply", outcome: "denied" },
        orderBy: { seq: "desc" },
      }),
    ).toMatchObject({ actorEmail: viewer.email });
    session.user = null;
    expect((await create(new Request("http://portal.test/api/onboardings", json(fields("routes-anon"))))).status).toBe(401);
    expect(await db.onboarding.count({ where: { pipelineName: { in: ["routes-viewer", "routes-anon"] } } })).toBe(0);
    expect(await db.run.count()).toBe(runs);
  });
});
