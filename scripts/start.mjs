// `npm start`: set up, start the local AWS sandbox (unless PORTAL_MODE=aws), seed, build, serve on :3000.
import { spawn } from "node:child_process";
import path from "node:path";
import { migrateDatabase, root, run, setup } from "./setup.mjs";

setup();
const { buildIfNeeded } = await import("./build-if-needed.mjs");
const { portalEnv, waitForHttp } = await import("./portal-env.mjs");

const dev = process.argv.includes("--dev");
const env = portalEnv();
Object.assign(process.env, env);
migrateDatabase();

const children = [];
function stopAll(code = 0) {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  setTimeout(() => process.exit(code), 500).unref();
}
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
if (env.PORTAL_MODE === "sandbox") {
  const sandbox = spawn(process.execPath, [tsx, "sandbox/main.ts"], { cwd: root, stdio: "inherit", env: process.env });
  children.push(sandbox);
  sandbox.on("exit", (code) => {
    console.error(`[start] the sandbox stopped (exit ${code}); stopping the portal.`);
    stopAll(1);
  });
  await waitForHttp(`${env.AWS_ENDPOINT_URL}/_sandbox/health`);
}

run(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/seed.ts"]);
if (!dev) buildIfNeeded();

// scripts/serve.mjs, not `next start`: it takes the caller's address from the socket (PORTAL_TRUSTED_PROXIES).
const next = spawn(process.execPath, [path.join(root, "scripts", "serve.mjs"), ...(dev ? ["--dev"] : []), "-p", env.PORT], { cwd: root, stdio: "inherit", env: process.env });
children.push(next);
next.on("exit", (code) => stopAll(code ?? 0));
await waitForHttp(`http://127.0.0.1:${env.PORT}/api/health`, 120_000).catch(() => {});
console.log(`\n  Portal ready at http://localhost:${env.PORT}${env.PORTAL_MODE === "sandbox" ? " (AWS: local sandbox at " + env.AWS_ENDPOINT_URL + ")" : ""}\n`);
