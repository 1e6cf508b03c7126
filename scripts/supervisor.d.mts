import type { ChildProcess } from "node:child_process";

export declare const SUPERVISOR_DEFAULTS: Readonly<{ baseMs: number; maxMs: number; maxExits: number; windowMs: number }>;
export interface PolicyOptions {
  baseMs?: number;
  maxMs?: number;
  maxExits?: number;
  windowMs?: number;
}
export declare function nextAction(
  exits: number[],
  now: number,
  opts?: PolicyOptions,
): { action: "restart"; afterMs: number } | { action: "give-up"; exitsInWindow: number };
export declare function describeExit(code: number | null, signal: NodeJS.Signals | string | null): string;
export declare function writeStatus(file: string | undefined, children: Record<string, unknown>): void;
export interface ChildState {
  state: "starting" | "running" | "restarting" | "down";
  pid: number | null;
  restarts: number;
  exits: number[];
  lastExit: { code: number | null; signal: string | null; at: string } | null;
  restartAt: string | null;
}
export interface Supervisor {
  start(): void;
  startOne(name: string): void;
  stop(): ChildProcess[];
  child(name: string): ChildProcess | null;
  state(name: string): ChildState;
}
export declare function createSupervisor(
  specs: { name: string; start: () => ChildProcess; onStarted?: (c: ChildProcess) => void }[],
  opts?: PolicyOptions & {
    statusFile?: string;
    log?: (line: string) => void;
    now?: () => number;
    setTimeout?: typeof setTimeout;
    clearTimeout?: typeof clearTimeout;
  },
): Supervisor;
