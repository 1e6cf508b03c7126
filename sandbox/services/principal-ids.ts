/**
 * Role principals in resource policies (trust, bucket, key policies) are stored by the role's unique id, as AWS does
 * ("IAM role principals", IAM User Guide; re:Post "Why is there an unknown principal format in my IAM resource-based
 * policy?"): the policy reads back with the ARN while that role exists, and with the bare id (AROA…) once it is
 * deleted; a role recreated under the same name has a new id and is not granted. Writing a policy that names a bare
 * unique id is refused by every service (the id no longer maps to a principal).
 *
 * The sandbox keeps the policy text as written plus `ARN → unique id at write time`, and derives the stored form.
 */
import type { PolicyDocument, PrincipalBlock } from "../policy/types";
import type { World } from "../state";
import { type Role, findRoleByArn } from "./iam-model";

export type PrincipalIds = Record<string, string>;

const ROLE_PRINCIPAL = /^arn:aws:iam::\d{12}:role\//;
/** Unique ids IAM shows for deleted principals: AROA… (role), AIDA… (user). */
const UNIQUE_ID = /^(AROA|AIDA)[A-Z0-9]{12,124}$/;

function awsEntries(block: PrincipalBlock | undefined): string[] {
  if (!block || block === "*" || typeof block !== "object" || block.AWS === undefined) return [];
  return [block.AWS].flat().filter((e): e is string => typeof e === "string");
}

function statements(doc: PolicyDocument) {
  return [doc.Statement ?? []].flat().filter((st) => st && typeof st === "object");
}

/** Role ARNs named as principals → the unique id of the role they name now (call at write time). */
export function principalIdsOf(world: World, doc: PolicyDocument): PrincipalIds {
  const ids: PrincipalIds = {};
  for (const st of statements(doc)) {
    for (const e of [...awsEntries(st.Principal), ...awsEntries(st.NotPrincipal)]) {
      const role = ROLE_PRINCIPAL.test(e) ? findRoleByArn(world, e) : undefined;
      if (role) ids[e] = role.roleId;
    }
  }
  return ids;
}

/** The first bare unique id named as a principal, if any (such a policy is refused on write). */
export function bareUniqueId(doc: PolicyDocument): string | undefined {
  for (const st of statements(doc)) {
    const hit = [...awsEntries(st.Principal), ...awsEntries(st.NotPrincipal)].find((e) => UNIQUE_ID.test(e));
    if (hit) return hit;
  }
  return undefined;
}

/** ARNs whose role was deleted (or deleted and recreated) since the policy was written. */
function staleArns(world: World, ids: PrincipalIds | undefined): string[] {
  return Object.keys(ids ?? {}).filter((arn) => findRoleByArn(world, arn)?.roleId !== ids![arn]);
}

/** The policy as AWS now stores it: stale role principals replaced by their unique id. Unchanged text otherwise. */
export function storedPolicyText(world: World, text: string, ids: PrincipalIds | undefined): string {
  const stale = staleArns(world, ids);
  if (!stale.length) return text;
  const doc = JSON.parse(text) as PolicyDocument;
  const swap = (v: string | string[]) =>
    Array.isArray(v) ? v.map((x) => (stale.includes(x) ? ids![x] : x)) : stale.includes(v) ? ids![v] : v;
  for (const st of statements(doc)) {
    for (const block of [st.Principal, st.NotPrincipal])
      if (block && block !== "*" && typeof block === "object" && block.AWS) block.AWS = swap(block.AWS);
  }
  return JSON.stringify(doc);
}

/** Parsed stored form (for evaluation); undefined when the text does not parse. */
export function storedPolicyDoc(world: World, text: string | undefined, ids: PrincipalIds | undefined): PolicyDocument | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(storedPolicyText(world, text, ids)) as PolicyDocument;
  } catch {
    return undefined;
  }
}

/** The trust policy as IAM now stores it: role principals whose role was deleted/recreated become their old id. */
export function effectiveTrustPolicy(world: World, role: Role): string {
  return storedPolicyText(world, role.trustPolicy, role.trustPrincipalIds);
}
