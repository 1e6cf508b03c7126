import path from "node:path";

/** The SQLite database URL: DATABASE_URL when set, else the embedded default under .data/. */
export function databaseUrl(): string {
  const raw = process.env.DATABASE_URL?.trim() || "file:./.data/portal.db";
  if (!raw.startsWith("file:")) throw new Error(`DATABASE_URL must be a SQLite file: URL, got ${raw}`);
  const file = raw.slice("file:".length);
  return "file:" + (path.isAbsolute(file) ? file : path.resolve(/*turbopackIgnore: true*/ process.cwd(), file));
}
