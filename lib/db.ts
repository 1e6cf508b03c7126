import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseUrl } from "@/lib/config/database-url";

export type Db = PrismaClient;
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

function createClient(): PrismaClient {
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl(), timeout: 10_000 }) });
}

const globalForDb = globalThis as unknown as { portalDb?: PrismaClient };

/** The one Prisma client of the process (kept on globalThis so dev reloads do not open new connections). */
export const db: PrismaClient = globalForDb.portalDb ?? (globalForDb.portalDb = createClient());
