/**
 * Tags of the resource a request names, for aws:ResourceTag/<key> (and iam:ResourceTag/<key> on roles). Each service
 * declares how its resources' tags are found (`resourceTags` in its defineService, for the resource types listed in
 * policy/request.ts RESOURCE_TAG_TYPES); services/index.ts registers them all here. This file imports no service, so
 * the stores that call the evaluator import it without a cycle.
 */
import type { ConditionContext } from "./policy/types";
import type { World } from "./state";

export type TagList = { Key?: string; Value?: string; TagKey?: string; TagValue?: string; key?: string; value?: string }[];

/** How the tags of one resource type are found. */
export interface ResourceTagLookup {
  /** The ARNs of this resource type; the match is handed to `tags`. */
  arn: RegExp;
  /** The resource's tags, or undefined when it does not exist. Reads the world without creating anything. */
  tags(world: World, match: RegExpExecArray): TagList | undefined;
  /** Also give the tags as `<prefix>:ResourceTag/<key>` (IAM roles: "iam"). */
  servicePrefix?: string;
}

const LOOKUPS: ResourceTagLookup[] = [];

/** services/index.ts calls this once with every service's lookups. */
export function registerResourceTagLookups(lookups: ResourceTagLookup[]): void {
  for (const l of lookups) if (!LOOKUPS.includes(l)) LOOKUPS.push(l);
}

function lookupOf(arn: string): { lookup: ResourceTagLookup; match: RegExpExecArray } | undefined {
  // Without registered lookups every tag condition would silently fail closed.
  if (!LOOKUPS.length) throw new Error("no resource tag lookups registered: import sandbox/services before authorizing");
  for (const lookup of LOOKUPS) {
    const match = lookup.arn.exec(arn);
    if (match) return { lookup, match };
  }
  return undefined;
}

/** arn → the tag list of that resource, or undefined when it does not exist (or is not a tagged type). */
export function resourceTags(world: World, arn: string): TagList | undefined {
  const found = lookupOf(arn);
  return found?.lookup.tags(world, found.match);
}

/** aws:ResourceTag/<key> entries (plus e.g. iam:ResourceTag/<key> for IAM roles) for the resource `arn` names. */
export function resourceTagContext(world: World, arn: string): ConditionContext {
  const found = lookupOf(arn);
  const tags = found?.lookup.tags(world, found.match) ?? [];
  const prefix = found?.lookup.servicePrefix;
  const out: ConditionContext = {};
  for (const t of tags) {
    const k = t.Key ?? t.TagKey ?? t.key;
    if (!k) continue;
    const v = t.Value ?? t.TagValue ?? t.value ?? "";
    out[`aws:ResourceTag/${k}`] = v;
    if (prefix) out[`${prefix}:ResourceTag/${k}`] = v;
  }
  return out;
}
