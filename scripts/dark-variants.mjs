// Adds the dark-mode twin of each light colour class in the UI's class strings (app/, components/), following the
// palette conventions (docs/ui.md#light-and-dark): surfaces bg-white → dark:bg-slate-900, text slate-900 →
// dark:text-slate-100, muted text → dark:text-slate-300/400, borders slate-200 → dark:border-slate-700, tinted
// panels X-50 → dark:X-950 with X-200/300 text. A class string that already names a dark variant of the same
// property is left alone, so running it twice changes nothing.
// Usage: node scripts/dark-variants.mjs [--check] [files…]   (--check: list what would change, exit 1 if any)
import fs from "node:fs";
import path from "node:path";

const SLATE = {
  bg: { white: "slate-900", 50: "slate-800", 100: "slate-800", 200: "slate-700", 300: "slate-600", 900: "slate-950" },
  text: { 900: "slate-100", 800: "slate-200", 700: "slate-300", 600: "slate-300", 500: "slate-400", 400: "slate-400" },
  border: { 100: "slate-800", 200: "slate-700", 300: "slate-600", 400: "slate-500" },
  ring: { 200: "slate-700", 300: "slate-600" },
  divide: { 100: "slate-800", 200: "slate-700" },
  "hover:bg": { 50: "slate-800", 100: "slate-800", 200: "slate-700" },
  "hover:text": { 900: "white" },
};
const TINT = {
  bg: { 50: "950", 100: "900", 200: "800" },
  text: { 500: "400", 600: "400", 700: "300", 800: "200", 900: "200", 950: "100" },
  border: { 200: "800", 300: "700", 400: "600" },
  ring: { 200: "800", 300: "700" },
  "hover:bg": { 50: "900", 100: "900" },
};
const TINTS = ["red", "emerald", "green", "amber", "yellow", "sky", "blue", "indigo", "violet", "rose", "orange"];
const TOKEN = /^(hover:bg|hover:text|bg|text|border|ring|divide)-(white|slate|[a-z]+)(?:-(\d+))?(\/\d+)?$/;

/** The dark twin of one light class and its family (`dark:bg`), or null when it needs none (solid fills, white text, non-colour tokens). */
export function darkTwin(token) {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const [, family, color, shade, alpha = ""] = m;
  let dark;
  if (color === "white") dark = family === "bg" ? SLATE.bg.white : null;
  else if (color === "slate") dark = SLATE[family]?.[shade] ?? null;
  else if (TINTS.includes(color)) {
    if (color === "indigo" && family === "text") dark = shade === "700" || shade === "600" ? "indigo-300" : null;
    else dark = TINT[family]?.[shade] ? `${color}-${TINT[family][shade]}` : null;
  }
  return dark ? { family: `dark:${family}`, twin: `dark:${family}-${dark}${alpha}` } : null;
}

/** Adds the missing dark twins to one whitespace-separated class list. */
export function withDarkVariants(classes) {
  const tokens = classes.split(/(\s+)/);
  // Text on a solid fill (bg-amber-300 text-amber-950) is a pair that reads the same in both modes.
  const solid = tokens.some((t) => /^bg-[a-z]+-[3-9]00$/.test(t));
  const add = [];
  for (const t of tokens) {
    const d = darkTwin(t);
    if (!d || (solid && d.family === "dark:text")) continue;
    const taken = (x) => x.startsWith(`${d.family}-`);
    if (tokens.some(taken) || add.some(taken)) continue;
    add.push(d.twin);
  }
  return add.length ? `${classes} ${add.join(" ")}` : classes;
}

const looksLikeClasses = (s) => s.split(/\s+/).some((t) => TOKEN.test(t));

export function transformSource(src) {
  // Plain string literals ("…"), then the static words of template literals (`… ${…} …`).
  let out = src.replace(/"([^"\n]*)"/g, (all, s) => (looksLikeClasses(s) ? `"${withDarkVariants(s)}"` : all));
  out = out.replace(/`([^`]*)`/g, (all, s) => {
    const parts = s.split(/(\$\{[^}]*\})/);
    return (
      "`" +
      parts
        .map((p) =>
          p.startsWith("${") || !looksLikeClasses(p)
            ? p
            : p.replace(/^(\s*)(.*?)(\s*)$/s, (_, a, body, b) => a + withDarkVariants(body) + b),
        )
        .join("") +
      "`"
    );
  });
  return out;
}

function walk(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : /\.tsx$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes("--check");
  const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const files = args.length ? args : [...walk("app"), ...walk("components")];
  let changed = 0;
  for (const f of files) {
    const src = fs.readFileSync(f, "utf8");
    const out = transformSource(src);
    if (out === src) continue;
    changed++;
    if (check) console.log(`missing dark variants: ${f}`);
    else fs.writeFileSync(f, out);
  }
  if (check && changed) process.exit(1);
  if (!check) console.log(`${changed} file(s) updated`);
}
