import { type AbsentKey, evaluateCondition } from "./conditions";
import { arnMatch, globMatch } from "./glob";
import { matchPrincipalBlock, namesSessionDirectly } from "./principal";
import { prepareRequest } from "./request";
import {
  type ConditionContext,
  type Decision,
  type PolicyDocument,
  type PolicyStatement,
  type Principal,
  UnsupportedPolicyFeature,
  asList,
} from "./types";

export interface EvaluationRequest {
  /** Identity-based policies of the caller (inline + attached managed). Principal elements are ignored in them. */
  identityPolicies: PolicyDocument[];
  /** Resource-based policy (trust policy, key policy, bucket policy…); its Principal elements are checked. */
  resourcePolicy?: PolicyDocument;
  principal: Principal;
  action: string;
  resource: string;
  context: ConditionContext;
  /** Account owning the resource; derived from the ARN when omitted (S3 ARNs carry none: pass it). */
  resourceAccount?: string;
  /**
   * Require both identity and resource policy to allow. Default: true when cross-account, false otherwise
   * (same-account: either suffices). KMS-style "the key policy must allow" callers pass identityPolicies: [] or
   * check the resource side themselves.
   */
  requireBoth?: boolean;
  /**
   * The caller's permissions boundary (a role's managed policy document), when it has one; "missing" when the role
   * names a boundary policy that does not exist or cannot be read (fails closed).
   */
  permissionsBoundary?: PolicyDocument | "missing";
}

export interface EvaluationResult {
  decision: Decision;
  reason: string;
  /** Set when a policy used a feature the sandbox does not implement; the decision is then "deny". */
  failedClosed?: string;
  /** For SANDBOX_DEBUG: statements that matched action and resource but whose Condition did not hold, and why. */
  hint?: string;
}

interface SetResult {
  allow: boolean;
  deny: boolean;
  unsupported?: string;
  allowNamesSession?: boolean;
  conditionMisses?: string[];
}

function actionMatches(st: PolicyStatement, action: string): boolean {
  if (st.Action !== undefined) return asList(st.Action).some((a) => globMatch(a, action, true));
  if (st.NotAction !== undefined) return !asList(st.NotAction).some((a) => globMatch(a, action, true));
  return false;
}

function resourceMatches(st: PolicyStatement, resource: string, requireResourceElement: boolean): boolean {
  const match = (pattern: string) =>
    pattern === "*" || (pattern.startsWith("arn:") ? arnMatch(pattern, resource) : globMatch(pattern, resource));
  if (st.Resource !== undefined) return asList(st.Resource).some(match);
  if (st.NotResource !== undefined) return !asList(st.NotResource).some(match);
  return !requireResourceElement; // trust policies have no Resource element
}

function evaluateSet(
  docs: PolicyDocument[],
  req: EvaluationRequest,
  checkPrincipal: boolean,
  absent: (key: string) => AbsentKey,
): SetResult {
  const out: SetResult = { allow: false, deny: false };
  for (const doc of docs) {
    for (const st of asList(doc?.Statement)) {
      if (!st || (st.Effect !== "Allow" && st.Effect !== "Deny")) continue;
      if (!actionMatches(st, req.action)) continue;
      if (!resourceMatches(st, req.resource, !checkPrincipal)) continue;
      if (checkPrincipal) {
        if (st.Principal !== undefined && !matchPrincipalBlock(st.Principal, req.principal)) continue;
        // AWS: a Deny with NotPrincipal always denies a principal that has a permissions boundary, whatever it lists
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
        const boundaryOverridesNotPrincipal = st.Effect === "Deny" && req.permissionsBoundary !== undefined;
        if (st.NotPrincipal !== undefined && !boundaryOverridesNotPrincipal && matchPrincipalBlock(st.NotPrincipal, req.principal))
          continue;
        if (st.Principal === undefined && st.NotPrincipal === undefined) continue;
      }
      let holds: boolean;
      try {
        holds = evaluateCondition(st.Condition, req.context, absent);
      } catch (e) {
        if (e instanceof UnsupportedPolicyFeature) {
          out.unsupported = `${e.message}${st.Sid ? ` in statement ${st.Sid}` : ""}`;
          out.deny = true;
          continue;
        }
        throw e;
      }
      if (!holds) {
        if (st.Effect === "Allow") (out.conditionMisses ??= []).push(conditionMiss(st, req.context));
        continue;
      }
      if (st.Effect === "Deny") out.deny = true;
      else {
        out.allow = true;
        if (checkPrincipal && namesSessionDirectly(st.Principal, req.principal)) out.allowNamesSession = true;
      }
    }
  }
  return out;
}

