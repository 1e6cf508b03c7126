/** Request validation every service shares: AWS's "1 validation error detected" wording, tag lists and tag maps. */
import { type AwsError, validationError } from "../../errors";
import { asList } from "../../policy/types";

/** AWS's message for one member that fails a constraint; an absent value reads `null`, an object its JSON. */
export function constraintMessage(field: string, value: unknown, rule: string): string {
  const shown = typeof value === "object" && value !== null ? JSON.stringify(value) : (value ?? "null");
  return `1 validation error detected: Value '${shown}' at '${field}' failed to satisfy constraint: ${rule}`;
}

/** The ValidationError (JSON: ValidationException) for one member that fails a constraint. */
export const constraint = (field: string, value: unknown, rule: string) => validationError(constraintMessage(field, value, rule));

/** How one service checks tags: lengths, count, and the errors it answers with (each service words them its own way). */
export interface TagRules {
  maxKeyLength: number;
  maxValueLength: number;
  /** Checked before the tags themselves; omitted where the service counts elsewhere (KMS counts the merged set). */
  maxTags?: number;
  tooMany?: () => AwsError;
  /** A missing value is stored as "" (CodeBuild, IAM); otherwise it is a bad value. */
  valueOptional?: boolean;
  badKey: (key: unknown) => AwsError;
  badValue: (key: string, value: unknown) => AwsError;
  /** Keys with this prefix are AWS's own (KMS: "aws:"). */
  reservedPrefix?: string;
  reserved?: (key: string) => AwsError;
}

/** The tag list of a request, without absent entries (a single tag may arrive as an object). */
export const presentTags = (tags: unknown): unknown[] => asList(tags as unknown[]).filter(Boolean);

function checkPairs(pairs: [unknown, unknown][], rules: TagRules): [string, string][] {
  if (rules.maxTags !== undefined && pairs.length > rules.maxTags) throw rules.tooMany!();
  return pairs.map(([key, value]) => {
    if (typeof key !== "string" || !key || key.length > rules.maxKeyLength) throw rules.badKey(key);
    if (value === undefined && rules.valueOptional) value = "";
    else if (typeof value !== "string" || value.length > rules.maxValueLength) throw rules.badValue(key, value);
    if (rules.reservedPrefix && key.startsWith(rules.reservedPrefix)) throw rules.reserved!(key);
    return [key, value as string];
  });
}

/** A list of `{<keyField>, <valueField>}` tags, checked by `rules`, in the service's own field names. */
export function checkTagList<K extends string, V extends string>(
  list: unknown[],
  keyField: K,
  valueField: V,
  rules: TagRules,
): Record<K | V, string>[] {
  const pairs = list.map(
    (t) => [(t as Record<string, unknown> | null)?.[keyField], (t as Record<string, unknown> | null)?.[valueField]] as [unknown, unknown],
  );
  return checkPairs(pairs, rules).map(([k, v]) => ({ [keyField]: k, [valueField]: v }) as Record<K | V, string>);
}

/** A `{key: value}` tag map, checked by `rules`. */
export function checkTagMap(map: Record<string, unknown>, rules: TagRules): Record<string, string> {
  return Object.fromEntries(checkPairs(Object.entries(map), rules));
}
