// The portal's entry points share one gate each: route handlers go through defineRoute (lib/routes/define-route.ts),
// server actions through defineAction (lib/actions/define-action.ts), exported directly without a wrapper.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const APP = path.resolve(import.meta.dirname);
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
/** Not the portal's to authorize: next-auth's own endpoints, and the public liveness probe. */
const OUTSIDE_DEFINE_ROUTE = new Set(["api/auth/[...nextauth]/route.ts", "api/health/route.ts"]);

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, out);
    else out.push(p);
  }
  return out;
}

const files = filesUnder(APP).filter((f) => !/\.test\./.test(f));
const rel = (f: string) => path.relative(APP, f).split(path.sep).join("/");

/** Exported HTTP methods that are not `export const METHOD = defineRoute(`. */
function handlersOutsideDefineRoute(source: string): string[] {
  return METHODS.filter(
    (m) =>
      new RegExp(`export\\s+(async\\s+)?(function|const|let)\\s+${m}\\b`).test(source) &&
      !new RegExp(`export\\s+const\\s+${m}\\s*=\\s*defineRoute\\(`).test(source),
  );
}

/** Exports of a "use server" file that are not `export const xAction = defineAction(`. */
function actionsOutsideDefineAction(source: string): string[] {
  const exports = [...source.matchAll(/^export\s+(?:async\s+)?(?:function|const|let|var)\s+(\w+)/gm)].map((m) => m[1]);
  return exports.filter((name) => !new RegExp(`^export\\s+const\\s+${name}\\s*=\\s*defineAction\\(`, "m").test(source));
}

describe("entry points", () => {
  it("recognises a hand-written handler and a wrapped action", () => {
    expect(handlersOutsideDefineRoute(`export async function GET(req: Request) { return new Response(); }`)).toEqual(["GET"]);
    expect(handlersOutsideDefineRoute(`export const POST = defineRoute("POST /api/onboardings", {}, async () => new Response());`)).toEqual(
      [],
    );
    expect(
      actionsOutsideDefineAction(
        `const a = defineAction(k, s, h);\nexport async function aAction(prev: unknown, form: FormData) {\n  return a(prev, form);\n}`,
      ),
    ).toEqual(["aAction"]);
    expect(actionsOutsideDefineAction(`export const aAction = defineAction(k, s, h);`)).toEqual([]);
  });

  it("every route handler of the portal goes through defineRoute", () => {
    const routes = files.filter((f) => /\/route\.ts$/.test(f) && !OUTSIDE_DEFINE_ROUTE.has(rel(f)));
    expect(routes.length).toBeGreaterThanOrEqual(10);
    expect(routes.flatMap((f) => handlersOutsideDefineRoute(fs.readFileSync(f, "utf8")).map((m) => `${rel(f)}: ${m}`))).toEqual([]);
  });

  it("every server action is exported as defineAction's result, without a wrapper function", () => {
    const actionFiles = files.filter((f) => /\.tsx?$/.test(f) && /^\s*["']use server["']/.test(fs.readFileSync(f, "utf8")));
    expect(actionFiles.length).toBeGreaterThanOrEqual(6);
    expect(actionFiles.flatMap((f) => actionsOutsideDefineAction(fs.readFileSync(f, "utf8")).map((n) => `${rel(f)}: ${n}`))).toEqual([]);
  });
});
