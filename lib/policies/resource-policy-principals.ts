/**
 * Who a bucket or key policy lets in, checked before the portal writes one (PutBucketPolicy / PutKeyPolicy). IAM has
 * no condition key on the content of a resource policy, so the provisioning role itself could write any principal;
 * the portal refuses to be the one that does. Pure: the caller passes the registered accounts.
 *
 * An Allow statement may name AWS principals only in registered accounts, and "*" only with a condition that narrows
 * it to callers or sources (an Organization, an account, a principal ARN). Service principals are AWS's own. Deny
 * statements take access away and may name anyone; NotPrincipal in an Allow grants everyone else and is refused.
 */
import { isUniqueId } from "./principals";
import type { PolicyDocument, Principal, Statement } from "./types";

export interface PrincipalFinding {
  sid: string;
  principal: string;
  reason: string;
}

/** Condition keys that narrow "*" to known callers or sources (lower case: IAM matches keys case-insensitively). */
const NARROWING_KEYS = new Set([
  "aws:principalorgid",
  "aws:principalaccount",
  "aws:principalarn",
  "aws:sourceaccount",
  "aws:sourceorgid",
  "aws:sourcearn",
  "kms:calleraccount",
]);

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The 12-digit account of an AWS principal (account id, account root, IAM or STS ARN), or null when it names none. */
export function accountOfPrincipal(value: string): string | null {
  if (/^\d{12}$/.test(value)) return value;
  const m = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(value);
  return m ? m[1] : null;
}

function narrows(condition: Statement["Condition"]): boolean {
  if (!condition) return false;
  return Object.entries(condition).some(
    ([operator, keys]) =>
      !/IfExists$/i.test(operator) && !/^Null$/i.test(operator) && Object.keys(keys).some((k) => NARROWING_KEYS.has(k.toLowerCase())),
  );
}

function statementFindings(s: Statement, allowed: ReadonlySet<string>): PrincipalFinding[] {
  const sid = s.Sid ?? "(no Sid)";
  if (s.Effect !== "Allow") return [];
  if (s.NotPrincipal !== undefined)
    return [{ sid, principal: JSON.stringify(s.NotPrincipal), reason: "NotPrincipal in an Allow statement grants every other principal" }];
  const p: Principal | undefined = s.Principal;
  if (p === undefined) return [];
  const aws = p === "*" ? ["*"] : list(p.AWS);
  const out: PrincipalFinding[] = [];
  for (const value of aws) {
    if (value === "*") {
      if (!narrows(s.Condition))
        out.push({ sid, principal: "*", reason: '"*" without a condition that limits it to an Organization, an account or a principal' });
      continue;
    }
    if (isUniqueId(value)) continue; // a deleted principal: it names nobody (see principals.ts)
    const account = accountOfPrincipal(value);
    if (!account) out.push({ sid, principal: value, reason: "not an AWS account or IAM principal" });
    else if (!allowed.has(account)) out.push({ sid, principal: value, reason: `account ${account} is not registered in the portal` });
  }
  if (p !== "*" && p.Federated !== undefined)
    out.push({ sid, principal: JSON.stringify(p.Federated), reason: "federated principals are never granted by the portal" });
  return out;
}

/** Every principal of `doc`'s Allow statements outside the registered accounts, or public without a condition. */
export function disallowedPrincipals(doc: PolicyDocument, registeredAccounts: Iterable<string>): PrincipalFinding[] {
  const allowed = new Set(registeredAccounts);
  return doc.Statement.flatMap((s) => statementFindings(s, allowed));
}

/** One sentence naming each finding, for a step failure. */
export function describeFindings(findings: PrincipalFinding[]): string {
  return findings.map((f) => `${f.sid}: ${f.principal} (${f.reason})`).join("; ");
}
