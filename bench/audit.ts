// `npm run bench:audit`: the audit history at 1,000,000 events, in a temporary SQLite database, or, with
// DATABASE_URL=postgresql://…, in a temporary database created on that PostgreSQL server (dropped afterwards).
// Seeds the events with raw batched INSERTs computing the real chain hashes, then measures, through the same
// functions the portal uses: the filtered history page (lib/audit/query.ts), chain verification
// (lib/audit/verify.ts) and the streamed export's peak RSS (lib/audit/export.ts) at 100k and at 1M events.
// Seeding runs in a child process. Ends with one JSON line. BENCH_EVENTS overrides the size; BENCH_KEEP=1 keeps the database.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import Database from "better-sqlite3";
import pg from "pg";
import { GENESIS_HASH, keyedHash, type HashedContent } from "@/lib/audit/hash";
import { auditKey } from "@/lib/audit/key";
import type { AuditFilters } from "@/lib/audit/filters";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const START = Date.UTC(2025, 0, 1);
const SPAN_MS = 365 * 24 * 3600 * 1000;
const ACTORS = Array.from({ length: 60 }, (_, i) => `user${i}@example.com`);
const ACTIONS = [
  "auth.signin",
  "accounts.create",
  "accounts.update",
  "accounts.testConnection",
  "onboardings.create",
  "onboardings.apply",
  "runs.step",
  "pipelines.start",
  "users.create",
  "users.setRole",
  "users.disable",
  "page.view",
  "route.call",
  "audit.export",
  "audit.verify",
];
const TARGET_TYPES = ["user", "account", "onboarding", "run", "pipeline", "page"];
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const log = (msg: string) => console.error(`[bench:audit] ${msg}`);
const rnd = (() => {
  let s = 42;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
})();
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
const atOf = (seq: number) => new Date(START + Math.floor((seq / EVENTS) * SPAN_MS));

const COLUMNS = [
  "seq",
  "at",
  "actorId",
  "actorEmail",
  "action",
  "targetType",
  "targetId",
  "outcome",
  "details",
  "requestIds",
  "ip",
  "userAgent",
  "prevHash",
  "hash",
] as const;

/** The events in seq order, each with its real chain hash (deterministic). */
function* events(): Generator<unknown[]> {
  let prev = GENESIS_HASH;
  const key = auditKey();
  for (let seq = 1; seq <= EVENTS; seq++) {
    const targetType = pick(TARGET_TYPES);
    const r = rnd();
    const c: HashedContent = {
      at: atOf(seq),
      actorId: null,
      actorEmail: pick(ACTORS),
      action: pick(ACTIONS),
      targetType,
      targetId: `${targetType}-${Math.floor(rnd() * 500)}`,
      outcome: r < 0.85 ? "success" : r < 0.95 ? "failure" : "denied",
      details: JSON.stringify({ n: seq, note: "bench" }),
      requestIds: rnd() < 0.3 ? `req-${seq.toString(16)}-a,req-${seq.toString(16)}-b` : null,
      ip: `10.0.${seq % 256}.${(seq >> 8) % 256}`,
      userAgent: "Mozilla/5.0 (bench)",
    };
    const hash = keyedHash(key, prev, c);
    yield [
      seq,
      c.at,
      c.actorId,
      c.actorEmail,
      c.action,
      c.targetType,
      c.targetId,
      c.outcome,
      c.details,
      c.requestIds,
      c.ip,
      c.userAgent,
      prev,
      hash,
    ];
    prev = hash;
  }
}

function seedSqlite(file: string) {
  const raw = new Database(file);
  raw.pragma("journal_mode = OFF");
  raw.pragma("synchronous = OFF");
  raw.pragma("cache_size = -1000000");
  const insert = raw.prepare(`INSERT INTO "AuditEvent" (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`);
  const gen = events();
  const batch = raw.transaction((n: number) => {
    for (let i = 0; i < n; i++) {
      const row = gen.next().value as unknown[];
      row[1] = (row[1] as Date).toISOString().replace("Z", "+00:00");
      insert.run(...row);
    }
  });
  for (let from = 1; from <= EVENTS; from += 20_000) {
    batch(Math.min(20_000, EVENTS - from + 1));
    if ((from - 1) % 200_000 === 0) log(`seeded ${from - 1}…`);
  }
  raw.close();
}

