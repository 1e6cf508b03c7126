import { evaluateCondition } from "./conditions";
import { arnMatch, globMatch } from "./glob";
import { matchPrincipalBlock } from "./principal";
import {
  type ConditionContext, type Decision, type PolicyDocument, type PolicyStatement, type Principal,
  UnsupportedPolicyFeature, asList,
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
}

export interface EvaluationResult {
  decision: Decision;
  reason: string;
  /** Set when a policy used a feature the sandbox does not implement; the decision is then "deny". */
  failedClosed?: string;
}

interface SetResult { allow: boolean; deny: boolean; unsupported?: string }

function actionMatches(st: PolicyStatement, action: string): boolean {
  if (st.Action !== undefined) return asList(st.Action).some((a) => globMatch(a, action, true));
  if (st.NotAction !== undefined) return !asList(st.NotAction).some((a) => globMatch(a, action, true));
  return false;
}

function resourceMatches(st: PolicyStatement, resource: string, requireResourceElement: boolean): boolean {
  const match = (pattern: string) => pattern === "*" || (pattern.startsWith("arn:") ? arnMatch(pattern, resource) : globMatch(pattern, resource));
  if (st.Resource !== undefined) return asList(st.Resource).some(match);
  if (st.NotResource !== undefined) return !asList(st.NotResource).some(match);
  return !requireResourceElement; // trust policies have no Resource element
}

function evaluateSet(docs: PolicyDocument[], req: EvaluationRequest, checkPrincipal: boolean): SetResult {
  const out: SetResult = { allow: false, deny: false };
  for (const doc of docs) {
    for (const st of asList(doc?.Statement)) {
      if (!st || (st.Effect !== "Allow" && st.Effect !== "Deny")) continue;
      if (!actionMatches(st, req.action)) continue;
      if (!resourceMatches(st, req.resource, !checkPrincipal)) continue;
      if (checkPrincipal) {
        if (st.Principal !== undefined && !matchPrincipalBlock(st.Principal, req.principal)) continue;
        if (st.NotPrincipal !== undefined && matchPrincipalBlock(st.NotPrincipal, req.principal)) continue;
        if (st.Principal === undefined && st.NotPrincipal === undefined) continue;
      }
      let holds: boolean;
      try {
        holds = evaluateCondition(st.Condition, req.context);
      } catch (e) {
        if (e instanceof UnsupportedPolicyFeature) {
          out.unsupported = `${e.message}${st.Sid ? ` in statement ${st.Sid}` : ""}`;
          out.deny = true;
          continue;
        }
        throw e;
      }
      if (!holds) continue;
      if (st.Effect === "Deny") out.deny = true;
      else out.allow = true;
    }
  }
  return out;
}

export function accountOfArn(arn: string): string | undefined {
  const parts = arn.split(":");
  return parts.length >= 6 && parts[4] ? parts[4] : undefined;
}

/** Pure IAM policy evaluation: explicit deny wins, then allow (identity and/or resource policy), else implicit deny. */
export function evaluatePolicies(req: EvaluationRequest): EvaluationResult {
  const id = evaluateSet(req.identityPolicies, req, false);
  const rp = req.resourcePolicy ? evaluateSet([req.resourcePolicy], req, true) : { allow: false, deny: false };
  const failedClosed = id.unsupported ?? rp.unsupported;
  if (failedClosed) return { decision: "deny", reason: `the sandbox failed closed: ${failedClosed}`, failedClosed };
  if (id.deny) return { decision: "deny", reason: "with an explicit deny in an identity-based policy" };
  if (rp.deny) return { decision: "deny", reason: "with an explicit deny in a resource-based policy" };
  const resourceAccount = req.resourceAccount ?? accountOfArn(req.resource);
  const crossAccount = !!resourceAccount && !!req.principal.account && resourceAccount !== req.principal.account;
  const both = req.requireBoth ?? crossAccount;
  if (both) {
    if (!id.allow && req.principal.type !== "service")
      return { decision: "implicitDeny", reason: `because no identity-based policy allows the ${req.action} action` };
    if (!rp.allow) return { decision: "implicitDeny", reason: `because no resource-based policy allows the ${req.action} action` };
    return { decision: "allow", reason: "allowed by identity-based and resource-based policies" };
  }
  if (id.allow) return { decision: "allow", reason: "allowed by an identity-based policy" };
  if (rp.allow) return { decision: "allow", reason: "allowed by a resource-based policy" };
  return { decision: "implicitDeny", reason: `because no identity-based policy allows the ${req.action} action` };
}

/** AWS's AccessDenied wording. */
export function denialMessage(principalArn: string, action: string, resource: string, result: EvaluationResult): string {
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${result.reason}`;
}
