// npm run drill:chaos — crash-safety end to end, against the processes a user runs. The real service as `npm start`
// runs it (scripts/start.mjs in a temporary PORTAL_DATA_DIR on its own ports), 10 onboardings created and applied
// concurrently through the portal's own HTTP interface as a signed-in engineer, while the drill injects: sandbox
// throttling 30 % and 5xx 5 % and IAM propagation delay (from start-up: the seed runs under them too), SIGKILL of
// the worker three times at random moments, one sandbox restart (SIGKILL; the supervisor restarts it from its
// state file), one SIGKILL of the whole `npm start` process tree followed by a fresh start, and, on PostgreSQL,
// a database restart. Then it checks, reading AWS as each account's root and the database directly: every run
// succeeded, every AWS resource exists exactly once, nothing outside the ledger, the audit chain verifies, every
// attempted mutation has its outcome event.
//
// Passes: SQLite (one instance), then PostgreSQL with two instances (the second web server + worker in
// PORTAL_MODE=aws against the first one's sandbox) when PostgreSQL is installed (scripts/postgres.mjs);
// DRILL_DATABASES=sqlite or =postgres runs one. Each pass is a child process of its own (lib/db binds one
// database per process). Every process started is stopped, also on failure. Last line: one JSON object; exit 1
// when any figure falls short.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  healthOk,
  killServiceTree,
  sleep,
  startService,
  stopService,
  supervised,
  tail,
  until,
  type ServiceProcess,
} from "./support/service-process";
import { PortalSession } from "./support/portal-http";
import { compareWithLedger, listAccount, type LedgerRow } from "./support/aws-inventory";

const ROOT = process.cwd();
const ONBOARDINGS = 10;
const WORKER_KILLS = 3;
const TOOLS = "111111111111";
const REPO = "222222222222";
const PORT = Number(process.env.DRILL_PORT ?? 3300);
const SANDBOX_PORT = Number(process.env.DRILL_SANDBOX_PORT ?? 4700);
const ENGINEER = { email: "chaos-engineer@example.com", password: `Chaos-${randomBytes(9).toString("base64url")}` };
const log = (line: string) => console.error(`[drill:chaos] ${line}`);
const rand = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

interface Figures {
  onboardings: number;
  worker_kills: number;
  service_kills: number;
  sandbox_restarts: number;
  db_restarts: number;
  runs_succeeded: number;
  duplicate_resources: number;
  orphaned_resources: number;
  audit_chain_valid: boolean;
  unanswered_attempts: number;
  web_down_ms: number;
  missing_resources: number;
  web_errors_outside_service_kill: number;
}

const expectedDbRestarts = (db: string) => (db === "postgres" ? 1 : 0);
function fallsShort(f: Figures, db: string): string[] {
  const short: string[] = [];
  if (f.onboardings !== ONBOARDINGS) short.push("onboardings");
  if (f.worker_kills !== WORKER_KILLS) short.push("worker_kills");
  if (f.service_kills !== 1) short.push("service_kills");
  if (f.sandbox_restarts !== 1) short.push("sandbox_restarts");
  if (f.db_restarts !== expectedDbRestarts(db)) short.push("db_restarts");
  if (f.runs_succeeded !== ONBOARDINGS) short.push("runs_succeeded");
  if (f.duplicate_resources !== 0) short.push("duplicate_resources");
  if (f.orphaned_resources !== 0) short.push("orphaned_resources");
  if (f.missing_resources !== 0) short.push("missing_resources");
  if (!f.audit_chain_valid) short.push("audit_chain_valid");
  if (f.unanswered_attempts !== 0) short.push("unanswered_attempts");
  if (f.web_errors_outside_service_kill !== 0) short.push("web_errors_outside_service_kill");
  return short;
}

// ---- orchestration: one child process per database ---------------------------------------------------------

