// Pages, route handlers and server actions stay thin: they read through query functions in lib/<feature>/
// (e.g. lib/onboarding/queries.ts) and write through the services, never through Prisma themselves.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const APP = path.join(ROOT, "app");

/** Module specifiers that reach the database client: lib/db, the generated Prisma clients, @prisma/*. */
function reachesDatabase(specifier: string, fromFile: string): boolean {
  if (/^@prisma\//.test(specifier) || specifier === "prisma") return true;
  let target: string;
  if (specifier.startsWith("@/")) target = path.join(ROOT, specifier.slice(2));
  else if (specifier.startsWith(".")) target = path.resolve(path.dirname(fromFile), specifier);
  else return false;
  const rel = path
    .relative(ROOT, target)
    .split(path.sep)
    .join("/")
    .replace(/\.(ts|tsx|js|mjs)$/, "");
  return rel === "lib/db" || rel.startsWith("lib/generated/");
}

const SPECIFIERS = [
  /\bfrom\s+["']([^"']+)["']/g,
  /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  /^\s*import\s+["']([^"']+)["']/gm,
  /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
];

/** Every import of the database client in a source file, as `file: specifier`. */
function databaseImports(source: string, file: string): string[] {
  const found: string[] = [];
  for (const re of SPECIFIERS)
    for (const m of source.matchAll(re)) if (reachesDatabase(m[1], file)) found.push(`${path.relative(ROOT, file)}: ${m[1]}`);
  return found;
}

function sourcesUnder(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sourcesUnder(p, out);
    else if (/\.(ts|tsx|js|jsx|mjs)$/.test(e.name) && !/\.test\./.test(e.name)) out.push(p);
  }
  return out;
}

describe("app/ does not talk to the database", () => {
  it("recognises every way of reaching the database client", () => {
    const page = path.join(APP, "onboardings", "[id]", "page.tsx");
    expect(databaseImports(`import { db } from "@/lib/db";`, page)).toHaveLength(1);
    expect(databaseImports(`import { db } from "../../../lib/db";`, page)).toHaveLength(1);
    expect(databaseImports(`import { PrismaClient } from "@/lib/generated/prisma/client";`, page)).toHaveLength(1);
    expect(databaseImports(`import type { Prisma } from "@prisma/client";`, page)).toHaveLength(1);
    expect(databaseImports(`const { db } = await import("@/lib/db.ts");`, page)).toHaveLength(1);
    expect(
      databaseImports(`import { pipelineNameOf } from "@/lib/onboarding/queries";\nimport { dbLabel } from "@/lib/dbx";`, page),
    ).toEqual([]);
  });

  it("finds no import of lib/db or Prisma in any page, layout, route handler or action", () => {
    const files = sourcesUnder(APP);
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap((f) => databaseImports(fs.readFileSync(f, "utf8"), f))).toEqual([]);
  });
});
