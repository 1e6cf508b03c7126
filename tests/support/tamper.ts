// An attacker with direct database access, for the audit tamper tests, on either database. The run's own
// database keeps its triggers and its chain:
// - SQLite: a COPY of the run's database (backup API) with the append-only triggers dropped through a
//   separate better-sqlite3 connection; verification runs through a Prisma client on the copy.
// - PostgreSQL: one transaction on the run's database with triggers disabled (session_replication_role =
//   replica, as a superuser can), tampered and verified inside it, then rolled back.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { db, dbProvider, type Tx } from "@/lib/db";
import { PrismaClient } from "@/lib/generated/prisma/client";

export interface Tampered {
  /** Runs SQL with `?` placeholders (identifiers quoted, so one text works on both databases). */
  run(sql: string, ...params: unknown[]): Promise<void>;
  /** The first row of a query. */
  one<T>(sql: string, ...params: unknown[]): Promise<T>;
  /** A Prisma client (or transaction) that sees the tampered data, for the real verifyChain. */
  client(): Tx;
}

const toPg = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

class Rollback extends Error {}

export async function withTampered<T>(name: string, work: (t: Tampered) => Promise<T>): Promise<T> {
  if (dbProvider === "postgresql") {
    let out!: T;
    await db
      .$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
          out = await work({
            run: async (sql, ...params) => void (await tx.$executeRawUnsafe(toPg(sql), ...params)),
            one: async <R>(sql: string, ...params: unknown[]) => ((await tx.$queryRawUnsafe<R[]>(toPg(sql), ...params)) as R[])[0],
            client: () => tx,
          });
          throw new Rollback();
        },
        { timeout: 60_000 },
      )
      .catch((e) => {
        if (!(e instanceof Rollback)) throw e;
      });
    return out;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-tamper-"));
  const file = path.join(dir, `${name}.db`);
  const src = new Database(process.env.DATABASE_URL!.replace(/^file:/, ""), { readonly: true });
  await src.backup(file);
  src.close();
  const raw = new Database(file);
  raw.exec(`DROP TRIGGER "AuditEvent_no_update"; DROP TRIGGER "AuditEvent_no_delete";`);
  const prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}` }) });
  try {
    return await work({
      run: async (sql, ...params) => void raw.prepare(sql).run(...params),
      one: async <R>(sql: string, ...params: unknown[]) => raw.prepare(sql).get(...params) as R,
      client: () => prisma,
    });
  } finally {
    raw.close();
    await prisma.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
