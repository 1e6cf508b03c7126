/** Binds the pure policy evaluator to sandbox state: whose policies apply, what the context holds, who may assume what. */
import { accessDenied } from "./errors";
import { PORTAL_USER_POLICY, ROOT_POLICY, SANDBOX_PORTAL_PRINCIPAL_ARN, servicePrincipal } from "./identity";
import { logDebug, logWarn } from "./log";
import { type EvaluationResult, accountOfArn, denialMessage, evaluatePolicies } from "./policy/evaluate";
import type { ConditionContext, PolicyDocument, Principal } from "./policy/types";
import { resourceTagContext } from "./resource-tags";
import { findRoleByArn, permissionsBoundaryOf, rolePolicies } from "./services/iam-model";
import { effectiveTrustPolicy } from "./services/principal-ids";
import type { World } from "./state";

export function identityPoliciesFor(world: World, p: Principal): PolicyDocument[] {
  switch (p.type) {
    case "root":
      return [ROOT_POLICY];
    case "user":
      return p.arn === SANDBOX_PORTAL_PRINCIPAL_ARN ? [PORTAL_USER_POLICY] : [];
    case "assumed-role": {
      const role = p.roleArn ? findRoleByArn(world, p.roleArn) : undefined;
      return role ? rolePolicies(world, role) : [];
    }
    default:
      return [];
  }
}

/** The permissions boundary of an assumed-role caller ("missing" when its role names a policy that does not exist). */
export function permissionsBoundaryFor(world: World, p: Principal): PolicyDocument | "missing" | undefined {
  if (p.type !== "assumed-role" || !p.roleArn) return undefined;
  const role = findRoleByArn(world, p.roleArn);
  return role ? permissionsBoundaryOf(world, role) : undefined;
}

/** The organization of the caller's account (undefined for service principals and accounts outside one). */
export const principalOrgId = (world: World, p: Principal) => (p.account ? world.accounts[p.account]?.organizationId : undefined);

/** Global condition keys for a caller. aws:SecureTransport is "true": the sandbox stands in for AWS's HTTPS endpoints. */
export function baseContext(p: Principal, now: number, region?: string): ConditionContext {
  return {
    "aws:PrincipalArn": p.type === "assumed-role" ? p.roleArn : p.type === "service" ? undefined : p.arn,
    "aws:PrincipalAccount": p.account,
    "aws:PrincipalType": { root: "Account", user: "User", "assumed-role": "AssumedRole", service: "Service" }[p.type],
    "aws:userid": p.userId,
    "aws:SecureTransport": "true",
    "aws:CurrentTime": new Date(now).toISOString(),
    "aws:EpochTime": String(Math.floor(now / 1000)),
    "aws:RequestedRegion": region,
    "aws:SourceIdentity": p.sourceIdentity,
    "aws:PrincipalIsAWSService": p.type === "service" ? "true" : "false",
    "aws:username": p.type === "user" ? p.arn.slice(p.arn.lastIndexOf("/") + 1) : undefined,
    "aws:ViaAWSService": "false",
    "aws:PrincipalServiceName": p.service,
  };
}

export interface AuthorizeOptions {
  context?: ConditionContext;
  resourcePolicy?: PolicyDocument;
  resourceAccount?: string;
  requireBoth?: boolean;
  region?: string;
  now?: number;
  /** Skip the caller's identity policies (resource-policy-only checks). */
  identityPolicies?: PolicyDocument[];
}

/**
 * Decide `action` on `resource` for `p`: its identity policies (capped by its permissions boundary) and, when given, a
 * resource policy. The context holds the caller's global keys, aws:ResourceAccount, the resource's tags
 * (aws:ResourceTag/…) and the operation's own keys; evaluatePolicies keeps only those AWS's reference lists.
 */
export function authorize(world: World, p: Principal, action: string, resource: string, o: AuthorizeOptions = {}): EvaluationResult {
  const now = o.now ?? Date.now();
  const resourceAccount = o.resourceAccount ?? (resource === "*" ? undefined : accountOfArn(resource));
  const result = evaluatePolicies({
    identityPolicies: o.identityPolicies ?? identityPoliciesFor(world, p),
    // A boundary caps the caller's identity policies; resource-policy-only checks pass identityPolicies: [].
    permissionsBoundary: o.identityPolicies?.length === 0 ? undefined : permissionsBoundaryFor(world, p),
    resourcePolicy: o.resourcePolicy,
    principal: p,
    action,
    resource,
    context: {
      ...baseContext(p, now, o.region),
      "aws:ResourceAccount": resourceAccount,
      "aws:PrincipalOrgID": principalOrgId(world, p),
      // KMS fills kms:CallerAccount on every request (evaluatePolicies drops it where the reference does not list it).
      ...(action.toLowerCase().startsWith("kms:") ? { "kms:CallerAccount": p.account } : {}),
      ...(resource === "*" ? {} : resourceTagContext(world, resource)),
      ...o.context,
    },
    resourceAccount: o.resourceAccount,
    requireBoth: o.requireBoth,
  });
  if (result.failedClosed) logWarn(`policy evaluation failed closed for ${p.arn} ${action} on ${resource}: ${result.failedClosed}`);
  else if (result.decision !== "allow")
    logDebug(`deny ${p.arn} ${action} on ${resource}: ${result.reason}${result.hint ? ` (${result.hint})` : ""}`);
  return result;
}

