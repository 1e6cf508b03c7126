/**
 * PostgreSQL only: can the portal's own database role undo the audit history's append-only guard? The triggers
 * of the migration `…_audit_append_only` refuse UPDATE, DELETE and TRUNCATE of "AuditEvent", but the owner of
 * the table may drop its triggers, the owner of the trigger function may replace its body, and a superuser may
 * do anything. The documented layout (lib/audit/README.md, "Database roles") gives these objects to a separate
 * role and the portal's role only the grants it needs; this check reports what the connected role still owns.
 * At start-up (instrumentation.ts) the problems are logged as a warning, or stop the portal when
 * PORTAL_REQUIRE_AUDIT_OWNER=1.
 */
export interface AuditOwnership {
  role: string;
  superuser: boolean;
  /** Objects the connected role owns (directly or by membership in the owning role). */
  owned: { kind: "table" | "function"; name: string; owner: string }[];
}

type Query = (sql: string) => Promise<unknown[]>;

/** Every object whose owner can switch the append-only guard off. */
const GUARDED_TABLES = ["AuditEvent", "AuditEventIssued"];
const GUARDED_FUNCTIONS = ["AuditEvent_append_only", "AuditEvent_issue"];

const list = (names: string[]) => names.map((n) => `'${n}'`).join(", ");

export async function readAuditOwnership(query: Query): Promise<AuditOwnership> {
  const [me] = (await query(`SELECT current_user::text AS role, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`)) as {
    role: string;
    superuser: boolean;
  }[];
  const owned = (await query(
    `SELECT 'table' AS kind, c.relname::text AS name, pg_get_userbyid(c.relowner)::text AS owner
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname IN (${list(GUARDED_TABLES)})
        AND pg_has_role(current_user, c.relowner, 'MEMBER')
     UNION ALL
     SELECT 'function', p.proname::text, pg_get_userbyid(p.proowner)::text
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = current_schema() AND p.proname IN (${list(GUARDED_FUNCTIONS)})
        AND pg_has_role(current_user, p.proowner, 'MEMBER')
     ORDER BY 1, 2`,
  )) as AuditOwnership["owned"];
  return { role: me.role, superuser: me.superuser, owned };
}

/** The sentences to log, or [] when the role can change none of the guard. */
export function ownershipProblems(o: AuditOwnership): string[] {
  const problems: string[] = [];
  if (o.superuser) problems.push(`the database role "${o.role}" is a superuser: it can switch off or drop any trigger`);
  for (const x of o.owned) {
    problems.push(
      x.kind === "table"
        ? `the database role "${o.role}" owns table "${x.name}"${x.owner !== o.role ? ` (through role "${x.owner}")` : ""}: it can drop or disable its append-only triggers`
        : `the database role "${o.role}" owns function "${x.name}"${x.owner !== o.role ? ` (through role "${x.owner}")` : ""}: it can replace what the trigger does`,
    );
  }
  return problems;
}

/**
 * The start-up check: logs a warning naming each problem and the fix, and throws when `require` is set
 * (PORTAL_REQUIRE_AUDIT_OWNER=1). Returns the problems found.
 */
export async function checkAuditOwner(query: Query, opts: { require: boolean; warn?: (line: string) => void }): Promise<string[]> {
  const problems = ownershipProblems(await readAuditOwnership(query));
  if (problems.length === 0) return problems;
  const text =
    `The audit history is not protected from the portal's own database role: ${problems.join("; ")}. ` +
    `Give the audit table, "AuditEventIssued" and their trigger functions to a separate owner role and grant the portal's role only what lib/audit/README.md ("Database roles") lists.`;
  if (opts.require) throw new Error(`PORTAL_REQUIRE_AUDIT_OWNER=1: refusing to start. ${text}`);
  (opts.warn ?? console.warn)(`[audit] WARNING: ${text}`);
  return problems;
}
