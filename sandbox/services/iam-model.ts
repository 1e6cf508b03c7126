import type { PolicyDocument } from "../policy/types";
import { globalSlice, type World } from "../state";

export interface Tag {
  Key: string;
  Value: string;
}

export interface Role {
  roleName: string;
  roleId: string;
  path: string;
  arn: string;
  createdAt: number;
  description?: string;
  maxSessionDuration: number;
  /** The trust policy exactly as written (JSON text). */
  trustPolicy: string;
  /**
   * Role ARNs named as principals in the trust policy → the unique id (AROA…) they had when it was written.
   * IAM stores role principals by unique id: if the named role is deleted (and recreated), the policy shows the
   * stale id and no longer matches, as in AWS.
   */
  trustPrincipalIds?: Record<string, string>;
  tags: Tag[];
  /** Inline policies: name → JSON text. */
  inlinePolicies: Record<string, string>;
  attachedPolicyArns: string[];
  /** ARN of the managed policy set as the role's permissions boundary. */
  permissionsBoundary?: string;
}

export interface PolicyVersion {
  versionId: string;
  document: string;
  isDefault: boolean;
  createdAt: number;
}

export interface ManagedPolicy {
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  description?: string;
  createdAt: number;
  updatedAt: number;
  defaultVersionId: string;
  versions: PolicyVersion[];
  tags: Tag[];
  nextVersion: number;
}

export interface IamState {
  /** Keyed by lower-cased role name (names are unique case-insensitively). */
  roles: Record<string, Role>;
  /** Customer managed policies keyed by ARN. */
  policies: Record<string, ManagedPolicy>;
}

export const iamState = (world: World, account: string) =>
  globalSlice<IamState>(world, account, "iam", () => ({ roles: {}, policies: {} }));

export const roleArn = (account: string, name: string, path = "/") => `arn:aws:iam::${account}:role${path}${name}`;

/** Parse arn:aws:iam::A:role/path/Name → { account, name }. */
export function parseRoleArn(arn: string): { account: string; name: string } | undefined {
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? { account: m[1], name: m[2] } : undefined;
}

export function findRoleByArn(world: World, arn: string): Role | undefined {
  const p = parseRoleArn(arn);
  if (!p || !world.accounts[p.account]) return undefined;
  const role = iamState(world, p.account).roles[p.name.toLowerCase()];
  // A role ARN with a wrong path does not name the role.
  return role && role.arn === arn ? role : undefined;
}

const AWS_EPOCH = Date.parse("2015-02-06T18:40:00Z");
function awsManaged(name: string, statements: PolicyDocument["Statement"], description: string): ManagedPolicy {
  const document = JSON.stringify({ Version: "2012-10-17", Statement: statements });
  return {
    policyName: name,
    policyId: `ANPAAWSMANAGED${name
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, "")
      .slice(0, 7)}`,
    arn: `arn:aws:iam::aws:policy/${name}`,
    path: "/",
    description,
    createdAt: AWS_EPOCH,
    updatedAt: AWS_EPOCH,
    defaultVersionId: "v1",
    versions: [{ versionId: "v1", document, isDefault: true, createdAt: AWS_EPOCH }],
    tags: [],
    nextVersion: 2,
  };
}

/** The few AWS managed policies the sandbox knows (simplified documents). */
export const AWS_MANAGED_POLICIES: Record<string, ManagedPolicy> = Object.fromEntries(
  [
    awsManaged(
      "AWSCodeCommitFullAccess",
      [{ Effect: "Allow", Action: "codecommit:*", Resource: "*" }],
      "Provides full access to AWS CodeCommit via the AWS Management Console.",
    ),
    awsManaged(
      "AWSCodeCommitReadOnly",
      [
        {
          Effect: "Allow",
          Action: ["codecommit:BatchGet*", "codecommit:Describe*", "codecommit:Get*", "codecommit:List*", "codecommit:GitPull"],
          Resource: "*",
        },
      ],
      "Provides read only access to AWS CodeCommit via the AWS Management Console.",
    ),
    awsManaged(
      "AdministratorAccess",
      [{ Effect: "Allow", Action: "*", Resource: "*" }],
      "Provides full access to AWS services and resources.",
    ),
    awsManaged(
      "IAMFullAccess",
      [{ Effect: "Allow", Action: ["iam:*", "organizations:DescribeAccount", "organizations:DescribeOrganization"], Resource: "*" }],
      "Provides full access to IAM via the AWS Management Console.",
    ),
  ].map((p) => [p.arn, p]),
);

export function findManagedPolicy(world: World, arn: string): ManagedPolicy | undefined {
  if (AWS_MANAGED_POLICIES[arn]) return AWS_MANAGED_POLICIES[arn];
  const m = /^arn:aws:iam::(\d{12}):policy\//.exec(arn);
  if (!m || !world.accounts[m[1]]) return undefined;
  return iamState(world, m[1]).policies[arn];
}

export function defaultDocument(p: ManagedPolicy): string {
  return p.versions.find((v) => v.versionId === p.defaultVersionId)!.document;
}

/** Identity policies of a role: inline + attached managed (default versions). Unparseable documents are skipped. */
export function rolePolicies(world: World, role: Role): PolicyDocument[] {
  const texts = [
    ...Object.values(role.inlinePolicies),
    ...role.attachedPolicyArns
      .map((a) => findManagedPolicy(world, a))
      .filter((p) => !!p)
      .map((p) => defaultDocument(p!)),
  ];
  return texts.flatMap((t) => {
    try {
      return [JSON.parse(t) as PolicyDocument];
    } catch {
      return [];
    }
  });
}

/** The role's permissions boundary document; "missing" when the named policy does not exist or cannot be parsed. */
export function permissionsBoundaryOf(world: World, role: Role): PolicyDocument | "missing" | undefined {
  if (!role.permissionsBoundary) return undefined;
  const p = findManagedPolicy(world, role.permissionsBoundary);
  if (!p) return "missing";
  try {
    return JSON.parse(defaultDocument(p)) as PolicyDocument;
  } catch {
    return "missing";
  }
}