async function seedPostgres(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Bulk load without the per-row triggers where allowed (a superuser); the issued-seq row is set at the end.
  const bulk = await client.query("SET session_replication_role = replica").then(
    () => true,
    () => false,
  );
  const ROWS = 1000;
  const cols = COLUMNS.map((c) => `"${c}"`).join(", ");
  let rows: unknown[][] = [];
  const flush = async () => {
    if (!rows.length) return;
    const values = rows.map((_, i) => `(${COLUMNS.map((__, j) => `$${i * COLUMNS.length + j + 1}`).join(", ")})`).join(", ");
    await client.query(`INSERT INTO "AuditEvent" (${cols}) VALUES ${values}`, rows.flat());
    rows = [];
  };
  await client.query("BEGIN");
  for (const row of events()) {
    row[1] = (row[1] as Date).toISOString().replace("Z", ""); // timestamp(3) without time zone, in UTC as Prisma reads it
    rows.push(row);
    if (rows.length === ROWS) await flush();
    const seq = row[0] as number;
    if (seq % 200_000 === 0) {
      await client.query("COMMIT");
      log(`seeded ${seq}…`);
      await client.query("BEGIN");
    }
  }
  await flush();
  if (bulk) await client.query(`UPDATE "AuditEventIssued" SET "seq" = $1`, [EVENTS]);
  await client.query("COMMIT");
  await client.query(`VACUUM ANALYZE "AuditEvent"`);
  await client.end();
}

async function seed(url: string) {
  const started = performance.now();
  if (url.startsWith("file:")) seedSqlite(url.slice("file:".length));
  else await seedPostgres(url);
  log(`seeded ${EVENTS} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** A fresh database for the run: a temp SQLite file, or a new database on DATABASE_URL's PostgreSQL server. */
async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void>; where: string }> {
  const given = process.env.DATABASE_URL ?? "";
  if (/^postgres(ql)?:\/\//.test(given)) {
    const name = `bench_audit_${process.pid}`;
    const admin = new pg.Client({ connectionString: given });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const u = new URL(given);
    u.pathname = `/${name}`;
    const drop = async () => {
      const c = new pg.Client({ connectionString: given });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => c.end());
    };
    return { url: u.toString(), drop, where: `PostgreSQL database ${name}` };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-audit-"));
  const file = path.join(dir, "bench.db");
  return { url: `file:${file}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }), where: file };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const round = (x: number) => Math.round(x * 10) / 10;

