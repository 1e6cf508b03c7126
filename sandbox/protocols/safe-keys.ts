import { AwsError } from "../errors";

/** Path segments that reach Object.prototype when used as keys of plain objects. */
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

export const forbiddenSegment = (segment: string) => FORBIDDEN.has(segment);

export const forbiddenKey = (name: string) =>
  new AwsError("InvalidParameterValue", `The parameter name segment "${name}" is not allowed.`, 400, "Sender", "ValidationException");

/** Throws a 400 when any key of a parsed JSON value (at any depth) is __proto__, constructor or prototype. */
export function assertSafeKeys(value: unknown, depth = 0): void {
  if (depth > 64 || value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const v of value) assertSafeKeys(v, depth + 1);
    return;
  }
  for (const k of Object.keys(value)) {
    if (FORBIDDEN.has(k)) throw forbiddenKey(k);
    assertSafeKeys((value as Record<string, unknown>)[k], depth + 1);
  }
}
