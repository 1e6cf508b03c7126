/** Which statements of a policy differ from what the portal wrote (pure). */
import { statementDifferences } from "@/lib/policies/statement-diff";
import type { PolicyDocument, Statement } from "@/lib/policies/types";

export interface StatementChange {
  sid: string;
  /** missing: the portal's statement is gone; changed: its Sid holds something else; unexpected: a statement the portal did not write (owned documents only). */
  change: "missing" | "changed" | "unexpected";
  effect: string;
  /** Who it grants: the aws:PrincipalArn patterns when a condition narrows an account, else the principals that are not accounts. */
  principals: string[];
  /** Accounts named as principals (their root, or a bare account id). */
  accounts: string[];
  actions: string[];
  resources: string[];
}

const list = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
const ACCOUNT = /^(?:arn:aws[a-z-]*:iam::(\d{12}):root|(\d{12}))$/;

/** Who a statement grants: accounts, and the principals (or aws:PrincipalArn patterns, ADF's pattern) within them. */
export function principalsOf(s: Statement): { principals: string[]; accounts: string[] } {
  const p = s.Principal;
  const all = !p ? [] : typeof p === "string" ? [p] : Object.values(p).flatMap(list);
  const accounts = all
    .map((x) => ACCOUNT.exec(x))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => m[1] ?? m[2]);
  for (const op of ["ArnEquals", "ArnLike", "StringEquals", "StringLike"]) {
    const narrowed = s.Condition?.[op]?.["aws:PrincipalArn"];
    if (narrowed) return { principals: list(narrowed), accounts };
  }
  return { principals: all.filter((x) => !ACCOUNT.test(x)), accounts };
}

function describe(s: Statement, change: StatementChange["change"], index: number): StatementChange {
  return {
    sid: s.Sid ?? `#${index + 1}`,
    change,
    effect: s.Effect,
    ...principalsOf(s),
    actions: list(s.Action),
    resources: list(s.Resource),
  };
}

const statementsOf = (doc: PolicyDocument | null | undefined): Statement[] => (doc && Array.isArray(doc.Statement) ? doc.Statement : []);

/**
 * The portal's statements (`desired`) absent from or different in `current`. With `owned` (a role's own trust or
 * inline policy, written whole by the portal), statements in `current` the portal did not write are reported too;
 * shared documents (key and bucket policies) keep foreign statements, so those are not.
 */
export function statementChanges(current: PolicyDocument | null | undefined, desired: PolicyDocument, owned = false): StatementChange[] {
  return statementDifferences(statementsOf(current), statementsOf(desired), owned).map((d) => describe(d.statement, d.change, d.index));
}

/** One change as a sentence fragment: `statement PortalRepoAccountsUse (kms:Decrypt, … for arn:…) is missing`. */
export function changeText(c: StatementChange): string {
  const accounts = c.accounts.length ? `account ${c.accounts.join(", ")}` : "";
  const who = c.principals.length
    ? ` for ${c.principals.join(", ")}${accounts ? ` (${accounts})` : ""}`
    : accounts
      ? ` for ${accounts}`
      : "";
  const on = c.resources.length ? ` on ${c.resources.join(", ")}` : "";
  const verb = c.change === "missing" ? "is missing" : c.change === "changed" ? "was changed" : "was added by someone else";
  return `statement ${c.sid} (${c.effect} ${c.actions.join(", ")}${on}${who}) ${verb}`;
}
