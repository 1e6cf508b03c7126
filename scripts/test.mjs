// `npm test`: the whole suite on a fresh clone — unit, integration (against the sandbox) on SQLite and again on a
// real PostgreSQL (integration-pg: never skipped; no PostgreSQL fails it), browser e2e.
// Ends with one summary line "tests: N passed, N failed" over all tiers.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { root, setup } from "./setup.mjs";

setup();
const { buildIfNeeded } = await import("./build-if-needed.mjs");

const reports = fs.mkdtempSync(path.join(os.tmpdir(), "portal-test-"));
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const only = process.argv.slice(2);
const want = (tier) => only.length === 0 || only.includes(tier) || (tier === "integration-pg" && only.includes("integration"));

function tier(name, cmd, args, env = {}) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const res = spawnSync(cmd, args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env },
  });
  console.log(`=== ${name}: exit ${res.status} in ${((Date.now() - started) / 1000).toFixed(1)}s ===`);
  return res.status === 0;
}

function vitestCounts(file) {
  if (!fs.existsSync(file)) return { passed: 0, failed: 1 };
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  return { passed: r.numPassedTests, failed: r.numFailedTests + (r.numTotalTestSuites && !r.success && r.numFailedTests === 0 ? 1 : 0) };
}

function playwrightCounts(file) {
  if (!fs.existsSync(file)) return { passed: 0, failed: 1 };
  const s = JSON.parse(fs.readFileSync(file, "utf8")).stats ?? {};
  return { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: (s.unexpected ?? 0) + (s.errors?.length ?? 0) };
}

const started = Date.now();
let ok = true;
const totals = { passed: 0, failed: 0 };
const add = (c) => {
  totals.passed += c.passed;
  totals.failed += c.failed;
};

// The first tier: types, lint (eslint.config.mjs) and formatting (.prettierrc.json), each counted as one test.
const checks = {
  typecheck: [bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]],
  lint: [bin("eslint"), ["."]],
  format: [bin("prettier"), ["--check", "."]],
};
for (const [name, [cmd, args]] of Object.entries(checks)) {
  if (!want(name)) continue;
  const passed = tier(name, cmd, args);
  ok = passed && ok;
  add(passed ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });
}

for (const project of ["unit", "integration", "integration-pg"]) {
  if (!want(project)) continue;
  const out = path.join(reports, `${project}.json`);
  ok =
    tier(project, bin("vitest"), ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]) && ok;
  add(vitestCounts(out));
}

if (want("e2e")) {
  buildIfNeeded();
  const out = path.join(reports, "e2e.json");
  ok = tier("e2e", bin("playwright"), ["test"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out }) && ok;
  add(playwrightCounts(out));
}

console.log(`\nwhole suite: ${((Date.now() - started) / 1000).toFixed(1)}s`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
