/**
 * Principals that no longer exist. IAM stores a role or user named as a principal by its unique id; once the role
 * is deleted, resource policies read back with the bare id (`AROA…`, `AIDA…`), and AWS refuses to store a policy
 * that contains one. The portal drops such ids from the statements it owns, and names foreign statements holding
 * one so a person can fix them.
 */
import { isPortalSid } from "./merge";
import type { PolicyDocument, Principal, Statement } from "./types";

const UNIQUE_ID = /^A(RO|ID|GP|IP|NP|NV|PK|SC|SI)A[A-Z0-9]{12,}$/;

export function isUniqueId(value: string): boolean {
  return UNIQUE_ID.test(value);
}

function awsPrincipals(p: Principal | undefined): string[] {
  if (!p || p === "*" || p.AWS === undefined) return [];
  return Array.isArray(p.AWS) ? p.AWS : [p.AWS];
}

function withoutIds(s: Statement): Statement | null {
  const values = awsPrincipals(s.Principal);
  if (!values.some(isUniqueId)) return s;
  const kept = values.filter((v) => !isUniqueId(v));
  const rest = { ...(s.Principal as Exclude<Principal, "*">) };
  if (kept.length) rest.AWS = kept.length === 1 ? kept[0] : kept;
  else delete rest.AWS;
  return Object.keys(rest).length ? { ...s, Principal: rest } : null;
}

/** The document without deleted principals in the portal's own statements (a statement left with none is dropped). */
export function withoutStalePrincipals(doc: PolicyDocument | undefined): PolicyDocument | undefined {
  if (!doc) return doc;
  const Statement = doc.Statement.flatMap((s) => {
    if (!isPortalSid(s.Sid)) return [s];
    const kept = withoutIds(s);
    return kept ? [kept] : [];
  });
  return { ...doc, Statement };
}

/** Statements the portal does not own that name a deleted principal: AWS refuses any policy that still holds them. */
export function foreignStalePrincipals(doc: PolicyDocument | undefined): { sid: string; ids: string[] }[] {
  return (doc?.Statement ?? [])
    .map((s, i) => ({ sid: s.Sid ?? `statement ${i + 1}`, owned: isPortalSid(s.Sid), ids: awsPrincipals(s.Principal).filter(isUniqueId) }))
    .filter((x) => !x.owned && x.ids.length > 0)
    .map(({ sid, ids }) => ({ sid, ids }));
}
