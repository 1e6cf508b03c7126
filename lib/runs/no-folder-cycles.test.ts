import path from "node:path";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { folderCycles, importedFolders, libFolderGraph } from "./folder-graph";

const LIB = path.resolve(import.meta.dirname, "..");

describe("lib/ folder imports", () => {
  it("run in no circle", () => {
    const graph = libFolderGraph(LIB);
    const cycles = folderCycles(graph).map((c) =>
      c.map(
        (a) =>
          `${a} → ${[...graph.get(a)!.entries()]
            .filter(([b]) => c.includes(b))
            .map(([b, files]) => `${b} (${files.join(", ")})`)
            .join("; ")}`,
      ),
    );
    expect(cycles).toEqual([]);
  });

  it("the run engine imports no feature (catalogues and jobs register with it)", () => {
    const uses = [...(libFolderGraph(LIB).get("runs")?.keys() ?? [])];
    for (const feature of ["provisioning", "teardown", "drift", "onboarding", "notifications", "explain", "pipelines", "worker-main"])
      expect(uses).not.toContain(feature);
  });

  it("finds a cycle through relative, aliased and dynamic imports", () => {
    const lib = mkdtempSync(path.join(tmpdir(), "folder-cycles-"));
    for (const f of ["a", "b", "c"]) mkdirSync(path.join(lib, f));
    writeFileSync(path.join(lib, "a", "x.ts"), 'import { y } from "@/lib/b/y";\n');
    writeFileSync(path.join(lib, "b", "y.ts"), 'export const y = () => import("../c/z");\n');
    writeFileSync(path.join(lib, "c", "z.ts"), 'export type { X } from "@/lib/a/x";\n');
    writeFileSync(path.join(lib, "c", "z.test.ts"), 'import "@/lib/b/y";\n');
    expect(folderCycles(libFolderGraph(lib))).toEqual([["a", "b", "c"]]);
  });

  it("counts only imports that reach a lib folder (its own included; the graph leaves that out)", () => {
    const file = path.join(LIB, "runs", "runner.ts");
    expect(
      importedFolders(
        'import { db } from "@/lib/db";\nimport { z } from "zod";\nimport { a } from "./catalogues";\nimport { b } from "../core/errors";',
        file,
        LIB,
      ),
    ).toEqual(["runs", "core"]);
  });
});
