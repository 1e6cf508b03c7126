// The authorization matrix, generated from lib/auth/access-table.ts: EVERY row × {admin, engineer, viewer,
// anonymous} goes through the real enforcement —
//   pages:   the page module's default export is rendered (requirePage runs): anonymous → redirect to
//            /signin, role not allowed → redirect to /forbidden (audited), allowed → renders;
//   routes:  the route handler is called with a Request: 401 / 403 (audited) / anything else;
//   actions: the exported server action (the function Next binds to the POST) is called with form data:
//            "Sign in first." / "Your role does not allow this action." (audited) / gets past the gate.
//   data:    mayRead (lib/auth/may-read.ts), which pages and routes call before sending data they hold back from some
//            roles: refused (audited) / allowed; every data row must be read through mayRead somewhere in app/ or lib/.
// Only the session lookup (getCurrentUser) and Next's request-scoped APIs are replaced.
//
// Coverage is automatic: pages and routes are found on disk (app/**/page.tsx, app/**/route.ts) and every
// exported server action in a "use server" file is discovered by calling it anonymously and reading the
// action key from its audited refusal. A file without a table row, a row without a file or action, or a
// dynamic segment without a fixture fails loudly. To cover a new dynamic path, add its prefix to FIXTURES.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ACCESS_TABLE, isAllowed, type AccessRule } from "@/lib/auth/access-table";
import type { Role } from "@/lib/auth/roles";
import type { CurrentUser } from "@/lib/auth/session";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user }));
// The per-start key scripts/serve.mjs signs the client address with (lib/auth/client-info.ts checks it).
const ipKey = vi.hoisted(() => (process.env.PORTAL_CLIENT_IP_KEY = "authz-matrix-client-ip-key-0123456789abcdef"));
vi.mock("next/headers", async () => {
  const { signClientIp } = await import("../../scripts/client-ip.mjs");
  return {
    // x-crossline-client-ip (+ its signature) is what scripts/serve.mjs sets from the socket; a client-sent X-Forwarded-For is ignored.
    headers: async () =>
      new Headers({
        "user-agent": "authz-matrix",
        "x-crossline-client-ip": "203.0.113.7",
        "x-crossline-client-ip-sig": signClientIp("203.0.113.7", ipKey),
        "x-forwarded-for": "198.51.100.99",
      }),
    cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
  };
});
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

const { db } = await import("@/lib/db");

const ROOT = path.resolve(import.meta.dirname, "../..");
const APP = path.join(ROOT, "app");
const CALLERS = ["admin", "engineer", "viewer", "anonymous"] as const;
type Caller = (typeof CALLERS)[number];
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** Route handlers that are not the portal's to authorize: next-auth's own sign-in endpoints. */
const EXEMPT_ROUTES = new Set(["/api/auth/[...nextauth]"]);

/** Values for dynamic segments, by the path prefix that ends in the segment. */
const FIXTURES: Record<string, () => string> = {
  "/accounts/[id]": () => fx.accountId,
  "/api/accounts/[id]": () => fx.accountId,
  "/api/accounts/[id]/repositories/[repo]": () => "matrix-repo",
  "/admin/users/[id]": () => fx.users.viewer.id,
  "/onboardings/[id]": () => fx.onboardingId,
  "/api/onboardings/[id]": () => fx.onboardingId,
  "/onboardings/[id]/runs/[runId]": () => fx.runId,
  "/api/runs/[runId]": () => fx.runId,
  "/pipelines/[id]": () => fx.onboardingId,
  "/pipelines/[id]/executions/[executionId]": () => "00000000-0000-4000-8000-000000000000",
};

const fx = { accountId: "", onboardingId: "", runId: "", users: {} as Record<Exclude<Caller, "anonymous">, CurrentUser> };

// ---- discovery ------------------------------------------------------------------------------------------

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** app/a/(group)/[id]/page.tsx → /a/[id] */
function pathOf(file: string): string {
  const segs = path
    .relative(APP, path.dirname(file))
    .split(path.sep)
    .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith("@"));
  return "/" + segs.join("/");
}

const files = walk(APP);
const pageFiles = new Map(files.filter((f) => /\/page\.(tsx|ts|jsx|js)$/.test(f)).map((f) => [pathOf(f), f]));
const routeFiles = new Map(files.filter((f) => /\/route\.(ts|js)$/.test(f)).map((f) => [pathOf(f), f]));
const serverActionFiles = [...files, ...walk(path.join(ROOT, "components"))].filter(
  (f) => /\.(tsx?|jsx?)$/.test(f) && !/\.test\./.test(f) && /^\s*(\/\/[^\n]*\n\s*)*["']use server["']/.test(fs.readFileSync(f, "utf8")),
);

function paramsFor(key: string, p: string): Record<string, string> {
  const params: Record<string, string> = {};
  const segs = p.split("/");
  for (let i = 0; i < segs.length; i++) {
    const m = /^\[(?:\.\.\.)?(\w+)\]$/.exec(segs[i]);
    if (!m) continue;
    const prefix = segs.slice(0, i + 1).join("/");
    const fixture = FIXTURES[prefix];
    if (!fixture) throw new Error(`no fixture for key ${key}: add FIXTURES["${prefix}"] in tests/authz/matrix.int.test.ts`);
    params[m[1]] = fixture();
  }
  return params;
}

function fill(p: string, params: Record<string, string>) {
  return p.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_, k) => encodeURIComponent(params[k]));
}

