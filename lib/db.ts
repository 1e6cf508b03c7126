import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { PrismaClient as PrismaClientPg } from "@/lib/generated/prisma-pg/client";
import { databaseProvider, databaseUrl, type DatabaseProvider } from "@/lib/config/database-url";
import { processSingleton } from "@/lib/core/singleton";

export type Db = PrismaClient;
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

/** Which database this process talks to (raw SQL that differs between the two branches on it). */
export const dbProvider: DatabaseProvider = databaseProvider();

/** A new Prisma client on DATABASE_URL. The process uses `db`; tests open a second one to act as another instance. */
export function createClient(): PrismaClient {
  if (dbProvider === "postgresql") {
    // Both clients are generated from one data model (prisma/schema.prisma; the PostgreSQL schema is rendered
    // from it), so their model APIs are the same: the application is typed against one of them.
    return new PrismaClientPg({ adapter: new PrismaPg({ connectionString: databaseUrl() }) }) as unknown as PrismaClient;
  }
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl(), timeout: 10_000 }) });
}

/** The one Prisma client of the process (a process singleton, so dev reloads do not open new connections). */
export const db: PrismaClient = processSingleton("portalDb", createClient);
