// Runs the Prisma CLI with the JS schema engine. The CLI still checks that native engine files exist
// before it starts, although engine "js" never uses them; point those checks at an existing file.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { writePostgresSchema } from "./render-schema.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const placeholder = path.join(root, "package.json");

export function prismaEnv(extra = {}) {
  return {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: placeholder,
    PRISMA_QUERY_ENGINE_LIBRARY: placeholder,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
    DATABASE_URL: process.env.DATABASE_URL || "file:./.data/portal.db",
    ...extra,
  };
}

export function runPrisma(args, extraEnv = {}) {
  const bin = path.join(root, "node_modules", "prisma", "build", "index.js");
  const res = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: "inherit", env: prismaEnv(extraEnv) });
  if (res.status !== 0) throw new Error(`prisma ${args.join(" ")} failed with exit code ${res.status}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    writePostgresSchema();
    runPrisma(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
