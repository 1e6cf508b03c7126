import { readFileSync } from "node:fs";
import path from "node:path";

/** A committed fixture's exact text. */
export function fixture(name: string): string {
  return readFileSync(path.join(__dirname, name), "utf8");
}

/** What a fixture holds for a value: `JSON.stringify(value, null, 2)` plus a final newline. */
export function pretty(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
