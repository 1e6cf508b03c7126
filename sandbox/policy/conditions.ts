import { arnMatch, globMatch } from "./glob";
import { type ConditionContext, UnsupportedPolicyFeature, asList } from "./types";

/**
 * Condition keys the sandbox models: it puts them in the request context wherever AWS's Service Authorization
 * Reference lists them for an action the sandbox implements (absent when not applicable, as in AWS). A key the SAR
 * lists for an action but that is not modelled here makes a condition on it fail closed (we cannot tell "absent" from
 * "not implemented"). Services register their own keys; `actions` narrows a key to the actions that populate it.
 */
const MODELLED = new Map<string, Set<string> | "all">();
export function registerConditionKeys(keys: string[], actions?: string[]): void {
  for (const k of keys) {
    const key = k.toLowerCase();
    if (!actions) {
      MODELLED.set(key, "all");
      continue;
    }
    const cur = MODELLED.get(key);
    if (cur === "all") continue;
    MODELLED.set(key, new Set([...(cur ?? []), ...actions.map((a) => a.toLowerCase())]));
  }
}
/** Every key the sandbox models (lower-cased; families end in "/*"). */
export const modelledKeys = (): string[] => [...MODELLED.keys()];

/** Is `key` (lower-cased, or a family such as "aws:requesttag/*") populated by the sandbox for `action`? */
export function isModelledKey(key: string, action: string): boolean {
  const m = MODELLED.get(key.toLowerCase());
  return m === "all" || (!!m && m.has(action.toLowerCase()));
}

/**
 * Global keys (aws:*) the sandbox always models: present in the context whenever AWS would set them. Any other global
 * key (aws:SourceIp, aws:CalledVia, aws:PrincipalOrgPaths, aws:PrincipalTag/…, aws:MultiFactorAuthPresent…) fails closed when absent.
 */
registerConditionKeys([
  "aws:PrincipalArn",
  "aws:PrincipalAccount",
  "aws:PrincipalType",
  "aws:userid",
  "aws:username",
  "aws:SecureTransport",
  "aws:CurrentTime",
  "aws:EpochTime",
  "aws:RequestedRegion",
  "aws:SourceIdentity",
  "aws:SourceAccount",
  "aws:SourceArn",
  "aws:PrincipalIsAWSService",
  "aws:PrincipalServiceName",
  "aws:ResourceAccount",
  "aws:ViaAWSService",
  "aws:PrincipalOrgID",
  "sts:ExternalId",
  "sts:SourceIdentity",
  "sts:RoleSessionName",
]);

/** How the evaluator treats a key the request context does not hold. */
export type AbsentKey = { modelled: true } | { modelled: false; reason: string };

/** Every operator name AWS accepts (for write-time validation); only some are evaluated. */
export const AWS_CONDITION_OPERATORS = [
  "StringEquals",
  "StringNotEquals",
  "StringEqualsIgnoreCase",
  "StringNotEqualsIgnoreCase",
  "StringLike",
  "StringNotLike",
  "NumericEquals",
  "NumericNotEquals",
  "NumericLessThan",
  "NumericLessThanEquals",
  "NumericGreaterThan",
  "NumericGreaterThanEquals",
  "DateEquals",
  "DateNotEquals",
  "DateLessThan",
  "DateLessThanEquals",
  "DateGreaterThan",
  "DateGreaterThanEquals",
  "Bool",
  "BinaryEquals",
  "IpAddress",
  "NotIpAddress",
  "ArnEquals",
  "ArnLike",
  "ArnNotEquals",
  "ArnNotLike",
  "Null",
];

type Comparator = (actual: string, expected: string) => boolean;
const num =
  (f: (a: number, b: number) => boolean): Comparator =>
  (a, e) => {
    const x = Number(a),
      y = Number(e);
    return !Number.isNaN(x) && !Number.isNaN(y) && f(x, y);
  };
const date =
  (f: (a: number, b: number) => boolean): Comparator =>
  (a, e) => {
    const x = toTime(a),
      y = toTime(e);
    return !Number.isNaN(x) && !Number.isNaN(y) && f(x, y);
  };
const toTime = (s: string) => (/^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s));