async function main() {
  const target = await benchDatabase();
  process.env.DATABASE_URL = target.url;
  log(`database: ${target.where}`);
  execFileSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], { env: process.env, stdio: ["ignore", "ignore", "inherit"] });
  // Seeding runs in a child process, so its page cache does not count in the RSS measured below.
  execFileSync(process.execPath, [...process.execArgv, process.argv[1], "--seed", target.url], {
    env: process.env,
    stdio: ["ignore", "inherit", "inherit"],
  });

  // The portal's own modules, on the bench database (lib/db reads DATABASE_URL when first imported).
  const { queryAuditPage } = await import("@/lib/audit/query");
  const { verifyChain } = await import("@/lib/audit/verify");
  const { auditExportStream } = await import("@/lib/audit/export");
  const { db } = await import("@/lib/db");

  // 1. The filtered history page: ~50 runs over varied filters and cursors.
  const day = (d: number) => new Date(START + d * 86400_000);
  const mid = Math.floor(EVENTS / 2);
  const filterSets: { name: string; f: AuditFilters; before?: number }[] = [
    { name: "none", f: {} },
    { name: "actor", f: { actor: "user7@example.com" } },
    { name: "action", f: { action: "users.setRole" } },
    { name: "outcome", f: { outcome: "denied" } },
    { name: "target", f: { targetType: "onboarding", targetId: "onboarding-123" } },
    { name: "targetType", f: { targetType: "pipeline" } },
    { name: "actor+outcome", f: { actor: "user3@example.com", outcome: "failure" } },
    { name: "one day", f: { from: day(200), to: day(201) } },
    { name: "30 days", f: { from: day(330) } },
    { name: "actor+range", f: { actor: "user11@example.com", from: day(10), to: day(40) } },
    { name: "action+range", f: { action: "audit.export", from: day(100), to: day(300) } },
    { name: "deep page", f: {}, before: mid },
    { name: "actor deep page", f: { actor: "user21@example.com" }, before: mid },
  ];
  await queryAuditPage({}); // warm up the client
  const times: number[] = [];
  const byName: Record<string, number[]> = {};
  for (let run = 0; run < 52; run++) {
    const { name, f, before } = filterSets[run % filterSets.length];
    const t = performance.now();
    const page = await queryAuditPage(f, { before });
    const ms = performance.now() - t;
    if (page.events.length === 0) throw new Error(`filter ${name} matched nothing`);
    times.push(ms);
    (byName[name] ??= []).push(ms);
  }
  for (const [name, xs] of Object.entries(byName)) log(`page ${name.padEnd(16)} ${xs.map((x) => x.toFixed(1)).join(" / ")} ms`);
  const page_p50_ms = round(pct(times, 50));
  const page_p95_ms = round(pct(times, 95));
  log(`page p50 ${page_p50_ms} ms, p95 ${page_p95_ms} ms`);

  // 2. Export peak RSS, 100k then the full set, streamed into a null sink.
  async function exportPeak(filters: AuditFilters) {
    gc();
    const base = process.memoryUsage().rss;
    let peak = base;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    let bytes = 0;
    const reader = auditExportStream(filters, "csv").getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    clearInterval(timer);
    return {
      peakMb: round(peak / 2 ** 20),
      baseMb: round(base / 2 ** 20),
      mb: round(bytes / 2 ** 20),
      s: round((performance.now() - started) / 1000),
    };
  }
  const from100k = atOf(EVENTS - 100_000 + 1);
  const small = await exportPeak({ from: from100k });
  log(`export ~100k events: ${small.mb} MB in ${small.s} s, RSS before ${small.baseMb} MB, peak ${small.peakMb} MB`);
  const full = await exportPeak({});
  log(`export ${EVENTS} events: ${full.mb} MB in ${full.s} s, RSS before ${full.baseMb} MB, peak ${full.peakMb} MB`);

  // 3. Chain verification of the whole chain.
  const v = await verifyChain();
  if (!v.intact || v.checked !== EVENTS) throw new Error(`verification failed: ${JSON.stringify(v.problem)}`);
  const verify_ms_per_100k = Math.round(v.durationMs / (EVENTS / 100_000));
  log(`verified ${v.checked} events in ${(v.durationMs / 1000).toFixed(1)} s (${verify_ms_per_100k} ms per 100k)`);

  await db.$disconnect();
  if (!process.env.BENCH_KEEP) await target.drop();
  else log(`kept ${target.where}`);
  console.log(
    JSON.stringify({
      database: target.url.startsWith("file:") ? "sqlite" : "postgresql",
      events: EVENTS,
      page_p50_ms,
      page_p95_ms,
      verify_ms_per_100k,
      export_peak_rss_mb: full.peakMb,
      export_100k_peak_rss_mb: small.peakMb,
      page_max_ms: round(Math.max(...times)),
    }),
  );
}

const run = process.argv[2] === "--seed" ? () => seed(process.argv[3]) : main;
run().catch((e) => {
  console.error(e);
  process.exit(1);
});
