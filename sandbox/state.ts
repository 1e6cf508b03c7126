import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A temporary credential issued by AssumeRole. */
export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  account: string;
  roleArn: string;
  roleId: string;
  sessionName: string;
  sourceIdentity?: string;
  tags?: Record<string, string>;
  expiresAt: number;
}

export interface AccountState {
  id: string;
  createdAt: number;
  /** Global (non-regional) service data, keyed by service: "iam" → IamState… */
  global: Record<string, unknown>;
  /** Regional service data: region → service → data. */
  regions: Record<string, Record<string, unknown>>;
  /** AWS Organizations membership (aws:PrincipalOrgID), set with POST /_sandbox/organization. */
  organizationId?: string;
}

/** The whole sandbox world. JSON-serialisable: timestamps are epoch milliseconds, binary data base64. */
export interface World {
  version: 1;
  accounts: Record<string, AccountState>;
  sessions: Record<string, Session>;
  /** Free-form flags, e.g. { demoSeeded: true }. */
  meta: Record<string, unknown>;
}

export const emptyWorld = (): World => ({ version: 1, accounts: {}, sessions: {}, meta: {} });

export function ensureAccount(world: World, id: string, now = Date.now()): AccountState {
  if (!/^\d{12}$/.test(id)) throw new Error(`not an account id: ${id}`);
  return (world.accounts[id] ??= { id, createdAt: now, global: {}, regions: {} });
}

/** Service data shared by all regions of an account (IAM). */
export function globalSlice<T>(world: World, account: string, service: string, init: () => T): T {
  const acct = ensureAccount(world, account);
  return (acct.global[service] ??= init()) as T;
}

/** Service data of one account+region (CodeCommit, KMS, S3, …). */
export function regionSlice<T>(world: World, account: string, region: string, service: string, init: () => T): T {
  const acct = ensureAccount(world, account);
  const r = (acct.regions[region] ??= {});
  return (r[service] ??= init()) as T;
}

export function loadWorld(file: string): World | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as World;
  if (parsed.version !== 1) throw new Error(`unsupported sandbox state version in ${file}`);
  parsed.meta ??= {};
  parsed.sessions ??= {};
  return parsed;
}

/** Atomic save: write a temp file beside the target, then rename over it. */
export function saveWorld(file: string, world: World): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(world));
  renameSync(tmp, file);
}

/** Read-only: the global data of `service` in `account`, or undefined; creates nothing. */
export function peekGlobal<T>(world: World, account: string, service: string): T | undefined {
  return world.accounts[account]?.global?.[service] as T | undefined;
}

/** Read-only: the data of `service` in `account` and `region`, or undefined; creates nothing. */
export function peekRegion<T>(world: World, account: string, region: string, service: string): T | undefined {
  return world.accounts[account]?.regions?.[region]?.[service] as T | undefined;
}
