/**
 * Tags of the resource a request names, for aws:ResourceTag/<key> (and iam:ResourceTag/<key> on roles). One place for
 * every resource type listed in policy/request.ts RESOURCE_TAG_TYPES; reads the world directly (no service imports, so
 * no import cycles with the stores that call the evaluator).
 */
import type { ConditionContext } from "./policy/types";
import type { World } from "./state";

type TagList = { Key?: string; Value?: string; TagKey?: string; TagValue?: string; key?: string; value?: string }[];

function region(world: World, account: string, region: string, service: string): any {
  return world.accounts[account]?.regions?.[region]?.[service];
}
function global(world: World, account: string, service: string): any {
  return world.accounts[account]?.global?.[service];
}

/** arn → the tag list of that resource, or undefined when it does not exist (or is not a tagged type). */
export function resourceTags(world: World, arn: string): TagList | undefined {
  let m = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/.exec(arn);
  if (m) return region(world, m[2], m[1], "kms")?.keys?.[m[3]]?.tags;
  m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (m) {
    const role = global(world, m[1], "iam")?.roles?.[m[2].toLowerCase()];
    return role && role.arn === arn ? role.tags : undefined;
  }
  m = /^arn:aws:iam::(\d{12}):policy\/.+$/.exec(arn);
  if (m) return global(world, m[1], "iam")?.policies?.[arn]?.tags;
  m = /^arn:aws:codebuild:([a-z0-9-]+):(\d{12}):project\/(.+)$/.exec(arn);
  if (m) return region(world, m[2], m[1], "codebuild")?.projects?.[m[3]]?.tags;
  m = /^arn:aws:events:([a-z0-9-]+):(\d{12}):rule\/(?:([^/]+)\/)?([^/]+)$/.exec(arn);
  if (m) return region(world, m[2], m[1], "events")?.rules?.[`${m[3] ?? "default"}/${m[4]}`]?.tags;
  // A stage (PIPELINE/STAGE) or action (PIPELINE/STAGE/ACTION) cannot be tagged itself: the Service Authorization
  // Reference lists aws:ResourceTag for both resource types, and the tags they carry are their pipeline's.
  m = /^arn:aws:codepipeline:([a-z0-9-]+):(\d{12}):([^/:]+)(?:\/[^/]+){0,2}$/.exec(arn);
  if (m) return region(world, m[2], m[1], "codepipeline")?.pipelines?.[m[3]]?.tags;
  m = /^arn:aws:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]+)$/.exec(arn);
  if (m) return region(world, m[2], m[1], "sns")?.topics?.[m[3]]?.tags;
  m = /^arn:aws:codestar-notifications:([a-z0-9-]+):(\d{12}):notificationrule\/(.+)$/.exec(arn);
  if (m) {
    const rule = region(world, m[2], m[1], "codestar-notifications")?.rules?.[m[3]];
    return rule ? Object.entries(rule.tags ?? {}).map(([Key, Value]) => ({ Key, Value: String(Value) })) : undefined;
  }
  m = /^arn:aws:s3:::([^/]+)$/.exec(arn);
  if (m) {
    for (const a of Object.keys(world.accounts)) {
      const b = global(world, a, "s3")?.buckets?.[m[1]];
      if (b) return b.tags ?? [];
    }
  }
  return undefined;
}

/** aws:ResourceTag/<key> entries (plus iam:ResourceTag/<key> for IAM roles) for the resource `arn` names. */
export function resourceTagContext(world: World, arn: string): ConditionContext {
  const tags = resourceTags(world, arn) ?? [];
  const out: ConditionContext = {};
  const isRole = arn.startsWith("arn:aws:iam::") && arn.includes(":role/");
  for (const t of tags) {
    const k = t.Key ?? t.TagKey ?? t.key;
    if (!k) continue;
    const v = t.Value ?? t.TagValue ?? t.value ?? "";
    out[`aws:ResourceTag/${k}`] = v;
    if (isRole) out[`iam:ResourceTag/${k}`] = v;
  }
  return out;
}
