// Builds Next.js only when the sources changed since the last build (a fingerprint of paths, sizes, mtimes).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { root, run } from "./setup.mjs";

const INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "next.config.js",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
  "instrumentation.ts",
  "proxy.ts",
];

function walk(p, h) {
  if (!fs.existsSync(p)) return;
  const st = fs.statSync(p);
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(p).sort()) if (name !== "node_modules") walk(path.join(p, name), h);
  } else if (!p.endsWith(".test.ts")) {
    h.update(`${path.relative(root, p)}:${st.size}:${st.mtimeMs}\n`);
  }
}

export function buildIfNeeded() {
  const h = createHash("sha256");
  for (const i of INPUTS) walk(path.join(root, i), h);
  const want = h.digest("hex");
  const stamp = path.join(root, ".next", "portal-fingerprint");
  if (fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === want) return;
  console.log("[setup] building the portal (next build)…");
  run(path.join(root, "node_modules", ".bin", "next"), ["build"], { env: { NEXT_TELEMETRY_DISABLED: "1" } });
  fs.writeFileSync(stamp, want);
}
