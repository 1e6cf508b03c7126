import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

// The folder boundaries of eslint.config.mjs, proven on deliberately wrong imports: lib/ never imports
// components/ or app/, and nothing in app/, components/ or lib/ imports sandbox/ (by alias or relative path).

const root = path.resolve(import.meta.dirname, "../..");
// Only the rule under test: import/no-cycle would walk the whole import graph for each probe.
const eslint = new ESLint({ cwd: root, overrideConfig: { rules: { "import/no-cycle": "off" } } });

/** The boundary messages ESLint reports for `source` linted as if it were the file `file` (relative to the root). */
async function boundaryProblems(file: string, source: string) {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === "import/no-restricted-paths").map((m) => m.message);
}

const importing = (specifier: string) => `import * as m from "${specifier}";\n\nexport const probe = m;\n`;

// Loading the config, its plugins and the TypeScript resolver takes seconds on a busy machine: once, up front.
const SLOW_MS = 60_000;

describe("folder boundaries (eslint.config.mjs)", () => {
  beforeAll(() => boundaryProblems("lib/config/probe.ts", importing("@/lib/config/env")), SLOW_MS);

  it.each([
    ["lib/config/probe.ts", "@/components/site-header", /must not import UI components/],
    ["lib/config/probe.ts", "../../components/site-header", /must not import UI components/],
    ["lib/config/probe.ts", "@/app/layout", /must not import from app\//],
    ["lib/ui/probe.ts", "../../app/layout", /must not import from app\//],
    ["lib/config/probe.ts", "@/sandbox/index", /do not import sandbox\//],
    ["lib/config/probe.ts", "../../sandbox/index", /do not import sandbox\//],
    ["app/probe.tsx", "@/sandbox/index", /do not import sandbox\//],
    ["app/probe.tsx", "../sandbox/index", /do not import sandbox\//],
    ["components/probe.tsx", "@/sandbox/index", /do not import sandbox\//],
  ])(
    "%s importing %s is reported",
    async (file, specifier, message) => {
      const problems = await boundaryProblems(file, importing(specifier));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(message);
    },
    SLOW_MS,
  );

  it.each([
    ["lib/config/probe.ts", "@/lib/config/database-url"],
    ["components/probe.tsx", "@/lib/config/env"],
    ["app/probe.tsx", "@/components/site-header"],
    ["tests/probe.ts", "@/sandbox/index"],
  ])(
    "%s importing %s is allowed",
    async (file, specifier) => {
      expect(await boundaryProblems(file, importing(specifier))).toEqual([]);
    },
    SLOW_MS,
  );
});
