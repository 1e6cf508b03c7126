import { defineConfig } from "vitest/config";
import path from "node:path";

// `integration` runs the integration tier on SQLite, `integration-pg` the same files on PostgreSQL
// (tests/support/integration-setup.ts picks the database by project name). *.pg.int.test.ts files test what
// only PostgreSQL offers (several instances on one database) and run in the PostgreSQL pass only.

const alias = { "@": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "tests/support/empty.ts") };

/** The integration tier, on SQLite or on PostgreSQL (the project name picks the database). */
const integrationTier = {
  include: ["**/*.int.test.ts"],
  environment: "node",
  globalSetup: ["tests/support/integration-setup.ts"],
  setupFiles: ["tests/support/integration-env.ts"],
  testTimeout: 120_000,
  hookTimeout: 120_000,
  fileParallelism: false,
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: [
            "lib/**/*.test.ts",
            "sandbox/**/*.test.ts",
            "components/**/*.test.ts",
            "app/**/*.test.ts",
            "tests/docs/**/*.test.ts",
            "tests/lint/**/*.test.ts",
          ],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      { resolve: { alias }, test: { ...integrationTier, name: "integration", exclude: ["node_modules/**", "**/*.pg.int.test.ts"] } },
      { resolve: { alias }, test: { ...integrationTier, name: "integration-pg", exclude: ["node_modules/**"] } },
    ],
  },
});