// ---- calling the real enforcement ------------------------------------------------------------------------

function signInAs(caller: Caller) {
  session.user = caller === "anonymous" ? null : fx.users[caller];
}

type Outcome = { kind: "signin" | "forbidden" | "allowed"; detail: string };

async function visitPage(key: string): Promise<Outcome> {
  const file = pageFiles.get(key)!;
  const params = paramsFor(key, key);
  const mod = await import(/* @vite-ignore */ file);
  try {
    await mod.default({ params: Promise.resolve(params), searchParams: Promise.resolve({}) });
    return { kind: "allowed", detail: "rendered" };
  } catch (e) {
    const digest = String((e as { digest?: string })?.digest ?? "");
    if (digest.startsWith("NEXT_REDIRECT")) {
      const to = digest.split(";")[2] ?? "";
      if (to.startsWith("/signin")) return { kind: "signin", detail: to };
      if (to.startsWith("/forbidden")) return { kind: "forbidden", detail: to };
      return { kind: "allowed", detail: `redirect ${to}` };
    }
    throw new Error(`page ${key} failed: ${digest || (e as Error).message}`);
  }
}

async function callRoute(key: string): Promise<Outcome> {
  const [method, p] = key.split(" ");
  const params = paramsFor(key, p);
  const mod = await import(/* @vite-ignore */ routeFiles.get(p)!);
  const res: Response = await mod[method](new Request(`http://portal.test${fill(p, params)}`, { method }), {
    params: Promise.resolve(params),
  });
  await res.body?.cancel();
  if (res.status === 401) return { kind: "signin", detail: "401" };
  if (res.status === 403) return { kind: "forbidden", detail: "403" };
  return { kind: "allowed", detail: String(res.status) };
}

type ActionFn = (prev: unknown, form: FormData) => Promise<{ ok: boolean; error?: string }>;
const actionsByKey = new Map<string, { fn: ActionFn; where: string }>();

async function readData(key: string): Promise<Outcome> {
  const { mayRead } = await import("@/lib/auth/may-read");
  if (await mayRead(key as never, session.user)) return { kind: "allowed", detail: "may read" };
  return session.user ? { kind: "forbidden", detail: "held back" } : { kind: "signin", detail: "held back" };
}

async function callAction(key: string): Promise<Outcome> {
  const found = actionsByKey.get(key);
  if (!found)
    throw new Error(
      `no fixture for key ${key}: no exported server action in a "use server" file refused an anonymous caller with this key`,
    );
  let r: { ok: boolean; error?: string };
  try {
    r = await found.fn(undefined, new FormData());
  } catch (e) {
    const digest = String((e as { digest?: string })?.digest ?? "");
    if (digest.startsWith("NEXT_REDIRECT")) return { kind: "allowed", detail: "redirect" };
    throw e;
  }
  if (!r.ok && r.error === "Sign in first.") return { kind: "signin", detail: r.error };
  if (!r.ok && r.error === "Your role does not allow this action.") return { kind: "forbidden", detail: r.error };
  return { kind: "allowed", detail: r.ok ? "ok" : (r.error ?? "") };
}

const lastEvent = () => db.auditEvent.findFirst({ orderBy: { seq: "desc" } });

// ---- set-up: fixtures and discovery of server actions ---------------------------------------------------

