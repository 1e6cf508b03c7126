import path from "node:path";

export type DatabaseProvider = "sqlite" | "postgresql";

const DEFAULT_URL = "file:./.data/portal.db";

/** Which database DATABASE_URL names: a SQLite `file:` URL (the embedded default) or PostgreSQL 15+. */
export function databaseProvider(raw = process.env.DATABASE_URL): DatabaseProvider {
  const url = raw?.trim() || DEFAULT_URL;
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error(`DATABASE_URL must be a SQLite file: URL or a postgresql:// URL, got ${url.replace(/\/\/[^@/]*@/, "//***@")}`);
}

/**
 * The database URL: DATABASE_URL when set, else the embedded SQLite default under .data/. A relative SQLite
 * path is resolved against the working directory; a PostgreSQL URL is used as given.
 */
export function databaseUrl(): string {
  const raw = process.env.DATABASE_URL?.trim() || DEFAULT_URL;
  if (databaseProvider(raw) === "postgresql") return raw;
  const file = raw.slice("file:".length);
  return "file:" + (path.isAbsolute(file) ? file : path.resolve(/*turbopackIgnore: true*/ process.cwd(), file));
}
