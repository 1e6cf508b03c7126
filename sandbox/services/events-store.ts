/** EventBridge data model (default buses, rules, targets) and ARNs, shared by the wire handlers and event delivery. */
import type { PolicyDocument } from "../policy/types";
import { type World, regionSlice } from "../state";

export interface Tag {
  Key: string;
  Value: string;
}

export interface EventTarget {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  /** Any other target fields, kept as given. */
  [k: string]: unknown;
}

export interface EventRule {
  name: string;
  arn: string;
  eventBusName: string;
  /** As written (JSON text). */
  eventPattern?: string;
  scheduleExpression?: string;
  state: "ENABLED" | "DISABLED" | "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";
  description?: string;
  roleArn?: string;
  createdBy: string;
  createdAt: number;
  tags: Tag[];
  targets: EventTarget[];
}

export interface EventBus {
  name: string;
  arn: string;
  createdAt: number;
  /** Resource policy (from PutPermission statements or a full Policy). */
  policy?: PolicyDocument;
}

export interface EventsState {
  buses: Record<string, EventBus>;
  /** Keyed by `${busName}/${ruleName}`. */
  rules: Record<string, EventRule>;
}

export const busArn = (region: string, account: string, name = "default") => `arn:aws:events:${region}:${account}:event-bus/${name}`;
export const ruleArn = (region: string, account: string, name: string, bus = "default") =>
  bus === "default" ? `arn:aws:events:${region}:${account}:rule/${name}` : `arn:aws:events:${region}:${account}:rule/${bus}/${name}`;

/** arn:aws:events:R:A:event-bus/NAME → parts. */
export function parseBusArn(arn: string): { region: string; account: string; name: string } | undefined {
  const m = /^arn:aws:events:([a-z0-9-]+):(\d{12}):event-bus\/([\w.\-/]+)$/.exec(arn);
  return m ? { region: m[1], account: m[2], name: m[3] } : undefined;
}

export function eventsState(world: World, account: string, region: string): EventsState {
  const s = regionSlice<EventsState>(world, account, region, "events", () => ({ buses: {}, rules: {} }));
  s.buses.default ??= { name: "default", arn: busArn(region, account), createdAt: Date.now() };
  return s;
}

/** The bus of an account+region when it exists (only default buses exist in the sandbox). */
export function findBus(world: World, account: string, region: string, name: string): EventBus | undefined {
  if (!world.accounts[account]) return undefined;
  return eventsState(world, account, region).buses[name];
}