beforeAll(async () => {
  const stamp = Date.now();
  for (const role of ["admin", "engineer", "viewer"] as const) {
    const u = await db.user.create({ data: { email: `matrix-${role}-${stamp}@example.com`, role } });
    fx.users[role] = { id: u.id, email: u.email, name: null, role };
  }
  const accountId = String(400000000000 + (stamp % 99999999999)).slice(0, 12);
  const account = await db.awsAccount.create({
    data: {
      name: "Matrix fixture",
      accountId,
      purpose: "both",
      defaultRegion: "us-east-1",
      roleArn: `arn:aws:iam::${accountId}:role/crossline-portal-provisioning`,
      externalId: "matrix-external-id",
    },
  });
  fx.accountId = account.id;
  const onboarding = await db.onboarding.create({
    data: {
      toolsAccountId: account.id,
      repoAccountId: account.id,
      region: "us-east-1",
      repositoryName: "matrix-repo",
      branchName: "main",
      pipelineName: `matrix-${stamp}`,
      buildMode: "create",
      buildProject: `matrix-${stamp}`,
    },
  });
  fx.onboardingId = onboarding.id;
  fx.runId = (await db.run.create({ data: { onboardingId: onboarding.id, kind: "apply", status: "failed", error: "matrix fixture" } })).id;

  signInAs("anonymous");
  for (const file of serverActionFiles) {
    const mod = await import(/* @vite-ignore */ file);
    for (const [name, fn] of Object.entries(mod)) {
      if (typeof fn !== "function") continue;
      const before = (await lastEvent())?.seq ?? 0;
      const r = (await (fn as ActionFn)(undefined, new FormData())) as { ok: boolean; error?: string };
      const ev = await db.auditEvent.findFirst({
        where: { seq: { gt: before }, outcome: "denied", targetType: "action" },
        orderBy: { seq: "desc" },
      });
      const where = `${path.relative(ROOT, file)}#${name}`;
      if (r?.ok !== false || r.error !== "Sign in first." || !ev?.targetId)
        throw new Error(`${where} did not refuse an anonymous caller through defineAction`);
      if (actionsByKey.has(ev.targetId))
        throw new Error(`${where} and ${actionsByKey.get(ev.targetId)!.where} both use key ${ev.targetId}`);
      actionsByKey.set(ev.targetId, { fn: fn as ActionFn, where });
    }
  }
});

// ---- the matrix -------------------------------------------------------------------------------------------

const rules = ACCESS_TABLE as readonly AccessRule[];

describe("every page, route and server action is a row of the access table", () => {
  it("has a row for every page file and a page file for every page row", () => {
    const rows = new Set(rules.filter((r) => r.kind === "page").map((r) => r.key));
    expect([...pageFiles.keys()].filter((k) => !rows.has(k)).map((k) => `page without an access-table row: ${k}`)).toEqual([]);
    expect([...rows].filter((k) => !pageFiles.has(k)).map((k) => `access-table row without a page: ${k}`)).toEqual([]);
  });

  it("has a row for every exported route handler and a handler for every route row", async () => {
    const rows = new Set(rules.filter((r) => r.kind === "route").map((r) => r.key));
    const handlers: string[] = [];
    for (const [p, file] of routeFiles) {
      if (EXEMPT_ROUTES.has(p)) continue;
      const mod = await import(/* @vite-ignore */ file);
      for (const m of METHODS) if (typeof mod[m] === "function") handlers.push(`${m} ${p}`);
    }
    expect(handlers.filter((h) => !rows.has(h)).map((h) => `route handler without an access-table row: ${h}`)).toEqual([]);
    expect([...rows].filter((r) => !handlers.includes(r)).map((r) => `access-table row without a route handler: ${r}`)).toEqual([]);
  });

  it("reads every data row through mayRead somewhere in app/ or lib/", () => {
    const sources = [...files, ...walk(path.join(ROOT, "lib"))]
      .filter((f) => /\.(tsx?)$/.test(f) && !/\.test\./.test(f))
      .map((f) => fs.readFileSync(f, "utf8"))
      .join("\n");
    const unused = rules
      .filter((r) => r.kind === "data" && !sources.includes(`mayRead("${r.key}"`))
      .map((r) => `data row never read through mayRead: ${r.key}`);
    expect(unused).toEqual([]);
  });

  it("has a server action for every action row (and discovered only keys of the table)", () => {
    const rows = new Set(rules.filter((r) => r.kind === "action").map((r) => r.key));
    expect([...rows].filter((k) => !actionsByKey.has(k)).map((k) => `no fixture for key ${k}`)).toEqual([]);
    expect([...actionsByKey.keys()].filter((k) => !rows.has(k))).toEqual([]);
  });
});

describe.each(rules.map((r) => [`${r.kind} ${r.key}`, r] as const))("%s", (_label, rule) => {
  it.each(CALLERS.map((c) => [c] as const))("as %s", async (caller) => {
    signInAs(caller);
    const role: Role | null = caller === "anonymous" ? null : caller;
    const allowed = isAllowed(rule.key as never, role);
    const before = (await lastEvent())?.seq ?? 0;
    const outcome =
      rule.kind === "page"
        ? await visitPage(rule.key)
        : rule.kind === "route"
          ? await callRoute(rule.key)
          : rule.kind === "data"
            ? await readData(rule.key)
            : await callAction(rule.key);
    const expected = allowed ? "allowed" : caller === "anonymous" ? "signin" : "forbidden";
    expect(outcome.kind, `${rule.kind} ${rule.key} as ${caller}: ${outcome.detail}`).toBe(expected);
    if (expected === "forbidden" || (expected === "signin" && rule.kind === "action")) {
      const ev = await db.auditEvent.findFirst({ where: { seq: { gt: before }, outcome: "denied" }, orderBy: { seq: "desc" } });
      expect(ev, "the refusal is audited").toMatchObject({
        actorEmail: session.user?.email ?? null,
        ip: "203.0.113.7",
        userAgent: "authz-matrix",
      });
    }
  });
});
