// The documentation a newcomer navigates: README.md stays short, every relative link in it, in docs/ and in
// bench/README.md reaches an existing file (and heading), every `npm run` script the README names exists, and code
// comments cite documentation inside the repository only.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { anchorsOf, isRelative, linksOf, slugOf } from "./markdown";

const ROOT = path.resolve(import.meta.dirname, "../..");
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), "utf8");

const DOC_PAGES = [
  "README.md",
  "bench/README.md",
  ...fs
    .readdirSync(path.join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const CODE_FOLDERS = ["lib", "app", "components", "sandbox", "scripts", "tests", "e2e", "bench"];
const CODE_FILE = /\.(ts|tsx|mts|mjs|cjs|js|md)$/;
const SKIPPED = new Set(["node_modules", "generated", ".next"]);

function filesUnder(rel: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
    const child = `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name) && child !== "tests/docs") out.push(...filesUnder(child));
    } else if (CODE_FILE.test(entry.name)) out.push(child);
  }
  return out;
}

/** What is wrong with a link from `page` to `target` (path and optional #anchor), or null when it resolves. */
function brokenReason(page: string, target: string): string | null {
  const [rawPath, anchor] = target.split("#", 2);
  const file = rawPath === "" ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), decodeURI(rawPath)));
  if (file.startsWith("..") || !fs.existsSync(path.join(ROOT, file))) return `${file} does not exist`;
  if (anchor && file.endsWith(".md") && !anchorsOf(read(file)).has(anchor)) return `${file} has no heading or anchor #${anchor}`;
  return null;
}

describe("the documentation's reading helpers", () => {
  it("make GitHub's heading anchors", () => {
    expect(slugOf("Production layout (PostgreSQL, several instances)")).toBe("production-layout-postgresql-several-instances");
    expect(slugOf("KMS: alias versus ARN")).toBe("kms-alias-versus-arn");
    expect(slugOf("`npm run` and the `lib/` folder")).toBe("npm-run-and-the-lib-folder");
    expect([...anchorsOf('# A\n## Same\n## Same\n<a id="x"></a>\n```\n# not a heading\n```\n')]).toEqual(["a", "same", "same-1", "x"]);
  });

  it("find relative links outside code and catch a broken one", () => {
    const links = linksOf(
      "See [ops](docs/operations.md#upgrades) and [AWS](https://aws.amazon.com).\n```\n[x](nowhere.md)\n```\n[gone](docs/missing.md)",
    );
    expect(links.map((l) => l.target)).toEqual(["docs/operations.md#upgrades", "https://aws.amazon.com", "docs/missing.md"]);
    expect(links.filter((l) => isRelative(l.target)).map((l) => l.line)).toEqual([1, 5]);
    expect(brokenReason("README.md", "docs/missing.md")).toBe("docs/missing.md does not exist");
    expect(brokenReason("README.md", "docs/operations.md#no-such-heading")).toBe(
      "docs/operations.md has no heading or anchor #no-such-heading",
    );
  });
});

describe("README.md", () => {
  it("is at most 200 lines", () => {
    const lines = read("README.md").replace(/\n$/, "").split("\n").length;
    expect(lines).toBeLessThanOrEqual(200);
  });

  it("names only npm scripts that exist", () => {
    const scripts = Object.keys(JSON.parse(read("package.json")).scripts as Record<string, string>);
    for (const page of ["README.md", "bench/README.md"]) {
      const named = [...read(page).matchAll(/npm run ([\w:.-]+)/g)].map((m) => m[1]);
      expect(named.length, `${page} names npm scripts`).toBeGreaterThan(0);
      expect(
        named.filter((name) => !scripts.includes(name)),
        `scripts named in ${page} but missing from package.json`,
      ).toEqual([]);
    }
  });

  it("links to every page of docs/", () => {
    const linked = new Set(linksOf(read("README.md")).map((l) => l.target.split("#")[0]));
    expect(DOC_PAGES.filter((p) => p.startsWith("docs/") && !linked.has(p))).toEqual([]);
  });
});

describe("docs/operations.md", () => {
  it("documents every environment variable lib/config/ reads", () => {
    const configFiles = fs.readdirSync(path.join(ROOT, "lib/config")).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    const variables = new Set(
      configFiles.flatMap((f) => [...read(`lib/config/${f}`).matchAll(/^\s*"?([A-Z][A-Z0-9_]+)"?\s*:/gm)].map((m) => m[1])),
    );
    expect(variables.has("PORTAL_MODE")).toBe(true);
    // Settings in docs/operations.md; the benches' and drills' own knobs in bench/README.md.
    const documented = read("docs/operations.md") + read("bench/README.md");
    expect([...variables].filter((v) => !documented.includes(`\`${v}\``))).toEqual([]);
  });
});

describe("links in README.md, docs/ and bench/README.md", () => {
  it.each(DOC_PAGES)("every relative link in %s resolves", (page) => {
    const broken = linksOf(read(page))
      .filter((l) => isRelative(l.target))
      .map((l) => ({ link: `${page}:${l.line} → ${l.target}`, reason: brokenReason(page, l.target) }))
      .filter((b) => b.reason !== null);
    expect(broken).toEqual([]);
  });
});

describe("code comments cite documentation inside the repository", () => {
  const files = CODE_FOLDERS.filter((f) => fs.existsSync(path.join(ROOT, f))).flatMap(filesUnder);

  it("cite no domain.md outside the repository", () => {
    const citing = files.filter((f) => /(?<![\w-])domain\.md/.test(read(f)));
    expect(citing).toEqual([]);
  });

  it("cite docs/ pages and sections that exist", () => {
    const cited = files.flatMap((f) => [...read(f).matchAll(/\bdocs\/[\w-]+\.md(?:#[\w-]+)?/g)].map((m) => ({ from: f, target: m[0] })));
    expect(cited.length).toBeGreaterThan(0);
    const broken = cited.map((c) => ({ ...c, reason: brokenReason("README.md", c.target) })).filter((c) => c.reason !== null);
    expect(broken).toEqual([]);
  });
});
