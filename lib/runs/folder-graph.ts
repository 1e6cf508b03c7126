import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** lib/<folder> → the other lib/<folder>s its files import (static and dynamic imports, tests excluded). */
export function libFolderGraph(libDir: string): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const folder of readdirSync(libDir)) {
    const dir = path.join(libDir, folder);
    if (!statSync(dir).isDirectory()) continue;
    const edges = new Map<string, string[]>();
    for (const file of sourceFiles(dir)) {
      for (const target of importedFolders(readFileSync(file, "utf8"), file, libDir)) {
        if (target === folder) continue;
        edges.set(target, [...(edges.get(target) ?? []), path.relative(libDir, file)]);
      }
    }
    graph.set(folder, edges);
  }
  return graph;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "__fixtures__") out.push(...sourceFiles(p));
    } else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;

/** The lib folders a file's imports resolve into ("@/lib/x/…" or a relative path leaving the file's folder). */
export function importedFolders(source: string, file: string, libDir: string): string[] {
  const folders = new Set<string>();
  for (const m of source.matchAll(IMPORT)) {
    const spec = m[1];
    let rel: string | null = null;
    if (spec.startsWith("@/lib/")) rel = spec.slice("@/lib/".length);
    else if (spec.startsWith(".")) {
      const abs = path.resolve(path.dirname(file), spec);
      const r = path.relative(libDir, abs);
      if (!r.startsWith("..")) rel = r;
    }
    if (rel === null) continue;
    const top = rel.split(/[\\/]/)[0];
    // "@/lib/db" is a file, not a folder: only folders take part.
    if (top && isDirectory(path.join(libDir, top))) folders.add(top);
  }
  return [...folders];
}

/** Every elementary cycle's representative: each strongly connected component with more than one folder. */
export function folderCycles(graph: Map<string, Map<string, string[]>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}