/** "statement Sid: keys k1 (absent), k2=v" — why an Allow statement's condition did not hold. */
function conditionMiss(st: PolicyStatement, ctx: ConditionContext): string {
  const keys = Object.values(st.Condition ?? {}).flatMap((block) => Object.keys(block ?? {}));
  const lower = new Map(Object.entries(ctx).map(([k, v]) => [k.toLowerCase(), v]));
  const shown = keys.map((k) => {
    const v = lower.get(k.toLowerCase());
    return v === undefined ? `${k} absent from the request context` : `${k}=${JSON.stringify(v)}`;
  });
  return `statement ${st.Sid ?? "(no Sid)"}: ${shown.join(", ")}`;
}

export function accountOfArn(arn: string): string | undefined {
  const parts = arn.split(":");
  return parts.length >= 6 && parts[4] ? parts[4] : undefined;
}

/**
 * Pure IAM policy evaluation (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
 * the request is first shaped by the Service Authorization Reference (request.ts); then explicit deny wins, then allow
 * (identity and/or resource policy, identity capped by the permissions boundary), else implicit deny.
 */
export function evaluatePolicies(input: EvaluationRequest): EvaluationResult {
  const prepared = prepareRequest(input.action, input.resource, input.context);
  if (!prepared.ok) return { decision: "deny", reason: `the sandbox failed closed: ${prepared.reason}`, failedClosed: prepared.reason };
  const req = { ...input, context: prepared.context };
  const id = evaluateSet(req.identityPolicies, req, false, prepared.absent);
  const rp = req.resourcePolicy
    ? evaluateSet([req.resourcePolicy], req, true, prepared.absent)
    : ({ allow: false, deny: false } as SetResult);
  const pb =
    req.permissionsBoundary === "missing"
      ? undefined
      : req.permissionsBoundary
        ? evaluateSet([req.permissionsBoundary], req, false, prepared.absent)
        : undefined;
  const failedClosed =
    req.permissionsBoundary === "missing"
      ? "the caller's permissions boundary policy does not exist"
      : (id.unsupported ?? rp.unsupported ?? pb?.unsupported);
  if (failedClosed) return { decision: "deny", reason: `the sandbox failed closed: ${failedClosed}`, failedClosed };
  if (id.deny) return { decision: "deny", reason: "with an explicit deny in an identity-based policy" };
  if (rp.deny) return { decision: "deny", reason: "with an explicit deny in a resource-based policy" };
  if (pb?.deny) return { decision: "deny", reason: "with an explicit deny in a permissions boundary" };
  // Identity-based permissions are the intersection of the identity policies and the boundary.
  const boundaryAllows = !pb || pb.allow;
  const idAllow = id.allow && boundaryAllows;
  const resourceAccount = req.resourceAccount ?? accountOfArn(req.resource);
  const crossAccount = !!resourceAccount && !!req.principal.account && resourceAccount !== req.principal.account;
  const both = req.requireBoth ?? crossAccount;
  const noBoundary = `because no permissions boundary allows the ${req.action} action`;
  const misses = [...(id.conditionMisses ?? []), ...(rp.conditionMisses ?? []), ...(pb?.conditionMisses ?? [])];
  const hint = misses.length ? `conditions that did not hold for ${req.action}: ${misses.join("; ")}` : undefined;
  const deny = (reason: string): EvaluationResult => ({ decision: "implicitDeny", reason, hint });
  if (both) {
    if (!idAllow && req.principal.type !== "service")
      return deny(id.allow ? noBoundary : `because no identity-based policy allows the ${req.action} action`);
    if (!rp.allow) return deny(`because no resource-based policy allows the ${req.action} action`);
    return { decision: "allow", reason: "allowed by identity-based and resource-based policies" };
  }
  if (idAllow) return { decision: "allow", reason: "allowed by an identity-based policy" };
  // Same account: a resource-based policy naming the role session ARN is not limited by the boundary; one naming the
  // role ARN (or the account) is (AWS: "Resource-based policies" under "Evaluating policies within a single account").
  if (rp.allow && (boundaryAllows || rp.allowNamesSession)) return { decision: "allow", reason: "allowed by a resource-based policy" };
  if (rp.allow || id.allow) return deny(noBoundary);
  // A resource-policy-only check (trust policy, bus policy): the resource policy is what did not allow.
  if (req.resourcePolicy && req.identityPolicies.length === 0)
    return deny(`because no resource-based policy allows the ${req.action} action`);
  return deny(`because no identity-based policy allows the ${req.action} action`);
}

/** AWS's AccessDenied wording. */
export function denialMessage(principalArn: string, action: string, resource: string, result: EvaluationResult): string {
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${result.reason}`;
}
