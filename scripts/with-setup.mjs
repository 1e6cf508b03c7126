// `node scripts/with-setup.mjs <command> [args…]`: brings a fresh clone to a runnable state first (dependencies,
// Prisma clients), then runs the command with node_modules/.bin on the PATH, so every `npm run` script works on a
// fresh clone by itself.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { root, setup } from "./setup.mjs";

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error("usage: node scripts/with-setup.mjs <command> [args…]");
  process.exit(2);
}
setup();
const bin = path.join(root, "node_modules", ".bin");
const res = spawnSync(cmd, args, {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    NEXT_TELEMETRY_DISABLED: "1",
  },
});
process.exit(res.status ?? 1);