/** Positive comparators; a negated operator is `!(any expected matches)`. */
const OPS: Record<string, { cmp: Comparator; negated: boolean }> = {
  StringEquals: { cmp: (a, e) => a === e, negated: false },
  StringNotEquals: { cmp: (a, e) => a === e, negated: true },
  StringEqualsIgnoreCase: { cmp: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { cmp: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  StringLike: { cmp: (a, e) => globMatch(e, a), negated: false },
  StringNotLike: { cmp: (a, e) => globMatch(e, a), negated: true },
  ArnEquals: { cmp: (a, e) => arnMatch(e, a), negated: false },
  ArnLike: { cmp: (a, e) => arnMatch(e, a), negated: false },
  ArnNotEquals: { cmp: (a, e) => arnMatch(e, a), negated: true },
  ArnNotLike: { cmp: (a, e) => arnMatch(e, a), negated: true },
  Bool: { cmp: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  NumericEquals: { cmp: num((a, b) => a === b), negated: false },
  NumericNotEquals: { cmp: num((a, b) => a === b), negated: true },
  NumericLessThan: { cmp: num((a, b) => a < b), negated: false },
  NumericLessThanEquals: { cmp: num((a, b) => a <= b), negated: false },
  NumericGreaterThan: { cmp: num((a, b) => a > b), negated: false },
  NumericGreaterThanEquals: { cmp: num((a, b) => a >= b), negated: false },
  DateEquals: { cmp: date((a, b) => a === b), negated: false },
  DateNotEquals: { cmp: date((a, b) => a === b), negated: true },
  DateLessThan: { cmp: date((a, b) => a < b), negated: false },
  DateLessThanEquals: { cmp: date((a, b) => a <= b), negated: false },
  DateGreaterThan: { cmp: date((a, b) => a > b), negated: false },
  DateGreaterThanEquals: { cmp: date((a, b) => a >= b), negated: false },
};

function lookup(ctx: ConditionContext, key: string): { present: boolean; value: string[] | undefined } {
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(ctx)) {
    if (k.toLowerCase() === lower) return v === undefined ? { present: false, value: undefined } : { present: true, value: asList(v) };
  }
  return { present: false, value: undefined };
}

/**
 * True when every operator block of a statement's Condition holds (AWS's rules for absent keys: plain operators are
 * false, negated operators, …IfExists and ForAllValues: true, Null true for "true"). Throws UnsupportedPolicyFeature to
 * fail closed: an unknown operator, or an absent key the sandbox does not model (`absent(key)` decides).
 */
export function evaluateCondition(
  condition: Record<string, Record<string, unknown>> | undefined,
  ctx: ConditionContext,
  absent: (key: string) => AbsentKey = () => ({ modelled: false, reason: "no request context" }),
): boolean {
  if (!condition) return true;
  for (const [rawOp, block] of Object.entries(condition)) {
    let op = rawOp;
    let set: "any" | "all" | undefined;
    if (op.startsWith("ForAnyValue:")) {
      set = "any";
      op = op.slice(12);
    } else if (op.startsWith("ForAllValues:")) {
      set = "all";
      op = op.slice(13);
    }
    const ifExists = op.endsWith("IfExists");
    if (ifExists) op = op.slice(0, -8);
    if ((op !== "Null" && !OPS[op]) || (op === "Null" && (ifExists || set)))
      throw new UnsupportedPolicyFeature(`unsupported condition operator ${rawOp}`);
    if (typeof block !== "object" || block === null) throw new UnsupportedPolicyFeature(`malformed condition block ${rawOp}`);
    for (const [key, rawExpected] of Object.entries(block)) {
      const expected = asList(rawExpected as unknown).map((e) => String(e));
      const { present, value } = lookup(ctx, key);
      if (!present) {
        const a = absent(key);
        if (!a.modelled) throw new UnsupportedPolicyFeature(`condition key ${key} (operator ${rawOp}): ${a.reason}`);
      }
      if (op === "Null") {
        const wantAbsent = expected.some((e) => e.toLowerCase() === "true");
        if ((value === undefined || value.length === 0) !== wantAbsent) return false;
        continue;
      }
      const { cmp, negated } = OPS[op];
      if (value === undefined) {
        if (ifExists || set === "all") continue;
        if (set === "any") return false;
        if (negated) continue;
        return false;
      }
      const matches = (v: string) => (negated ? !expected.some((e) => cmp(v, e)) : expected.some((e) => cmp(v, e)));
      const ok = set === "all" ? value.every(matches) : value.some(matches);
      if (!ok) return false;
    }
  }
  return true;
}
