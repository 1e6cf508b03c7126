/**
 * JSON helpers. Documents are authored in a readable key order (Sid, Effect, Principal, Action, Resource,
 * Condition) and printed as written; `canonicalize` gives an order-independent form for comparison.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Deep copy with object keys sorted (arrays keep their order); `undefined` members are dropped. */
export function canonicalize<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => canonicalize(v)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonicalize(v);
    }
    return out as T;
  }
  return value;
}

/** Compact JSON with sorted keys: equal for structurally equal values whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}

/** Pretty JSON in authored key order (what the plan view shows and what is sent to AWS). */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Compact JSON in authored key order. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value);
}
