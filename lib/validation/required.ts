import { z } from "zod";

/**
 * A required text field: missing (a disabled or empty control submits nothing) or blank gives `message`, never
 * zod's "expected string, received undefined"; the value is trimmed, then judged by `rule`.
 */
export function required<T extends z.ZodType<string, string>>(message: string, rule: T) {
  return z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.string({ error: message }).min(1, message).pipe(rule));
}
