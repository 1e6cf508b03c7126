// Plain SQL on a database given by URL (SQLite file: or postgresql://), for tests that look at a database
// other than the run's own (e.g. one a started service owns). Identifiers quoted, `?` placeholders.
import Database from "better-sqlite3";
import pg from "pg";

export async function rawQuery<T>(url: string, sql: string, ...params: unknown[]): Promise<T[]> {
  if (url.startsWith("file:")) {
    const raw = new Database(url.slice("file:".length), { readonly: true, timeout: 10_000 });
    try {
      return raw.prepare(sql).all(...params) as T[];
    } finally {
      raw.close();
    }
  }
  let n = 0;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (
      await client.query(
        sql.replace(/\?/g, () => `$${++n}`),
        params,
      )
    ).rows as T[];
  } finally {
    await client.end();
  }
}
