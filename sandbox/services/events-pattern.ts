/**
 * EventBridge event patterns: write-time validation (InvalidEventPatternException) and matching. Pure.
 *
 * Implemented: exact values (string, number, boolean, null) in arrays, nested objects, event arrays (any element
 * matches), `prefix`, `suffix`, `equals-ignore-case`, `anything-but` (value, list, {prefix}, {suffix}), `exists`,
 * `numeric` (=, <, <=, >, >= and ranges), `wildcard`, top-level and nested `$or`. Not implemented (rejected at write
 * time, so nothing silently matches): `cidr`.
 */
import { AwsError } from "../errors";

export type EventPattern = Record<string, unknown>;

const invalid = (reason: string) => new AwsError("InvalidEventPatternException", `Event pattern is not valid. Reason: ${reason}`, 400);

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isLiteral = (v: unknown) => v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";
const NUMERIC_OPS = new Set(["=", "<", "<=", ">", ">="]);

/** Parse and validate an EventPattern string; throws InvalidEventPatternException like AWS. */
export function parseEventPattern(text: unknown): EventPattern {
  if (typeof text !== "string" || !text.trim()) throw invalid("Filter is not an object");
  if (text.length > 4096) throw invalid("Event pattern exceeds the maximum length of 4096");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw invalid(`Unrecognized token: ${(e as Error).message}`);
  }
  if (!isObj(doc)) throw invalid("Filter is not an object");
  if (Object.keys(doc).length === 0) throw invalid("Empty objects are not allowed");
  checkObject(doc, "");
  return doc;
}

function checkObject(obj: Record<string, unknown>, path: string): void {
  for (const [key, value] of Object.entries(obj)) {
    const at = path ? `${path}.${key}` : key;
    if (key === "$or") {
      if (!Array.isArray(value) || value.length < 2) throw invalid(`"$or" must be an array of at least two objects at ${at}`);
      for (const alt of value) {
        if (!isObj(alt) || Object.keys(alt).length === 0) throw invalid(`"$or" must hold non-empty objects at ${at}`);
        checkObject(alt, path);
      }
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw invalid(`Empty arrays are not allowed at ${at}`);
      for (const v of value) checkMatcher(v, at);
    } else if (isObj(value)) {
      if (Object.keys(value).length === 0) throw invalid(`Empty objects are not allowed at ${at}`);
      checkObject(value, at);
    } else {
      throw invalid(`Match value must be String, number, true, false, or null at ${at}`);
    }
  }
}

function checkMatcher(m: unknown, at: string): void {
  if (isLiteral(m)) return;
  if (!isObj(m)) throw invalid(`Match value must be String, number, true, false, or null at ${at}`);
  const keys = Object.keys(m);
  if (keys.length !== 1) throw invalid(`A match expression holds exactly one operator at ${at}`);
  const [op] = keys;
  const v = m[op];
  switch (op) {
    case "prefix":
    case "suffix":
      if (typeof v === "string") return;
      if (isObj(v) && Object.keys(v).length === 1 && typeof v["equals-ignore-case"] === "string") return;
      throw invalid(`${op} match pattern must be a string at ${at}`);
    case "equals-ignore-case":
    case "wildcard":
      if (typeof v !== "string") throw invalid(`${op} match pattern must be a string at ${at}`);
      return;
    case "exists":
      if (typeof v !== "boolean") throw invalid(`exists match pattern must be either true or false at ${at}`);
      return;
    case "anything-but":
      if (isLiteral(v) && v !== null) return;
      if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string" || typeof x === "number")) return;
      if (isObj(v) && Object.keys(v).length === 1 && (typeof v.prefix === "string" || typeof v.suffix === "string")) return;
      throw invalid(`Value of anything-but must be an array or single string/number value at ${at}`);
    case "numeric": {
      if (!Array.isArray(v) || v.length === 0 || v.length > 4 || v.length % 2 !== 0)
        throw invalid(`Value of numeric must be an array at ${at}`);
      for (let i = 0; i < v.length; i += 2) {
        if (typeof v[i] !== "string" || !NUMERIC_OPS.has(v[i] as string))
          throw invalid(`Unrecognized numeric range operator: ${v[i]} at ${at}`);
        if (typeof v[i + 1] !== "number") throw invalid(`Value of ${v[i]} must be numeric at ${at}`);
      }
      return;
    }
    case "cidr":
      throw invalid(`the sandbox does not implement the cidr match type (at ${at})`);
    default:
      throw invalid(`Unrecognized match type ${op} at ${at}`);
  }
}

/** Does the event (a parsed event envelope) match the pattern? */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return matchObject(pattern, event);
}

function matchObject(pattern: Record<string, unknown>, value: unknown): boolean {
  const obj = isObj(value) ? value : {};
  for (const [key, p] of Object.entries(pattern)) {
    if (key === "$or") {
      if (!(p as Record<string, unknown>[]).some((alt) => matchObject(alt, value))) return false;
      continue;
    }
    const field = obj[key];
    if (Array.isArray(p)) {
      if (!matchLeaf(p, field, key in obj)) return false;
    } else if (isObj(p)) {
      if (!isObj(field)) return false;
      if (!matchObject(p, field)) return false;
    }
  }
  return true;
}

function matchLeaf(matchers: unknown[], field: unknown, present: boolean): boolean {
  // `exists` looks at presence; a present object/array of objects is not a leaf value.
  const values = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return matchers.some((m) => {
    if (isObj(m) && "exists" in m) return m.exists === (present && field !== undefined && !isObj(field));
    if (isObj(m) && "anything-but" in m) {
      // anything-but needs a value to be present
      return values.length > 0 && values.some((v) => !isObj(v) && matchOne(m, v));
    }
    return values.some((v) => !isObj(v) && matchOne(m, v));
  });
}

function matchOne(m: unknown, v: unknown): boolean {
  if (isLiteral(m)) return m === v;
  const [op, arg] = Object.entries(m as Record<string, unknown>)[0];
  const s = typeof v === "string" ? v : undefined;
  switch (op) {
    case "prefix":
      if (s === undefined) return false;
      return typeof arg === "string"
        ? s.startsWith(arg)
        : s.toLowerCase().startsWith(String((arg as Record<string, unknown>)["equals-ignore-case"]).toLowerCase());
    case "suffix":
      if (s === undefined) return false;
      return typeof arg === "string"
        ? s.endsWith(arg)
        : s.toLowerCase().endsWith(String((arg as Record<string, unknown>)["equals-ignore-case"]).toLowerCase());
    case "equals-ignore-case":
      return s !== undefined && s.toLowerCase() === String(arg).toLowerCase();
    case "wildcard":
      return (
        s !== undefined &&
        new RegExp(
          `^${String(arg)
            .split("*")
            .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join(".*")}$`,
          "s",
        ).test(s)
      );
    case "anything-but": {
      if (isObj(arg)) {
        if (s === undefined) return false;
        if (typeof arg.prefix === "string") return !s.startsWith(arg.prefix);
        return !s.endsWith(String(arg.suffix));
      }
      return !(Array.isArray(arg) ? arg : [arg]).some((x) => x === v);
    }
    case "numeric": {
      if (typeof v !== "number") return false;
      const list = arg as (string | number)[];
      for (let i = 0; i < list.length; i += 2) {
        const n = list[i + 1] as number;
        const ok = { "=": v === n, "<": v < n, "<=": v <= n, ">": v > n, ">=": v >= n }[list[i] as string];
        if (!ok) return false;
      }
      return true;
    }
    default:
      return false;
  }
}