/** Throws AccessDenied with AWS's wording unless allowed. */
export function assertAuthorized(world: World, p: Principal, action: string, resource: string, o: AuthorizeOptions = {}): void {
  const r = authorize(world, p, action, resource, o);
  if (r.decision !== "allow") throw accessDenied(denialMessage(p.arn, action, resource, r));
}

/** IAM eventual consistency: a role is invisible until iamPropagationDelayMs after its creation. */
export function isPrincipalVisible(world: World, arn: string, now: number, delayMs = 0): boolean {
  if (/^arn:aws:iam::\d{12}:role\//.test(arn)) {
    const role = findRoleByArn(world, arn);
    return !!role && role.createdAt + delayMs <= now;
  }
  if (/^arn:aws:iam::(\d{12}):root$/.test(arn) || /^\d{12}$/.test(arn)) return true;
  if (arn === SANDBOX_PORTAL_PRINCIPAL_ARN) return true;
  if (/^[a-z0-9.-]+\.amazonaws\.com$/.test(arn)) return true;
  if (/^arn:aws:sts::\d{12}:assumed-role\//.test(arn)) return true;
  return false;
}

export interface AssumeRoleRequest {
  now: number;
  iamPropagationDelayMs?: number;
  externalId?: string;
  sourceIdentity?: string;
  roleSessionName?: string;
  tags?: Record<string, string>;
  /** For service principals: aws:SourceAccount / aws:SourceArn of the resource acting (e.g. the pipeline). */
  sourceAccount?: string;
  sourceArn?: string;
}

export type AssumeRoleCheck = { ok: true } | { ok: false; action: string; message: string; reason: string };

/**
 * AWS's AssumeRole rules: the role exists (and is visible), the caller's identity policies allow sts:AssumeRole on
 * it (not checked for service principals), the trust policy allows it, and, when given, SourceIdentity and tags
 * are allowed too (sts:SetSourceIdentity / sts:TagSession in both).
 */
export function checkAssumeRole(world: World, p: Principal, roleArn: string, req: AssumeRoleRequest): AssumeRoleCheck {
  const deny = (action: string, reason: string): AssumeRoleCheck => {
    logDebug(`AssumeRole denied for ${p.arn} on ${roleArn}: ${action}: ${reason}`);
    return { ok: false, action, reason, message: `User: ${p.arn} is not authorized to perform: ${action} on resource: ${roleArn}` };
  };
  const role = findRoleByArn(world, roleArn);
  if (!role) return deny("sts:AssumeRole", "the role does not exist");
  if (!isPrincipalVisible(world, roleArn, req.now, req.iamPropagationDelayMs))
    return deny("sts:AssumeRole", "the role is not visible yet (IAM propagation delay)");
  let trust: PolicyDocument;
  try {
    trust = JSON.parse(effectiveTrustPolicy(world, role));
  } catch {
    return deny("sts:AssumeRole", "unparseable trust policy");
  }
  const tagContext: ConditionContext = {};
  if (req.tags && Object.keys(req.tags).length) {
    for (const [k, v] of Object.entries(req.tags)) tagContext[`aws:RequestTag/${k}`] = v;
    tagContext["aws:TagKeys"] = Object.keys(req.tags);
  }
  const context: ConditionContext = {
    "sts:ExternalId": req.externalId,
    "sts:SourceIdentity": req.sourceIdentity,
    "sts:RoleSessionName": req.roleSessionName,
    "aws:SourceAccount": req.sourceAccount,
    "aws:SourceArn": req.sourceArn,
    ...tagContext,
  };
  const actions = ["sts:AssumeRole"];
  if (req.sourceIdentity !== undefined) actions.push("sts:SetSourceIdentity");
  if (req.tags && Object.keys(req.tags).length) actions.push("sts:TagSession");
  for (const action of actions) {
    if (p.type !== "service") {
      const id = authorize(world, p, action, roleArn, { context, now: req.now, requireBoth: false });
      if (id.decision !== "allow") return deny(action, `identity: ${id.reason}`);
    }
    const tr = authorize(world, p, action, roleArn, {
      context,
      now: req.now,
      resourcePolicy: trust,
      identityPolicies: [],
      requireBoth: false,
    });
    if (tr.decision !== "allow") return deny(action, `trust policy: ${tr.reason}`);
  }
  return { ok: true };
}

/** "May service X (acting for sourceAccount/sourceArn) assume role Y?" — for CodePipeline, CodeBuild, EventBridge. */
export function canServiceAssumeRole(
  world: World,
  service: string,
  roleArn: string,
  req: Omit<AssumeRoleRequest, "externalId" | "sourceIdentity">,
): AssumeRoleCheck {
  return checkAssumeRole(world, servicePrincipal(service), roleArn, req);
}
