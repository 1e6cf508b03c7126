// The shape of a database schema as Prisma manages it (tables, columns, indexes, foreign keys), read from the
// catalog, so two databases built in different ways can be compared. Hand-written objects that Prisma does not
// model (triggers, PostgreSQL's "AuditEventIssued") and Prisma's own bookkeeping table are left out.
import Database from "better-sqlite3";
import pg from "pg";

export const NOT_MODELLED = new Set(["_prisma_migrations", "sqlite_sequence", "AuditEventIssued"]);

export function sqliteShape(file: string): string[] {
  const raw = new Database(file, { readonly: true });
  try {
    const out: string[] = [];
    const tables = (raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[])
      .map((t) => t.name)
      .filter((t) => !NOT_MODELLED.has(t));
    for (const t of tables) {
      for (const c of raw.prepare(`PRAGMA table_info("${t}")`).all() as {
        name: string;
        type: string;
        notnull: number;
        dflt_value: string | null;
        pk: number;
      }[]) {
        out.push(`column ${t}.${c.name} ${c.type} ${c.notnull ? "NOT NULL" : "NULL"} default=${c.dflt_value} pk=${c.pk}`);
      }
      for (const i of raw.prepare(`PRAGMA index_list("${t}")`).all() as { name: string; unique: number; origin: string }[]) {
        const cols = (raw.prepare(`PRAGMA index_info("${i.name}")`).all() as { name: string }[]).map((c) => c.name).join(",");
        out.push(`index ${t}.${i.origin === "pk" ? "(pk)" : i.name} unique=${i.unique} (${cols})`);
      }
      for (const f of raw.prepare(`PRAGMA foreign_key_list("${t}")`).all() as {
        table: string;
        from: string;
        to: string;
        on_update: string;
        on_delete: string;
      }[]) {
        out.push(`fk ${t}.${f.from} -> ${f.table}.${f.to} on update ${f.on_update} on delete ${f.on_delete}`);
      }
    }
    return out.sort();
  } finally {
    raw.close();
  }
}

export async function postgresShape(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: string[] = [];
    const skip = [...NOT_MODELLED];
    const cols = await client.query(
      `SELECT table_name::text AS t, column_name::text AS c, data_type::text AS type, is_nullable::text AS nullable, column_default::text AS dflt
         FROM information_schema.columns WHERE table_schema = 'public' AND NOT (table_name::text = ANY($1))`,
      [skip],
    );
    for (const r of cols.rows) out.push(`column ${r.t}.${r.c} ${r.type} ${r.nullable === "NO" ? "NOT NULL" : "NULL"} default=${r.dflt}`);
    const idx = await client.query(
      `SELECT tablename::text AS t, indexname::text AS i, indexdef AS def FROM pg_indexes WHERE schemaname = 'public' AND NOT (tablename::text = ANY($1))`,
      [skip],
    );
    for (const r of idx.rows) out.push(`index ${r.t}.${r.i} ${r.def}`);
    const cons = await client.query(
      `SELECT c.conrelid::regclass::text AS t, c.conname::text AS n, pg_get_constraintdef(c.oid) AS def
         FROM pg_constraint c JOIN pg_namespace ns ON ns.oid = c.connamespace
        WHERE ns.nspname = 'public' AND NOT (trim(both '"' from c.conrelid::regclass::text) = ANY($1))`,
      [skip],
    );
    for (const r of cons.rows) out.push(`constraint ${r.t}.${r.n} ${r.def}`);
    return out.sort();
  } finally {
    await client.end();
  }
}
