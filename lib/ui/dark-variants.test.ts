import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module script without types
import { darkTwin, transformSource, withDarkVariants } from "../../scripts/dark-variants.mjs";

describe("dark variants", () => {
  it("pairs surfaces, text, borders and tints with their dark twins", () => {
    expect(withDarkVariants("rounded border border-slate-200 bg-white p-4 text-slate-900")).toBe(
      "rounded border border-slate-200 bg-white p-4 text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100",
    );
    expect(withDarkVariants("bg-red-50 text-red-800 ring-red-300 hover:bg-slate-100")).toBe(
      "bg-red-50 text-red-800 ring-red-300 hover:bg-slate-100 dark:bg-red-950 dark:text-red-200 dark:ring-red-700 dark:hover:bg-slate-800",
    );
    expect(darkTwin("text-red-700/80")).toEqual({ family: "dark:text", twin: "dark:text-red-300/80" });
  });

  it("leaves solid fills, white text, non-colour tokens and classes that already have a dark variant alone", () => {
    expect(withDarkVariants("bg-indigo-600 text-white text-sm")).toBe("bg-indigo-600 text-white text-sm");
    expect(withDarkVariants("bg-white dark:bg-slate-800 text-slate-600")).toBe(
      "bg-white dark:bg-slate-800 text-slate-600 dark:text-slate-300",
    );
    const once = transformSource('const a = <p className="text-slate-600">x</p>;');
    expect(transformSource(once)).toBe(once);
  });

  it("rewrites the static words of template literals and the strings inside their expressions", () => {
    expect(transformSource('className={`px-1 ${on ? "bg-slate-300" : "bg-red-400"} text-slate-500`}')).toBe(
      'className={`px-1 ${on ? "bg-slate-300 dark:bg-slate-600" : "bg-red-400"} text-slate-500 dark:text-slate-400`}',
    );
  });

  it("every class string of the UI has its dark twins (run `node scripts/dark-variants.mjs` to add them)", () => {
    const walk = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".tsx") ? [path.join(dir, e.name)] : []));
    const missing = [...walk("app"), ...walk("components")].filter((f) => {
      const src = fs.readFileSync(f, "utf8");
      return transformSource(src) !== src;
    });
    expect(missing).toEqual([]);
  });
});
