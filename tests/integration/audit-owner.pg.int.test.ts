// The audit table's append-only triggers (migration …_audit_append_only) hold only against a role that does
// not own the table or the trigger function. On a real PostgreSQL: the portal's role as `npm start` sets it up
// by default (it ran the migrations, so it owns everything) can drop the triggers — and the start-up check
// (lib/audit/owner-check.ts) reports exactly that; in the layout lib/audit/README.md documents (a separate
// owner, the portal's role granted only what it needs) the same attack is refused, the portal can still write
// events, and the check is silent.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { checkAuditOwner, readAuditOwnership } from "@/lib/audit/owner-check";
import { createPgDatabase, migrate } from "../support/integration-setup";
import { withDatabase } from "../../scripts/postgres.mjs";

const cfg = inject("integration");
const tag = `${process.pid}`;
const OWNER = `crossline_audit_owner_${tag}`;
const APP = `crossline_app_${tag}`;
const DB = `portal_audit_owner_${tag}`;
let url = "";

async function connect(u: string) {
  const c = new pg.Client({ connectionString: u });
  await c.connect();
  return c;
}

async function as<T>(u: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await connect(u);
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

const queryOf = (c: pg.Client) => async (sql: string) => (await c.query(sql)).rows;

/** The attack: in a transaction (rolled back either way), drop the trigger that refuses DELETE. */
const dropTrigger = (c: pg.Client) =>
  c.query("BEGIN").then(async () => {
    try {
      await c.query(`DROP TRIGGER "AuditEvent_no_delete" ON "AuditEvent"`);
      return "dropped";
    } catch (e) {
      return (e as Error).message;
    } finally {
      await c.query("ROLLBACK");
    }
  });

beforeAll(async () => {
  url = await createPgDatabase(cfg.postgresAdminUrl!, DB);
  migrate(url);
});

afterAll(async () => {
  await as(cfg.postgresAdminUrl!, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
    await c.query(`DROP ROLE IF EXISTS "${APP}"`);
    await c.query(`DROP ROLE IF EXISTS "${OWNER}"`);
  });
});

describe("who owns the audit table on PostgreSQL", () => {
  it("the role that ran the migrations owns the table: it can drop the append-only trigger, and the start-up check says so (and refuses with PORTAL_REQUIRE_AUDIT_OWNER=1)", async () => {
    // The default layout, minus superuser: the portal's role ran the migrations, so it owns what they created.
    await as(url, async (c) => {
      await c.query(`CREATE ROLE "${APP}" LOGIN`);
      for (const t of ["AuditEvent", "AuditEventIssued"]) await c.query(`ALTER TABLE "${t}" OWNER TO "${APP}"`);
      for (const f of ["AuditEvent_append_only", "AuditEvent_issue"]) await c.query(`ALTER FUNCTION "${f}"() OWNER TO "${APP}"`);
    });
    const appUrl = urlAs(APP);
    await as(appUrl, async (c) => {
      expect(await dropTrigger(c)).toBe("dropped");
      const o = await readAuditOwnership(queryOf(c));
      expect(o).toMatchObject({ role: APP, superuser: false });
      expect(o.owned.map((x) => x.name).sort()).toEqual(["AuditEvent", "AuditEventIssued", "AuditEvent_append_only", "AuditEvent_issue"]);
      const warnings: string[] = [];
      const problems = await checkAuditOwner(queryOf(c), { require: false, warn: (l) => warnings.push(l) });
      expect(problems.join("\n")).toContain(`owns table "AuditEvent"`);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain("lib/audit/README.md");
      await expect(checkAuditOwner(queryOf(c), { require: true })).rejects.toThrow(
        /PORTAL_REQUIRE_AUDIT_OWNER=1: refusing to start.*owns table "AuditEvent"/,
      );
    });
  });

  it("a superuser connection is reported too", async () => {
    await as(url, async (c) => {
      const warnings: string[] = [];
      const problems = await checkAuditOwner(queryOf(c), { require: false, warn: (l) => warnings.push(l) });
      expect(problems[0]).toMatch(/is a superuser/);
    });
  });

  it("with the documented separate owner, the portal's role can still append events but can no longer drop the trigger or replace its function, and the check is silent", async () => {
    await as(url, async (c) => {
      await c.query(`CREATE ROLE "${OWNER}" NOLOGIN`);
      // The portal's role keeps running the migrations of everything else, so it may create in the schema.
      await c.query(`GRANT CREATE ON SCHEMA public TO "${APP}"`);
      // lib/audit/README.md, "Database roles", run by an administrator after the migrations:
      for (const t of ["AuditEvent", "AuditEventIssued"]) await c.query(`ALTER TABLE "${t}" OWNER TO "${OWNER}"`);
      for (const f of ["AuditEvent_append_only", "AuditEvent_issue"]) await c.query(`ALTER FUNCTION "${f}"() OWNER TO "${OWNER}"`);
      await c.query(`GRANT SELECT, INSERT ON "AuditEvent" TO "${APP}"`);
      await c.query(`GRANT SELECT, UPDATE ON "AuditEventIssued" TO "${APP}"`);
      await c.query(`GRANT USAGE ON SEQUENCE "AuditEvent_seq_seq" TO "${APP}"`);
    });
    await as(urlAs(APP), async (c) => {
      expect(await dropTrigger(c)).toMatch(/must be owner/);
      await c.query("BEGIN");
      await expect(
        c.query(`CREATE OR REPLACE FUNCTION "AuditEvent_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END; $$`),
      ).rejects.toThrow(/must be owner/);
      await c.query("ROLLBACK");
      await c.query("BEGIN");
      await c.query(
        `INSERT INTO "AuditEvent" ("seq", "action", "outcome", "prevHash", "hash") VALUES (1000000, 'test.append', 'success', 'p-${tag}', 'h-${tag}')`,
      );
      expect((await c.query(`SELECT "seq" FROM "AuditEventIssued"`)).rows[0].seq).toBe(1000000);
      await expect(c.query(`DELETE FROM "AuditEvent" WHERE "seq" = 1000000`)).rejects.toThrow();
      await c.query("ROLLBACK");
      expect(await readAuditOwnership(queryOf(c))).toEqual({ role: APP, superuser: false, owned: [] });
      expect(await checkAuditOwner(queryOf(c), { require: true })).toEqual([]);
    });
  });
});

function urlAs(role: string) {
  const u = new URL(withDatabase(url, DB));
  u.username = role;
  return u.toString();
}
