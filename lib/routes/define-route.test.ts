import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

const state = vi.hoisted(() => ({
  guard: null as
    null | { user: { id: string; email: string; role: string }; response?: undefined } | { user?: undefined; response: Response },
  audits: [] as Record<string, unknown>[],
}));
vi.mock("@/lib/auth/guard", () => ({ requireRoute: async () => state.guard }));
vi.mock("@/lib/auth/client-info", () => ({ clientInfo: async () => ({ ip: "203.0.113.5", userAgent: "unit" }) }));
vi.mock("@/lib/audit/append", () => ({ recordAudit: async (e: Record<string, unknown>) => void state.audits.push(e) }));

const { defineRoute } = await import("./define-route");
const { RouteError } = await import("./route-error");
const { UserFacingError } = await import("@/lib/core/errors");

const engineer = { id: "u1", email: "eng@example.com", role: "engineer" };
const KEY = "POST /api/onboardings/[id]/apply" as const;
const withParams = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
const post = (body: string, contentType = "application/json") =>
  new Request("http://portal.test/x", { method: "POST", headers: { "content-type": contentType }, body });

beforeEach(() => {
  state.guard = { user: engineer };
  state.audits = [];
});

describe("defineRoute", () => {
  it("answers the guard's refusal without running the handler", async () => {
    state.guard = { response: Response.json({ error: "Sign in first." }, { status: 401 }) };
    const handler = vi.fn();
    const res = await defineRoute(KEY, {}, handler)(new Request("http://portal.test/x"));
    expect(res.status).toBe(401);
    expect(handler).not.toHaveBeenCalled();
  });

  it("hands the handler the validated query, params and the caller", async () => {
    const route = defineRoute(
      "GET /api/runs/[runId]",
      { query: z.object({ n: z.coerce.number() }), params: z.object({ runId: z.string() }) },
      async ({ query, params }, { user, actor }) =>
        Response.json({ n: query.n + 1, runId: params.runId, email: user.email, client: (await actor()).client }),
    );
    const res = await route(new Request("http://portal.test/x?n=41"), withParams({ runId: "r1" }));
    expect(await res.json()).toEqual({ n: 42, runId: "r1", email: engineer.email, client: { ip: "203.0.113.5", userAgent: "unit" } });
  });

  it("answers 400 `<field>: <message>` for a query that does not fit, or the bare message for an object-level rule", async () => {
    const handler = vi.fn();
    const byField = await defineRoute(
      "GET /api/pipelines",
      { query: z.object({ region: z.string().regex(/^[a-z]+-[a-z]+-\d$/, "not a region") }) },
      handler,
    )(new Request("http://portal.test/x?region=mars"));
    expect(byField.status).toBe(400);
    expect(byField.headers.get("cache-control")).toBe("no-store");
    expect(await byField.json()).toEqual({ error: "region: not a region" });
    const whole = await defineRoute(
      "GET /api/runs/[runId]",
      { params: z.object({ runId: z.string() }).refine((p) => p.runId.length <= 3, { error: "Invalid run id." }) },
      handler,
    )(new Request("http://portal.test/x"), withParams({ runId: "toolong" }));
    expect(await whole.json()).toEqual({ error: "Invalid run id." });
    expect(handler).not.toHaveBeenCalled();
  });

  describe("a JSON body", () => {
    const schema = z.object({ id: z.string(), name: z.string().min(3) });
    const route = () => defineRoute(KEY, { body: schema }, async ({ body }) => Response.json(body, { status: 202 }));

    it("is refused unless sent as JSON (415), valid JSON (400) and an object (400)", async () => {
      const form = await route()(post("name=abc", "application/x-www-form-urlencoded"), withParams({ id: "o1" }));
      expect([form.status, (await form.json()).error]).toEqual([415, "Send a JSON body (content-type: application/json)."]);
      const broken = await route()(post("{"), withParams({ id: "o1" }));
      expect([broken.status, (await broken.json()).error]).toEqual([400, "The body is not valid JSON."]);
      const list = await route()(post("[1]"), withParams({ id: "o1" }));
      expect([list.status, (await list.json()).error]).toEqual([400, "The body must be a JSON object."]);
      expect(state.audits).toEqual([]);
    });

    it("takes the path's segments over the body's fields", async () => {
      const res = await route()(post(JSON.stringify({ id: "other", name: "abcd" })), withParams({ id: "o1" }));
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ id: "o1", name: "abcd" });
    });

    it("answers field errors with 400 and audits the failure like an action", async () => {
      const res = await route()(post(JSON.stringify({ name: "ab" })), withParams({ id: "o1" }));
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error).toBe("Please correct the highlighted fields.");
      expect(Object.keys(body.fieldErrors)).toEqual(["name"]);
      expect(state.audits).toEqual([
        {
          actor: engineer,
          action: KEY,
          target: { type: "route", id: KEY },
          outcome: "failure",
          details: { reason: "validation", fields: ["name"] },
          client: { ip: "203.0.113.5", userAgent: "unit" },
        },
      ]);
    });
  });

  it("turns a RouteError into its status, a UserFacingError into 409, anything else into 500 with a logged error id", async () => {
    const routeError = await defineRoute(KEY, {}, async () => {
      throw new RouteError(404, "No such onboarding.", { hint: "x" });
    })(new Request("http://portal.test/x"));
    expect([routeError.status, await routeError.json()]).toEqual([404, { error: "No such onboarding.", hint: "x" }]);

    const userFacing = await defineRoute(KEY, {}, async () => {
      throw new UserFacingError("A run is already in progress.", { adopt: ["confirm"] });
    })(new Request("http://portal.test/x"));
    expect([userFacing.status, await userFacing.json()]).toEqual([
      409,
      { error: "A run is already in progress.", fieldErrors: { adopt: ["confirm"] } },
    ]);

    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const crash = await defineRoute(KEY, {}, async () => {
      throw new Error("database is gone");
    })(new Request("http://portal.test/x"));
    const body = await crash.json();
    expect(crash.status).toBe(500);
    expect(body.error).toMatch(/^Something went wrong \(error id [0-9a-f]{8}\)/);
    expect(body.error).not.toContain("database is gone");
    expect(logged).toHaveBeenCalledWith(`[route ${KEY}] error ${body.errorId}`, expect.any(Error));
    logged.mockRestore();
  });
});
