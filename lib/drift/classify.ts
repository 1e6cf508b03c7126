/**
 * From a plan item (what a step's plan() read and compared) to a drift item a person can act on: the status, one
 * line per difference, and the differing documents as short diffs. Pure: no I/O.
 */
import { prettyJson } from "@/lib/policies/canonical-json";
import { diffLines, diffPolicy, policyEquals } from "@/lib/policies/merge";
import { statementDifferences } from "@/lib/policies/statement-diff";
import type { PolicyDocument, Statement } from "@/lib/policies/types";
import type { PlanDocument, PlanItem } from "@/lib/runs/types";
import type { DriftDocument, DriftItem, DriftItemStatus, DriftStatus } from "./types";

/** Unchanged lines kept around each change in a stored diff. */
export const DIFF_CONTEXT = 3;
const MAX_CHANGES = 12;

export function statusOfAction(action: PlanItem["action"]): DriftItemStatus {
  if (action === "no-change") return "in-sync";
  if (action === "create") return "missing";
  return "drifted";
}

/** Overall: drifted when any resource is drifted or missing; else error when one could not be read; else in sync. */
export function overallStatus(items: Pick<DriftItem, "status">[]): DriftStatus {
  if (items.some((i) => i.status === "drifted" || i.status === "missing")) return "drifted";
  if (items.some((i) => i.status === "error")) return "error";
  return "in-sync";
}

const isPolicy = (v: unknown): v is PolicyDocument =>
  !!v && typeof v === "object" && Array.isArray((v as { Statement?: unknown }).Statement);

/** Unchanged runs longer than the context become one "  …" line. */
export function compactDiff(lines: string[], context = DIFF_CONTEXT): string {
  const changed = lines.map((l) => l.startsWith("+ ") || l.startsWith("- "));
  const keep = lines.map((_, i) => changed.slice(Math.max(0, i - context), i + context + 1).some(Boolean));
  const out: string[] = [];
  lines.forEach((l, i) => {
    if (keep[i]) out.push(l);
    else if (out[out.length - 1] !== "  …") out.push("  …");
  });
  return out.join("\n");
}

function statementLabel(s: Statement): string {
  if (s.Sid) return `statement ${s.Sid}`;
  const actions = s.Action === undefined ? [] : Array.isArray(s.Action) ? s.Action : [s.Action];
  return `the ${s.Effect} statement for ${actions.slice(0, 3).join(", ")}${actions.length > 3 ? ", …" : ""}`;
}

/** One line per statement removed, changed or added (matched by Sid, else by content). */
export function policyChanges(current: PolicyDocument | null, desired: PolicyDocument): string[] {
  if (!current) return ["the policy does not exist"];
  const words = { missing: "removed", changed: "changed", unexpected: "added (not the portal's)" } as const;
  return statementDifferences(current.Statement, desired.Statement, true).map((d) => `${statementLabel(d.statement)} ${words[d.change]}`);
}

/**
 * `current` cut down to the shape of `desired`: keys the portal does not set (AWS's defaults and metadata) are
 * dropped, so a diff shows what the portal cares about. Array elements beyond the desired length stay whole.
 */
export function projectOnto(current: unknown, desired: unknown): unknown {
  if (Array.isArray(current)) return current.map((c, i) => (Array.isArray(desired) && i < desired.length ? projectOnto(c, desired[i]) : c));
  if (!current || typeof current !== "object" || !desired || typeof desired !== "object" || Array.isArray(desired)) return current;
  const cur = current as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(desired as object)
      .filter((k) => k in cur)
      .map((k) => [k, projectOnto(cur[k], (desired as Record<string, unknown>)[k])]),
  );
}

const short = (v: unknown) => {
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
};

/** Leaf paths where `current` differs from `desired`: "State: DISABLED (desired ENABLED)", "Targets: 0 entries (desired 1)". */
export function leafChanges(current: unknown, desired: unknown, path = "", out: string[] = []): string[] {
  if (out.length >= MAX_CHANGES) return out;
  const at = path || "document";
  if (Array.isArray(desired)) {
    if (!Array.isArray(current))
      out.push(`${at}: ${current === undefined ? "missing" : short(current)} (desired a list of ${desired.length})`);
    else if (current.length !== desired.length)
      out.push(`${at}: ${current.length} entr${current.length === 1 ? "y" : "ies"} (desired ${desired.length})`);
    else desired.forEach((d, i) => leafChanges(current[i], d, `${path}[${i}]`, out));
    return out;
  }
  if (desired && typeof desired === "object") {
    if (!current || typeof current !== "object" || Array.isArray(current)) {
      out.push(`${at}: ${current === undefined || current === null ? "missing" : short(current)}`);
      return out;
    }
    for (const [k, v] of Object.entries(desired)) leafChanges((current as Record<string, unknown>)[k], v, path ? `${path}.${k}` : k, out);
    return out;
  }
  if (desired === undefined) return out;
  if (current === undefined || current === null || String(current) !== String(desired))
    out.push(`${at}: ${current === undefined || current === null ? "missing" : short(current)} (desired ${short(desired)})`);
  return out;
}