async function main() {
  const started = Date.now();
  const wanted = (process.env.DRILL_DATABASES ?? "sqlite,postgres")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const results: { database: string; figures?: Figures; skipped?: string }[] = [];
  for (const database of wanted) {
    if (database === "postgres") {
      const { startTestPostgres, NoPostgresError } = await import("../scripts/postgres.mjs");
      try {
        const probe = await startTestPostgres();
        probe.stop();
      } catch (e) {
        if (!(e instanceof NoPostgresError)) throw e;
        log(`PostgreSQL pass skipped: ${(e as Error).message.split("\n")[0]}`);
        results.push({ database, skipped: "PostgreSQL not installed" });
        continue;
      }
    }
    log(`pass ${database}: starting`);
    const self = fileURLToPath(import.meta.url);
    const r = spawnSync(process.execPath, [...process.execArgv, self, "--pass", database], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
      encoding: "utf8",
      env: process.env,
      maxBuffer: 64 * 1024 * 1024,
    });
    const last = (r.stdout ?? "").trim().split("\n").pop() ?? "";
    let figures: Figures | undefined;
    try {
      figures = JSON.parse(last);
    } catch {
      log(`pass ${database} printed no figures (exit ${r.status})`);
    }
    results.push({ database, figures });
    if (figures) console.log(`${database}: ${JSON.stringify(figures)}`);
  }
  console.log(`drill finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const ran = results.filter((r) => !r.skipped);
  const failed = ran.filter((r) => !r.figures || fallsShort(r.figures, r.database).length > 0);
  for (const r of failed) log(`pass ${r.database} falls short: ${r.figures ? fallsShort(r.figures, r.database).join(", ") : "no figures"}`);
  // The last line: the figures of the last pass that ran, db_restarts summed over the passes.
  const last = ran.at(-1)?.figures;
  const passes = results.map((r) => ({
    database: r.database,
    ok: !r.skipped && !failed.includes(r),
    ...(r.skipped ? { skipped: r.skipped } : {}),
  }));
  const line = last
    ? { ...last, db_restarts: ran.reduce((n, r) => n + (r.figures?.db_restarts ?? 0), 0), passes }
    : { error: "no pass produced figures (see the log above)", passes };
  console.log(JSON.stringify(line));
  process.exitCode = ran.length && failed.length === 0 ? 0 : 1;
}

// ---- one pass ----------------------------------------------------------------------------------------------

async function pass(database: "sqlite" | "postgres"): Promise<Figures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `drill-chaos-${database}-`));
  const services: ServiceProcess[] = [];
  let pg: { url: string; restart?: () => void; stop(): void } | undefined;
  const poller = { stop: false, errors: [] as number[], killWindow: [0, 0] as [number, number] };
  try {
    let databaseUrl = `file:${path.join(dir, "a", "portal.db")}`;
    const shared: Record<string, string> = {};
    if (database === "postgres") {
      const { startTestPostgres, withDatabase } = await import("../scripts/postgres.mjs");
      pg = await startTestPostgres();
      const { default: pgLib } = await import("pg");
      const c = new pgLib.Client({ connectionString: pg.url });
      await c.connect();
      await c.query("CREATE DATABASE drill_chaos");
      await c.end();
      databaseUrl = withDatabase(pg.url, "drill_chaos");
      Object.assign(shared, { NEXTAUTH_SECRET: randomBytes(24).toString("hex"), PORTAL_AUDIT_KEY: randomBytes(32).toString("hex") });
    }
    const adminPassword = `Admin-${randomBytes(9).toString("base64url")}`;
    const env: Record<string, string> = {
      ...shared,
      DATABASE_URL: databaseUrl,
      DEMO_ADMIN_PASSWORD: adminPassword,
      SANDBOX_PORT: String(SANDBOX_PORT),
      // The faults are on from the start: the seed and the start-up calls face them too.
      SANDBOX_THROTTLE_RATE: "0.3",
      SANDBOX_5XX_RATE: "0.05",
      SANDBOX_IAM_PROPAGATION_MS: "3000",
      SANDBOX_ACTION_MS: "50",
      PORTAL_RUN_STALE_MS: "10000",
      PORTAL_STOP_GRACE_MS: "3000",
    };
    const specs = [{ name: "a", port: PORT, env }];
    if (database === "postgres") {
      // The second instance: its own web server and worker on the same database, against the first one's sandbox.
      specs.push({
        name: "b",
        port: PORT + 1,
        env: {
          ...env,
          PORTAL_MODE: "aws",
          AWS_ENDPOINT_URL: `http://127.0.0.1:${SANDBOX_PORT}`,
          AWS_ACCESS_KEY_ID: "AKIASANDBOXPORTAL000",
          AWS_SECRET_ACCESS_KEY: "sandbox-secret",
          AWS_REGION: "us-east-1",
          PORTAL_PRINCIPAL_ARN: "arn:aws:iam::000000000000:user/portal",
        },
      });
    }
    const start = (spec: (typeof specs)[number]) =>
      startService({ root: ROOT, dataDir: path.join(dir, spec.name), port: spec.port, env: spec.env, name: spec.name });
    for (const spec of specs) {
      const s = start(spec);
      services.push(s);
      log(`${spec.name}: npm start on :${spec.port} (log ${s.log}; the first start may build the portal)`);
      await until(
        `${spec.name}'s portal to answer /api/health`,
        async () => (s.child.exitCode !== null ? Promise.reject(new Error("exited")) : healthOk(s.url)),
        20 * 60_000,
        500,
      ).catch((e) => {
        throw new Error(`${e.message}\n${tail(s.log)}`);
      });
    }
    const sandboxUrl = `http://127.0.0.1:${SANDBOX_PORT}`;

    // The drill's own view of the database and audit key (the same as the service's).
    process.env.DATABASE_URL = databaseUrl;
    if (database === "postgres") process.env.PORTAL_AUDIT_KEY = shared.PORTAL_AUDIT_KEY;
    else process.env.PORTAL_AUDIT_KEY_FILE = path.join(dir, "a", "audit-key");
    process.env.AWS_ENDPOINT_URL = sandboxUrl;
    const { db } = await import("@/lib/db");
    const { createUser } = await import("@/lib/users/service");
    const { createUserSchema } = await import("@/lib/users/schemas");
    const { verifyChain } = await import("@/lib/audit/verify");
    const { sandboxRootClient } = await import("@/lib/aws/client-factory");
    const { CodeCommitClient, CreateRepositoryCommand, CreateCommitCommand } = await import("@aws-sdk/client-codecommit");

    // The engineer, made by the demo admin through the same user service as the admin UI.
    const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    await createUser(
      createUserSchema.parse({
        email: ENGINEER.email,
        name: "Chaos engineer",
        role: "engineer",
        passwordMode: "set",
        password: ENGINEER.password,
      }),
      {
        user: { id: admin.id, email: admin.email, name: admin.name, role: "admin" },
        client: { ip: "127.0.0.1", userAgent: "drill:chaos" },
      },
    );

    // Ten repositories in the repo account, made by its administrator (root), under the faults.
    const cc = sandboxRootClient(CodeCommitClient, REPO, { endpoint: sandboxUrl });
    const names = Array.from({ length: ONBOARDINGS }, (_, i) => `chaos-${String(i).padStart(2, "0")}`);
    for (const n of names) {
      await cc.send(new CreateRepositoryCommand({ repositoryName: `${n}-svc` }));
      await cc.send(
        new CreateCommitCommand({
          repositoryName: `${n}-svc`,
          branchName: "main",
          authorName: "Chaos",
          email: "chaos@example.com",
          commitMessage: "initial",
          putFiles: [
            {
              filePath: "buildspec.yml",
              fileContent: new TextEncoder().encode("version: 0.2\nphases:\n  build:\n    commands:\n      - echo ok\n"),
            },
          ],
        }),
      );
    }

    const sessions = await Promise.all(
      services.map(async (s) => {
        const p = new PortalSession(s.url);
        await p.signIn(ENGINEER.email, ENGINEER.password);
        return p;
      }),
    );
    const [tools, repo] = await Promise.all([
      db.awsAccount.findUniqueOrThrow({ where: { accountId: TOOLS } }),
      db.awsAccount.findUniqueOrThrow({ where: { accountId: REPO } }),
    ]);

    // The web server must answer throughout, except while the whole service is down.
    const pollUrl = services.at(-1)!.url;
    // A probe counts against the service only when it neither started nor ended while the whole service was down
    // (a probe in flight when the tree is killed fails because of that kill). 5 s, as a load balancer would wait.
    const inKillWindow = (t: number) =>
      poller.killWindow[0] > 0 && t >= poller.killWindow[0] && (poller.killWindow[1] === 0 || t <= poller.killWindow[1]);
    void (async () => {
      while (!poller.stop) {
        const t0 = Date.now();
        const ok = await healthOk(pollUrl, 5_000);
        const t1 = Date.now();
        if (!ok && !inKillWindow(t0) && !inKillWindow(t1)) {
          poller.errors.push(t0);
          log(`the web server did not answer /api/health (${t1 - t0} ms) outside the service kill`);
        }
        await sleep(250);
      }
    })();

    // 10 onboardings created concurrently over HTTP. Creating checks both accounts' connection with a quick
    // test (2 attempts, lib/accounts/test-connection.ts) as the form does; under 30 % throttling it can be refused,
    // and the engineer submits again, as a person would.
    let createRetries = 0;
    const ids = await Promise.all(
      names.map(async (n, i) => {
        const session = sessions[i % sessions.length];
        for (let attempt = 1; ; attempt++) {
          const r = await session.post("/api/onboardings", {
            toolsAccountId: tools.id,
            repoAccountId: repo.id,
            region: "us-east-1",
            repositoryName: `${n}-svc`,
            branchName: "main",
            pipelineName: n,
            pipelineType: "V2",
            buildMode: "create",
            buildProject: `${n}-build`,
            approval: false,
          });
          if (r.status === 201) return String(r.json.id);
          if (attempt >= 8 || r.status < 409 || r.status === 415) throw new Error(`creating ${n}: ${r.status} ${JSON.stringify(r.json)}`);
          createRetries += 1;
          await sleep(500 * attempt);
        }
      }),
    );
    log(`created ${ids.length} onboardings over HTTP (${createRetries} submissions repeated after a refusal under the faults)`);
    const runIds = await Promise.all(
      ids.map(async (id, i) => {
        const r = await sessions[i % sessions.length].post(`/api/onboardings/${id}/apply`, {});
        if (r.status !== 202) throw new Error(`applying ${id}: ${r.status} ${JSON.stringify(r.json)}`);
        return String(r.json.runId);
      }),
    );
    log(`applied ${runIds.length} onboardings concurrently`);

    // ---- chaos -------------------------------------------------------------------------------------------
    let workerKills = 0;
    for (let k = 0; k < WORKER_KILLS; k++) {
      await sleep(rand(1_000, 5_000));
      const s = services[rand(0, services.length)];
      const w = await until(
        `${path.basename(s.dataDir)}'s worker running`,
        () => {
          const x = supervised(s).worker;
          return x?.state === "running" && x.pid ? x : null;
        },
        120_000,
      );
      process.kill(w.pid!, "SIGKILL");
      workerKills += 1;
      log(`SIGKILL worker ${w.pid} of instance ${path.basename(s.dataDir)} (kill ${workerKills})`);
      await until(
        "the worker's restart",
        () => {
          const x = supervised(s).worker;
          return x?.state === "running" && x.pid && x.pid !== w.pid;
        },
        120_000,
      );
    }

    await sleep(rand(1_000, 4_000));
    const sb = await until(
      "the sandbox running",
      () => {
        const x = supervised(services[0]).sandbox;
        return x?.state === "running" && x.pid ? x : null;
      },
      60_000,
    );
    process.kill(sb.pid!, "SIGKILL");
    log(`SIGKILL sandbox ${sb.pid}`);
    await until(
      "the sandbox's restart",
      async () => {
        const x = supervised(services[0]).sandbox;
        return (
          x?.state === "running" &&
          x.pid !== sb.pid &&
          (await fetch(`${sandboxUrl}/_sandbox/health`).then(
            (r) => r.ok,
            () => false,
          ))
        );
      },
      120_000,
    );
    const sandboxRestarts = 1;

    let dbRestarts = 0;
    if (pg?.restart) {
      await sleep(rand(1_000, 3_000));
      pg.restart();
      dbRestarts += 1;
      log("PostgreSQL restarted (immediate stop, start)");
    }

    await sleep(rand(1_000, 4_000));
    const victimIndex = services.length - 1; // on PostgreSQL the second instance; its twin keeps serving
    const victim = services[victimIndex];
    poller.killWindow = [Date.now(), 0];
    const killedAt = Date.now();
    await killServiceTree(victim);
    log(`SIGKILL of the whole npm start tree of instance ${path.basename(victim.dataDir)}; starting it again`);
    const again = start(specs[victimIndex]);
    services[victimIndex] = again;
    await until(
      "the restarted portal",
      async () => (again.child.exitCode !== null ? Promise.reject(new Error("exited")) : healthOk(again.url)),
      10 * 60_000,
      100,
    ).catch((e) => {
      throw new Error(`${e.message}\n${tail(again.log)}`);
    });
    const webDownMs = Date.now() - killedAt;
    poller.killWindow[1] = Date.now();
    log(`portal answered again after ${webDownMs} ms`);

    // ---- outcome -----------------------------------------------------------------------------------------
    await until(
      "every run to finish",
      async () => (await db.run.count({ where: { id: { in: runIds }, status: { in: ["queued", "running"] } } })) === 0,
      10 * 60_000,
      1_000,
    );
    poller.stop = true;
    const runs = await db.run.findMany({ where: { id: { in: runIds } }, include: { steps: true } });
    for (const r of runs.filter((x) => x.status !== "succeeded")) log(`run ${r.id} ${r.status}: ${r.error}`);

    await fetch(`${sandboxUrl}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const found = [...(await listAccount(sandboxUrl, TOOLS)), ...(await listAccount(sandboxUrl, REPO))];
    const ledger: LedgerRow[] = (await db.provisionedResource.findMany()).map((l) => ({
      accountId: l.accountId,
      kind: l.kind,
      name: l.name,
      arn: l.arn,
    }));
    const cmp = compareWithLedger(found, ledger);
    const byKind = (rows: { kind: string }[]) =>
      Object.entries(rows.reduce<Record<string, number>>((m, r) => ({ ...m, [r.kind]: (m[r.kind] ?? 0) + 1 }), {}))
        .map(([k, n]) => `${k} ${n}`)
        .join(", ");
    log(`AWS (read as root): ${byKind(found)}; ledger: ${byKind(ledger)}`);
    for (const [what, list] of Object.entries(cmp)) if (list.length) log(`${what}: ${list.join("; ")}`);

    const chain = await verifyChain();
    if (!chain.intact) log(`audit chain: ${JSON.stringify(chain).slice(0, 400)}`);
    // Attempts and outcomes: every apply run (its "onboardings.apply" event) has its "onboardings.apply.finished";
    // every pipeline command's "attempted" event has an outcome with the same attemptId; no step of a finished run
    // was left mid-way.
    const events = await db.auditEvent.findMany({ select: { action: true, outcome: true, details: true } });
    const parsed = events.map((e) => ({ ...e, d: JSON.parse(e.details) as Record<string, unknown> }));
    const finishedRuns = new Set(parsed.filter((e) => e.action === "onboardings.apply.finished").map((e) => e.d.runId));
    const appliedRuns = parsed
      .filter((e) => (e.action === "onboardings.apply" || e.action === "onboardings.reapply") && e.outcome === "success")
      .map((e) => e.d.runId);
    const attempts = parsed.filter((e) => e.outcome === "attempted" && e.d.attemptId);
    const answered = new Set(parsed.filter((e) => e.outcome !== "attempted" && e.d.attemptId).map((e) => e.d.attemptId));
    const unanswered =
      appliedRuns.filter((id) => !finishedRuns.has(id)).length +
      attempts.filter((e) => !answered.has(e.d.attemptId)).length +
      runs.flatMap((r) => r.steps).filter((s) => s.status === "running").length;

    return {
      onboardings: ids.length,
      worker_kills: workerKills,
      service_kills: 1,
      sandbox_restarts: sandboxRestarts,
      db_restarts: dbRestarts,
      runs_succeeded: runs.filter((r) => r.status === "succeeded").length,
      duplicate_resources: cmp.duplicates.length,
      orphaned_resources: cmp.orphans.length,
      audit_chain_valid: chain.intact,
      unanswered_attempts: unanswered,
      web_down_ms: webDownMs,
      missing_resources: cmp.missing.length,
      web_errors_outside_service_kill: poller.errors.length,
    };
  } finally {
    poller.stop = true;
    await Promise.all(services.map((s) => stopService(s)));
    pg?.stop();
    if (!process.env.DRILL_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}

const passArg = process.argv.indexOf("--pass");
if (passArg > 0) {
  const database = process.argv[passArg + 1] as "sqlite" | "postgres";
  pass(database).then(
    (f) => {
      console.log(JSON.stringify(f));
      process.exit(0);
    },
    (e) => {
      console.error(`[drill:chaos] pass ${database} failed: ${(e as Error).stack ?? e}`);
      process.exit(1);
    },
  );
} else {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
