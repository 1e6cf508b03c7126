// `npm start`: set up, start the local AWS sandbox (unless PORTAL_MODE=aws), seed, build, serve on :3000, and
// run the provisioning worker beside the web server.
//
// Supervision (scripts/supervisor.mjs): a worker or sandbox that exits unexpectedly is restarted after a backoff
// (1 s doubling to 1 min) and each restart is logged with its exit code or signal; one that exits 5 times within
// 5 minutes is left down. Meanwhile the web server keeps serving and reports the state on /api/health (503 while
// one is down) and in the header, from the status file `supervisor.json` in PORTAL_DATA_DIR.
//
// Clean stop (SIGTERM or SIGINT to this process, as a container runtime or systemd sends it; or npm's shell
// going away): the worker and the web server stop first — the worker finishes the steps in flight and gives its
// runs back to the queue, so another instance resumes them at once — then the sandbox (which the worker's
// last AWS calls still need) saves its state and stops. Nothing of the service is left running.
import { spawn } from "node:child_process";
import path from "node:path";
import { migrateDatabase, root, run, setup } from "./setup.mjs";
import { createSupervisor } from "./supervisor.mjs";

setup();
const { buildIfNeeded } = await import("./build-if-needed.mjs");
const { portalEnv, waitForHttp } = await import("./portal-env.mjs");

const dev = process.argv.includes("--dev");
const env = portalEnv();
Object.assign(process.env, env);
const dataDir = process.env.PORTAL_DATA_DIR || path.join(root, ".data");
process.env.PORTAL_SUPERVISOR_STATUS = path.join(dataDir, "supervisor.json");
migrateDatabase();

const KILL_AFTER_MS = Number(process.env.PORTAL_STOP_GRACE_MS ?? 10_000) + 5_000;
let web = null;
let stopping = null;

const alive = (c) => c && c.exitCode === null && c.signalCode === null;
const exited = (c) => (alive(c) ? new Promise((r) => c.once("exit", r)) : Promise.resolve());

/** SIGTERM to each child, SIGKILL to any still alive after `ms`; resolves when all have exited. */
async function terminate(children, ms) {
  for (const c of children) if (alive(c)) c.kill("SIGTERM");
  const timer = setTimeout(() => children.forEach((c) => alive(c) && c.kill("SIGKILL")), ms);
  await Promise.all(children.map(exited));
  clearTimeout(timer);
}

function stopAll(code = 0, why = "") {
  if (stopping) return stopping;
  const sandbox = supervisor.child("sandbox");
  if (why) console.error(`[start] ${why}: stopping the portal${sandbox ? ", its worker and the sandbox" : " and its worker"}…`);
  stopping = (async () => {
    supervisor.stop(); // no more restarts: every exit from here on is asked for
    await terminate([web, supervisor.child("worker")].filter(Boolean), KILL_AFTER_MS);
    const sb = supervisor.child("sandbox");
    if (sb) await terminate([sb], 5_000);
    process.exit(code);
  })();
  return stopping;
}
process.on("SIGINT", () => stopAll(0, "SIGINT"));
process.on("SIGTERM", () => stopAll(0, "SIGTERM"));
process.on("SIGHUP", () => stopAll(0, "SIGHUP"));
// `npm start` runs this under `sh -c`: a SIGTERM to npm ends that shell without passing the signal on.
// Being re-parented means whoever started us is gone: stop as if signalled.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && stopAll(0, "parent process gone"), 1000).unref();

const tsxLoader = ["--conditions=react-server", "--import", "tsx"];
function child(args, extraEnv = {}) {
  return spawn(process.execPath, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...extraEnv } });
}

const workerOn = process.env.PORTAL_WORKER !== "off";
const supervisor = createSupervisor(
  [
    // One process (node --import tsx), so the signal reaches the sandbox itself and not a launcher.
    ...(env.PORTAL_MODE === "sandbox" ? [{ name: "sandbox", start: () => child(["--import", "tsx", "sandbox/main.ts"]) }] : []),
    ...(workerOn ? [{ name: "worker", start: () => child([...tsxLoader, "scripts/worker.ts"]) }] : []),
  ],
  { statusFile: process.env.PORTAL_SUPERVISOR_STATUS, log: (line) => console.error(line) },
);

try {
  if (env.PORTAL_MODE === "sandbox") {
    supervisor.startOne("sandbox");
    await waitForHttp(`${env.AWS_ENDPOINT_URL}/_sandbox/health`);
  }

  run(process.execPath, [...tsxLoader, "scripts/seed.ts"]);
  if (!dev) buildIfNeeded();

  // scripts/serve.mjs, not `next start`: it takes the caller's address from the socket (PORTAL_TRUSTED_PROXIES).
  // The web server is the service itself: when it stops, everything stops.
  web = child([path.join(root, "scripts", "serve.mjs"), ...(dev ? ["--dev"] : []), "-p", env.PORT], { PORTAL_WORKER: "off" });
  web.on("exit", (code) => stopAll(code ?? 0, `the web server stopped (exit ${code})`));
  if (workerOn) supervisor.startOne("worker");
} catch (e) {
  // A failed start leaves nothing behind either.
  console.error(e);
  await stopAll(1, "start-up failed");
}
await waitForHttp(`http://127.0.0.1:${env.PORT}/api/health`, 120_000).catch(() => {});
console.log(
  `\n  Portal ready at http://localhost:${env.PORT}${env.PORTAL_MODE === "sandbox" ? " (AWS: local sandbox at " + env.AWS_ENDPOINT_URL + ")" : ""}\n`,
);
