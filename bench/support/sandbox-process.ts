// The sandbox in a process of its own for benchmarks (as AWS would be: the emulator's CPU is not the portal's),
// on a free port, driven through its /_sandbox control routes. The process is stopped when the bench exits,
// whether it succeeds, fails or is interrupted.
import { spawn } from "node:child_process";
import path from "node:path";

export interface SandboxProcess {
  url: string;
  setFaults(f: Record<string, number>): Promise<Response>;
  resetCallLog(): Promise<Response>;
  callLog(): Promise<{ mutating: boolean; action: string }[]>;
  close(): void;
}

export async function startSandboxProcess(dir: string, opts: { memoryOnly?: boolean } = {}): Promise<SandboxProcess> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, ["--import", "tsx", "sandbox/main.ts"], {
    env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_STATE_FILE: opts.memoryOnly ? "memory" : path.join(dir, "sandbox.json") },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const close = () => {
    if (child.exitCode === null && !child.killed) child.kill("SIGTERM");
  };
  process.once("exit", close);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      close();
      process.exit(130);
    });
  }
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (
      await fetch(`${url}/_sandbox/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (child.exitCode !== null || i > 300) {
      close();
      throw new Error("the sandbox did not start");
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const post = (p: string, body?: unknown) =>
    fetch(`${url}${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) });
  return {
    url,
    setFaults: (f) => post("/_sandbox/faults", f),
    resetCallLog: () => post("/_sandbox/calls/reset"),
    callLog: async () => {
      const body = (await (await fetch(`${url}/_sandbox/calls`)).json()) as
        { mutating: boolean; action: string }[] | { calls: { mutating: boolean; action: string }[] };
      return Array.isArray(body) ? body : body.calls;
    },
    close,
  };
}

/** The portal's code pointed at this sandbox (as the integration tests do). */
export function useSandbox(url: string) {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: "AKIASANDBOXPORTAL000",
    AWS_SECRET_ACCESS_KEY: "x",
    AWS_REGION: "us-east-1",
    PORTAL_MODE: "sandbox",
    PORTAL_PRINCIPAL_ARN: "arn:aws:iam::000000000000:user/portal",
  });
}
