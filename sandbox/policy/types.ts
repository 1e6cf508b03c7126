/** Who is making a request, as the policy evaluator sees it. */
export interface Principal {
  type: "root" | "user" | "assumed-role" | "service";
  /** Caller ARN as AWS reports it (assumed role: arn:aws:sts::A:assumed-role/R/S; service: the service name). */
  arn: string;
  account?: string;
  /** For assumed-role sessions: the role ARN arn:aws:iam::A:role/path/R. */
  roleArn?: string;
  sessionName?: string;
  /** For service principals, e.g. "codepipeline.amazonaws.com". */
  service?: string;
  userId: string;
  sourceIdentity?: string;
}

export type PolicyStatement = {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: PrincipalBlock;
  NotPrincipal?: PrincipalBlock;
  Condition?: Record<string, Record<string, unknown>>;
};

export type PrincipalBlock =
  "*" | { AWS?: string | string[]; Service?: string | string[]; Federated?: string | string[]; CanonicalUser?: string | string[] };

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/** Condition context: lower-cased or original keys; values are strings or string lists. */
export type ConditionContext = Record<string, string | string[] | undefined>;

export type Decision = "allow" | "deny" | "implicitDeny";

export class UnsupportedPolicyFeature extends Error {}

export const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
