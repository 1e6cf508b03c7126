// `npm run bench:<name>`: brings a fresh clone to a runnable state (dependencies, Prisma client), then runs
// bench/<name>.ts with tsx. Each bench starts what it needs itself and stops it when it ends or fails.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { root, setup } from "./setup.mjs";

const name = process.argv[2];
const extra = process.argv.slice(3);
if (!name) {
  console.error("usage: node scripts/bench.mjs <onboarding|dashboard|audit|scale|drill-lifecycle|drill-chaos> [args]");
  process.exit(2);
}
setup();
const flags = name === "dashboard" ? ["--require", "./bench/support/no-server-only.cjs"] : ["--conditions=react-server"];
const res = spawnSync(process.execPath, [...flags, "--import", "tsx", path.join("bench", `${name}.ts`), ...extra], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", NEXT_TELEMETRY_DISABLED: "1" },
});
process.exit(res.status ?? 1);
