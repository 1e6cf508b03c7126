/**
 * Who may assume the provisioning role: the portal's account root, narrowed with aws:PrincipalArn to the
 * portal's identity. Naming the account root keeps the trust valid when that identity is recreated, and lets
 * an assumed role be matched without knowing its IAM path.
 */
export interface TrustPrincipal {
  accountId: string;
  /** ArnLike patterns for aws:PrincipalArn. */
  principalArnPatterns: string[];
}

/**
 * The trust principal for the portal's identity, from PORTAL_PRINCIPAL_ARN or GetCallerIdentity's Arn.
 * GetCallerIdentity answers `arn:aws:sts::A:assumed-role/NAME/session` without the role's path (SSO roles live
 * under aws-reserved/sso.amazonaws.com/<region>/), while aws:PrincipalArn carries it: so a role known only by
 * its name matches `role/NAME` or `role/<any path>/NAME`. Users and roles given by their IAM ARN match exactly.
 * Null for anything that cannot assume a role (the account root, a malformed ARN).
 */
export function trustPrincipalFor(identityArn: string): TrustPrincipal | null {
  const assumed = /^arn:aws:sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/[\w+=,.@-]+$/.exec(identityArn);
  if (assumed) {
    const [, account, name] = assumed;
    return { accountId: account, principalArnPatterns: [`arn:aws:iam::${account}:role/${name}`, `arn:aws:iam::${account}:role/*/${name}`] };
  }
  const iam = /^arn:aws:iam::(\d{12}):(user|role)\/(?:[\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/.exec(identityArn);
  if (iam) return { accountId: iam[1], principalArnPatterns: [identityArn] };
  const federated = /^arn:aws:sts::(\d{12}):federated-user\/[\w+=,.@-]{2,32}$/.exec(identityArn);
  if (federated) return { accountId: federated[1], principalArnPatterns: [identityArn] };
  return null;
}
