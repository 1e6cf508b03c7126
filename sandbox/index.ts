/**
 * The local AWS emulator. Start it in-process with startSandbox(); the portal talks to it over HTTP only
 * (AWS_ENDPOINT_URL=http://127.0.0.1:<port>, S3 with forcePathStyle).
 */
import type { Faults } from "./faults";
import { SandboxServer, type CallLogEntry } from "./server";
import { SERVICES } from "./services";
import { seedDemo } from "./seed";
import { emptyWorld, loadWorld } from "./state";

export type { Faults } from "./faults";
export type { CallLogEntry } from "./server";
export { SANDBOX_PORTAL_ACCESS_KEY_ID, SANDBOX_PORTAL_PRINCIPAL_ARN, PORTAL_HOST_ACCOUNT, sandboxRootAccessKeyId } from "./identity";
export { DEMO_REGION, DEMO_REPO_ACCOUNT, DEMO_TOOLS_ACCOUNT } from "./seed";

export interface SandboxHandle {
  url: string;
  port: number;
  close(): Promise<void>;
  setFaults(f: Faults): void;
  /** Live array: every AWS call (control calls excluded), oldest first. */
  callLog: CallLogEntry[];
  resetCallLog(): void;
  /** In-process subscription to service events (e.g. "codecommit:reference-change"). */
  subscribe(topic: string, fn: (payload: unknown) => void): () => void;
}

export interface SandboxOptions {
  /** 0 = random free port. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** JSON persistence; absent = memory only. */
  stateFile?: string;
  faults?: Faults;
  seedDemo?: boolean;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<SandboxHandle> {
  const world = (opts.stateFile && loadWorld(opts.stateFile)) || emptyWorld();
  if (opts.seedDemo) seedDemo(world);
  const server = new SandboxServer(world, SERVICES, opts.faults, opts.stateFile);
  if (opts.seedDemo) server.persist();
  const host = opts.host ?? "127.0.0.1";
  const addr = await server.listen(opts.port ?? 0, host);
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${addr.port}`,
    port: addr.port,
    close: () => server.close(),
    setFaults: (f) => {
      server.faults = { ...server.faults, ...f };
    },
    callLog: server.callLog,
    resetCallLog: () => {
      server.callLog.length = 0;
    },
    subscribe: (topic, fn) => server.subscribe(topic, fn),
  };
}