/** A top-level version that AWS bumps on every update is not drift. */
function withoutVersion(title: string, v: unknown): unknown {
  if (title !== "Pipeline declaration" || !v || typeof v !== "object" || Array.isArray(v)) return v;
  const { version: _v, ...rest } = v as Record<string, unknown>;
  return rest;
}

/** The differences one document shows, or null when it matches. */
export function documentDrift(doc: PlanDocument): { document: DriftDocument; changes: string[] } | null {
  if (isPolicy(doc.desired)) {
    const current = isPolicy(doc.current) ? doc.current : null;
    if (current && policyEquals(current, doc.desired)) return null;
    const changes = policyChanges(current, doc.desired).map((c) => `${doc.title}: ${c}`);
    return { document: { title: doc.title, diff: compactDiff(diffPolicy(current, doc.desired).split("\n")) }, changes };
  }
  if (doc.current !== null && doc.diff === "") return null;
  const desired = withoutVersion(doc.title, doc.desired);
  const current = doc.current === null ? null : projectOnto(withoutVersion(doc.title, doc.current), desired);
  const lines = diffLines(current === null ? [] : prettyJson(current).split("\n"), prettyJson(desired).split("\n"));
  if (current !== null && !lines.some((l) => l.startsWith("+ ") || l.startsWith("- "))) {
    // The difference lies in what the projection dropped: show the plan's own diff.
    return { document: { title: doc.title, diff: compactDiff(doc.diff.split("\n")) }, changes: [`${doc.title} differs`] };
  }
  const changes = current === null ? [`${doc.title}: does not exist`] : leafChanges(current, desired).map((c) => `${doc.title}: ${c}`);
  return { document: { title: doc.title, diff: compactDiff(lines) }, changes };
}

/**
 * A plan item as a drift item. `previous`: the same step's item in the previous check; its firstSeenAt is kept
 * while the resource stays out of sync.
 */
export function driftItemFrom(item: PlanItem, checkedAt: string, previous?: DriftItem): DriftItem {
  const status = statusOfAction(item.action);
  const drifts = status === "in-sync" ? [] : item.documents.map(documentDrift).filter((d): d is NonNullable<typeof d> => d !== null);
  const changes = status === "missing" ? [`${item.title} ${item.name} does not exist`] : drifts.flatMap((d) => d.changes);
  return {
    stepKey: item.stepKey,
    title: item.title,
    account: item.account,
    accountId: item.accountId,
    kind: item.kind,
    resource: item.name,
    ...(item.arn ? { arn: item.arn } : {}),
    status,
    planAction: item.action,
    reason: item.reason,
    changes: changes.length || status === "in-sync" ? changes.slice(0, MAX_CHANGES) : [item.reason],
    documents: drifts.map((d) => d.document),
    ...(status === "in-sync" ? {} : { firstSeenAt: carriedFirstSeen(previous, checkedAt) }),
  };
}

function carriedFirstSeen(previous: DriftItem | undefined, checkedAt: string): string {
  return previous && previous.status !== "in-sync" && previous.firstSeenAt ? previous.firstSeenAt : checkedAt;
}

/** A resource the verify could not read (AccessDenied, a throttled read that ran out of retries…). */
export function errorItem(
  step: { key: string; title: string; account: DriftItem["account"] },
  accountId: string,
  message: string,
  checkedAt: string,
  previous?: DriftItem,
): DriftItem {
  return {
    stepKey: step.key,
    title: step.title,
    account: step.account,
    accountId,
    kind: "unknown",
    resource: previous?.resource ?? step.title,
    status: "error",
    reason: message,
    changes: [],
    documents: [],
    firstSeenAt: carriedFirstSeen(previous, checkedAt),
  };
}
