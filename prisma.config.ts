import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { databaseProvider, databaseUrl } from "./lib/config/database-url";
import { prismaCliPgAdapter } from "./prisma/support/pg-cli-adapter";

// One data model, two databases (see scripts/render-schema.mjs): DATABASE_URL picks the schema, the
// migration folder and the driver adapter. Both folders hold the same migrations, by name.
const postgres = databaseProvider() === "postgresql";
const dir = postgres ? path.join("prisma", "postgres") : "prisma";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(dir, "schema.prisma"),
  migrations: { path: path.join(dir, "migrations") },
  adapter: async () => {
    if (!postgres) return new PrismaBetterSQLite3({ url: databaseUrl() });
    return prismaCliPgAdapter(databaseUrl());
  },
});
