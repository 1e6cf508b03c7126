// A throwaway PostgreSQL server for tests and benchmarks: TEST_POSTGRES_URL when set (a server you run),
// else a fresh cluster from the installed PostgreSQL binaries (Debian's `postgresql` package), in a temporary
// directory on a free loopback port. PostgreSQL refuses to run as root: as root the cluster belongs to, and
// runs as, the `postgres` user the Debian package creates. No PostgreSQL at all is an error, never a skip.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export class NoPostgresError extends Error {}

function findBinDir() {
  const candidates = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  const debian = "/usr/lib/postgresql";
  if (fs.existsSync(debian)) {
    const versions = fs
      .readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (Number(v) >= 15) candidates.push(path.join(debian, v, "bin"));
  }
  const which = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  if (which.status === 0 && which.stdout.trim()) candidates.push(path.dirname(which.stdout.trim()));
  return candidates.find((d) => fs.existsSync(path.join(d, "initdb")) && fs.existsSync(path.join(d, "pg_ctl")));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts (or finds) a PostgreSQL server; resolves to its URL (database `postgres`) and a stop function. */
export async function startTestPostgres() {
  if (process.env.TEST_POSTGRES_URL) return { url: process.env.TEST_POSTGRES_URL, stop() {}, external: true };
  const bin = findBinDir();
  if (!bin) {
    throw new NoPostgresError(
      "PostgreSQL 15+ is required for the PostgreSQL test pass and none was found.\n" +
        "  Install it (Debian: apt-get install -y postgresql; `bash .ci/run` does this) or set TEST_POSTGRES_URL=postgresql://user@host:port/db to a server.",
    );
  }
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-pg-"));
  const data = path.join(dir, "data");
  let run = (cmd, args) => execFileSync(path.join(bin, cmd), args, { stdio: ["ignore", "pipe", "pipe"] });
  if (asRoot) {
    const pgUid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    if (pgUid.status !== 0)
      throw new NoPostgresError(
        "Running as root, PostgreSQL needs the `postgres` user (created by Debian's postgresql package); none exists.",
      );
    const uid = Number(pgUid.stdout.trim());
    const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim());
    fs.chownSync(dir, uid, gid);
    run = (cmd, args) =>
      execFileSync("runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  }
  const port = await freePort();
  let opts = "";
  try {
    run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
    // Durability settings off: a test cluster is thrown away; it only has to behave like PostgreSQL.
    opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    run("pg_ctl", ["-D", data, "-o", opts, "-l", path.join(dir, "server.log"), "-w", "-t", "60", "start"]);
  } catch (e) {
    const log = path.join(dir, "server.log");
    const detail = `${e.stderr ?? ""}${fs.existsSync(log) ? fs.readFileSync(log, "utf8") : ""}`;
    fs.rmSync(dir, { recursive: true, force: true });
    throw new NoPostgresError(`Could not start PostgreSQL from ${bin}: ${e.message}\n${detail}`);
  }
  let stopped = false;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    external: false,
    /** An immediate stop (as a crash) and a start on the same port and data (the chaos drill's database restart). */
    restart() {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      run("pg_ctl", ["-D", data, "-o", opts, "-l", path.join(dir, "server.log"), "-w", "-t", "60", "start"]);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The URL of database `name` on the same server as `url`. */
export function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

// `node scripts/postgres.mjs`: start one, print its URL, stop on Ctrl-C / SIGTERM (handy for manual runs).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const pg = await startTestPostgres();
  console.log(pg.url);
  const stop = () => {
    pg.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  setInterval(() => {}, 1 << 30);
}
