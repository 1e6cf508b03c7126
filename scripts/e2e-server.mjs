// The portal as the e2e tests see it: a fresh database and sandbox under a temporary data dir, a known
// demo admin password, the production build, on E2E_PORT.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateDatabase, root, run } from "./setup.mjs";
import { portalEnv, waitForHttp } from "./portal-env.mjs";

const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-e2e-"));
process.env.PORTAL_MODE = "sandbox";
process.env.DEMO_ADMIN_PASSWORD = process.env.DEMO_ADMIN_PASSWORD ?? "demo-admin-password";
process.env.DEMO_EXTRA_USERS = "1";
Object.assign(process.env, portalEnv({ dataDir, port, sandboxPort: Number(process.env.E2E_SANDBOX_PORT ?? 4599) }));
migrateDatabase();

// One process (node --import tsx, not the tsx launcher), so stopping it stops the sandbox itself.
const sandbox = spawn(process.execPath, ["--import", "tsx", "sandbox/main.ts"], { cwd: root, stdio: "inherit", env: process.env });
await waitForHttp(`${process.env.AWS_ENDPOINT_URL}/_sandbox/health`);
run(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/seed.ts"]);
const next = spawn(process.execPath, [path.join(root, "scripts", "serve.mjs"), "-p", String(port)], {
  cwd: root,
  stdio: "inherit",
  env: process.env,
});

const stop = () => {
  next.kill("SIGTERM");
  sandbox.kill("SIGTERM");
  setTimeout(() => process.exit(0), 300).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
next.on("exit", () => {
  sandbox.kill("SIGTERM");
  process.exit(0);
});
