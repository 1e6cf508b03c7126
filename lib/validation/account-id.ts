import { z } from "zod";

/**
 * People copy account ids as the console prints them (`1234-5678-9012`) or group them by hand (`1234 5678 9012`).
 * Separators (spaces, hyphens) between digits are dropped so the one rule that follows judges the digits alone;
 * anything else is left as typed so its error names what was typed.
 */
export function normaliseAccountId(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  return /^\d[\d\s-]*\d$/.test(trimmed) ? trimmed.replace(/[\s-]+/g, "") : trimmed;
}

/** The AWS account id field of every form: normalised first, then exactly 12 digits, one message. */
export const accountIdField = z.preprocess(
  normaliseAccountId,
  z.string({ error: "Enter the 12-digit AWS account id." }).regex(/^\d{12}$/, "An AWS account id is exactly 12 digits."),
);
