/** CLI entry: `tsx sandbox/main.ts`. Configuration from env (see sandbox/README.md and docs/operations.md#configuration). */
import { existsSync } from "node:fs";
import { faultsFromEnv } from "./faults";
import { startSandbox } from "./index";

async function main() {
  const port = Number(process.env.SANDBOX_PORT ?? 4566);
  const host = process.env.SANDBOX_HOST || "127.0.0.1";
  // "memory": no state file (benchmarks: persisting a large world after every write would dominate their figures).
  const stateFile = process.env.SANDBOX_STATE_FILE === "memory" ? undefined : process.env.SANDBOX_STATE_FILE || ".data/sandbox-state.json";
  const isNew = !stateFile || !existsSync(stateFile);
  const handle = await startSandbox({ port, host, stateFile, faults: faultsFromEnv(process.env), seedDemo: isNew });
  process.stdout.write(`sandbox listening on ${handle.url}${isNew ? " (new state, demo seeded)" : ""}\n`);
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    if (stateFile) process.stderr.write(`[sandbox] ${signal}: saving state to ${stateFile}\n`);
    handle.close().then(
      () => process.exit(0),
      (e) => {
        process.stderr.write(`${e}\n`);
        process.exit(1);
      },
    );
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((e) => {
  process.stderr.write(`sandbox failed to start: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
