/**
 * Pure documents of an offboarding: each shared policy without what this onboarding alone needed. Statements the
 * portal did not write are never touched; a grant another live onboarding still needs stays.
 */
import type { ResourceNames } from "@/lib/names/derive";
import { KEY_ORGANIZATION_SID } from "@/lib/policies/kms-key-policy";
import { mergeStatements } from "@/lib/policies/merge";
import type { PolicyDocument, Statement } from "@/lib/policies/types";

function principals(s: Statement): string[] {
  const aws = s.Principal && s.Principal !== "*" ? s.Principal.AWS : undefined;
  return aws === undefined ? [] : Array.isArray(aws) ? aws.map(String) : [String(aws)];
}

const sameAccountRoot = (value: string, account: string) =>
  value === account || value === `arn:aws:iam::${account}:root` || new RegExp(`^arn:[\\w-]+:iam::${account}:root$`).test(value);

/** `doc` with `drop` removed from the AWS principals of statement `sid`; the statement goes when none is left. */
function withoutPrincipal(doc: PolicyDocument, sid: string, drop: (p: string) => boolean): PolicyDocument {
  const out: Statement[] = [];
  for (const s of doc.Statement) {
    if (s.Sid !== sid) {
      out.push(s);
      continue;
    }
    const left = principals(s).filter((p) => !drop(p));
    if (left.length === principals(s).length) out.push(s);
    else if (left.length) out.push({ ...s, Principal: { AWS: left.length === 1 ? left[0] : left } });
  }
  return { ...doc, Statement: out };
}

export interface KeyPolicyRemoval {
  /** Another live onboarding of the tools account and region has the same repo account: its grant stays. */
  repoAccountStillUsed: boolean;
  /** Another live onboarding of the tools account and region uses the key (keeps an Organization-wide grant). */
  keyStillUsed: boolean;
  /** The service role of the existing project this onboarding built with, when no other onboarding uses it. */
  buildRoleToRemove?: string;
}

/**
 * The shared key policy without this onboarding's grants (its repo account, its existing build role's statement and
 * its role in the pre-issue-17 shared statement, naming-v1 pairs).
 */
export function keyPolicyWithout(current: PolicyDocument, names: ResourceNames, r: KeyPolicyRemoval): PolicyDocument {
  let doc = current;
  if (!r.repoAccountStillUsed) doc = withoutPrincipal(doc, names.sids.keyRepoAccountsUse, (p) => sameAccountRoot(p, names.repoAccountId));
  if (!r.keyStillUsed) doc = { ...doc, Statement: doc.Statement.filter((s) => s.Sid !== KEY_ORGANIZATION_SID) };
  if (r.buildRoleToRemove) doc = withoutPrincipal(doc, names.sids.keyExistingBuildRolesUse, (p) => p === r.buildRoleToRemove);
  return mergeStatements(
    doc,
    [],
    [names.legacySids.keyPipelineRoleUse, names.legacySids.keyRepoRoleUse, names.sids.keyExistingBuildRoleUse],
  );
}

/** The default bus policy without the repo account's (or the Organization's) PutEvents statement. */
export function eventBusPolicyWithout(current: PolicyDocument, names: ResourceNames): PolicyDocument {
  return { ...current, Statement: current.Statement.filter((s) => s.Sid !== names.events.statementId) };
}

/**
 * A kept artifact bucket's policy without the grants to this onboarding's roles (which are deleted): the guards
 * (encryption, transport, the key, TLS, other portal roles denied) stay.
 */
export function keptBucketPolicy(current: PolicyDocument, names: ResourceNames): PolicyDocument {
  const grants = new Set([names.sids.bucketSourceRoleObjects, names.sids.bucketSourceRoleList, names.sids.bucketExistingBuildRoleObjects]);
  return { ...current, Statement: current.Statement.filter((s) => !s.Sid || !grants.has(s.Sid)) };
}
