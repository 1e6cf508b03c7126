/**
 * Merging SHARED resource policies (KMS key policy, S3 bucket policy, event bus policy).
 *
 * The portal owns the statements whose Sid starts with "Portal" (case-insensitive, so the event bus
 * statement ids `portal-allow-<account>` are owned too). A merge never touches other statements: they stay
 * exactly where they were. Owned statements replace the statement with the same Sid in place; new ones are
 * appended; only portal Sids named in `removeSids` are removed. Merging the same input twice gives the same
 * document (idempotent), so concurrent onboardings that re-read and re-merge keep each other's grants.
 */
import { canonicalize } from "./canonical-json";
import type { OneOrMany, PolicyDocument, Principal, Statement } from "./types";

export function isPortalSid(sid: string | undefined): boolean {
  return typeof sid === "string" && /^portal/i.test(sid);
}

/** A raw policy as AWS returns it may hold a single statement object instead of an array. */
type RawPolicy = { Version?: string; Id?: string; Statement?: Statement | Statement[] };

function statementsOf(doc: RawPolicy | undefined): Statement[] {
  if (!doc || doc.Statement === undefined) return [];
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

export type ParseResult = { ok: true; document: PolicyDocument } | { ok: false; error: string };

/**
 * Parse a policy as returned by AWS: JSON (KMS GetKeyPolicy, S3 GetBucketPolicy, EventBridge
 * DescribeEventBus) or URL-encoded JSON (IAM GetRolePolicy / GetPolicyVersion / GetRole).
 */
export function parsePolicyDocument(text: string): ParseResult {
  const attempts = [text];
  if (/%[0-9A-Fa-f]{2}/.test(text)) {
    try {
      attempts.push(decodeURIComponent(text.replace(/\+/g, "%20")));
    } catch {
      /* not URL-encoded */
    }
  }
  for (const candidate of attempts) {
    try {
      const parsed = JSON.parse(candidate) as RawPolicy;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        const document: PolicyDocument = { Version: "2012-10-17", Statement: statementsOf(parsed) };
        if (parsed.Id !== undefined) document.Id = parsed.Id;
        return { ok: true, document };
      }
    } catch {
      /* try next */
    }
  }
  return { ok: false, error: "The policy is not valid JSON" };
}

/**
 * Merge `owned` statements into `current` (the document read from AWS, undefined when there is none).
 * Owned statements without a Sid are appended only when no equal statement exists.
 * A Sid both in `owned` and `removeSids` is kept (desired state wins).
 */
export function mergeStatements(current: PolicyDocument | undefined, owned: Statement[], removeSids: string[] = []): PolicyDocument {
  const ownedBySid = new Map<string, Statement>();
  for (const s of owned) if (s.Sid !== undefined) ownedBySid.set(s.Sid, s);
  const remove = new Set(removeSids.filter((sid) => isPortalSid(sid) && !ownedBySid.has(sid)));

  const placed = new Set<string>();
  const result: Statement[] = [];
  for (const existing of statementsOf(current)) {
    const sid = existing.Sid;
    if (sid !== undefined && remove.has(sid)) continue;
    if (sid !== undefined && ownedBySid.has(sid)) {
      if (placed.has(sid)) continue; // a duplicate of a statement we own: keep one
      result.push(ownedBySid.get(sid)!);
      placed.add(sid);
      continue;
    }
    result.push(existing);
  }
  for (const s of owned) {
    if (s.Sid !== undefined) {
      if (!placed.has(s.Sid)) {
        result.push(s);
        placed.add(s.Sid);
      }
    } else if (!result.some((r) => statementEquals(r, s))) {
      result.push(s);
    }
  }

  return current?.Id !== undefined
    ? { Version: "2012-10-17", Id: current.Id, Statement: result }
    : { Version: "2012-10-17", Statement: result };
}

// ---------------------------------------------------------------- semantic comparison

function toSortedArray(v: OneOrMany<string> | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return [...new Set((Array.isArray(v) ? v : [v]).map(String))].sort();
}

function normalizePrincipal(p: Principal | undefined): unknown {
  if (p === undefined || p === "*") return p;
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(p)) {
    let values = toSortedArray(v as OneOrMany<string>)!;
    if (k === "AWS") values = values.map((x) => (/^\d{12}$/.test(x) ? `arn:aws:iam::${x}:root` : x)).sort();
    out[k] = values;
  }
  return out;
}

/** Order-independent form of one statement: single values become arrays, lists are sorted. */
export function normalizeStatement(s: Statement): unknown {
  const condition = s.Condition
    ? Object.fromEntries(
        Object.entries(s.Condition).map(([op, kv]) => [
          op,
          Object.fromEntries(Object.entries(kv).map(([k, v]) => [k, toSortedArray(v as OneOrMany<string>)])),
        ]),
      )
    : undefined;
  return canonicalize({
    Sid: s.Sid,
    Effect: s.Effect,
    Principal: normalizePrincipal(s.Principal),
    NotPrincipal: normalizePrincipal(s.NotPrincipal),
    Action: toSortedArray(s.Action),
    NotAction: toSortedArray(s.NotAction),
    Resource: toSortedArray(s.Resource),
    NotResource: toSortedArray(s.NotResource),
    Condition: condition,
  });
}

export function statementEquals(a: Statement, b: Statement): boolean {
  return JSON.stringify(normalizeStatement(a)) === JSON.stringify(normalizeStatement(b));
}

type PolicyInput = PolicyDocument | string | undefined | null;

function asDocument(p: PolicyInput): RawPolicy | undefined {
  if (p === undefined || p === null) return undefined;
  if (typeof p === "string") {
    const r = parsePolicyDocument(p);
    return r.ok ? r.document : { Statement: [] };
  }
  return p;
}

function normalizeDocument(p: PolicyInput, sortStatements: boolean): unknown {
  const doc = asDocument(p);
  if (!doc) return null;
  const statements = statementsOf(doc).map(normalizeStatement);
  if (sortStatements) statements.sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  return canonicalize({ Version: doc.Version ?? "2012-10-17", Id: doc.Id, Statement: statements });
}

/**
 * Semantic equality for "no change" detection: key order, statement order, a single string versus a
 * one-element array, list order and duplicates, and `"AWS": "123456789012"` versus its `:root` ARN are
 * all ignored. Strings are parsed (JSON or IAM's URL-encoded JSON).
 */
export function policyEquals(a: PolicyInput, b: PolicyInput): boolean {
  return JSON.stringify(normalizeDocument(a, true)) === JSON.stringify(normalizeDocument(b, true));
}

/**
 * A readable line diff of the normalized, pretty-printed documents (statements kept in document order):
 * "  " unchanged, "- " only in `current`, "+ " only in `desired`. Empty string when `policyEquals`.
 */
export function diffPolicy(current: PolicyInput, desired: PolicyInput): string {
  if (policyEquals(current, desired)) return "";
  const print = (p: PolicyInput) => {
    const n = normalizeDocument(p, false);
    return n === null ? [] : JSON.stringify(n, null, 2).split("\n");
  };
  return diffLines(print(current), print(desired)).join("\n");
}

/** Longest-common-subsequence line diff. */
export function diffLines(a: string[], b: string[]): string[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      out.push(`- ${a[i++]}`);
    } else {
      out.push(`+ ${b[j++]}`);
    }
  }
  while (i < n) out.push(`- ${a[i++]}`);
  while (j < m) out.push(`+ ${b[j++]}`);
  return out;
}
