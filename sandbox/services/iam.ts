import { AwsError, validationError } from "../errors";
import { awsId } from "../ids";
import { parsePolicyDocument } from "../policy/validate";
import { type ConditionContext, asList } from "../policy/types";
import { registerConditionKeys } from "../policy/conditions";
import { hasTags, requestTagContext, tagKeysContext } from "../policy/tags";
import { type OpContext, defineService, op } from "../registry";
import { peekGlobal, type World } from "../state";
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from "./iam-errors";
import {
  type ManagedPolicy,
  type PolicyVersion,
  type Role,
  type Tag,
  findManagedPolicy,
  iamState,
  roleArn,
  type IamState,
} from "./iam-model";
import { bareUniqueId, effectiveTrustPolicy, principalIdsOf } from "./principal-ids";
import { markerPage } from "./shared/pagination";
import { type TagRules, checkTagList, constraint, presentTags } from "./shared/validation";
import type { ResourceTagLookup } from "../resource-tags";

type In = Record<string, any>;

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const PATH = /^(\/|\/[\u0021-\u007E]+\/)$/;
const enc = (s: string) => encodeURIComponent(s);
/** IAM counts policy sizes in characters without white space (IAM and AWS STS quotas). */
const size = (doc: string) => doc.replace(/\s/g, "").length;
const ROLE_INLINE_POLICIES_MAX = 10_240;

function checkName(v: unknown, re: RegExp, field: string, max: number): string {
  if (typeof v !== "string" || !re.test(v)) {
    if (typeof v === "string" && v.length > max) throw constraint(field, v, `Member must have length less than or equal to ${max}`);
    throw constraint(field, v, "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  }
  return v;
}
function checkPath(v: unknown): string {
  if (v === undefined) return "/";
  if (typeof v !== "string" || v.length > 512 || !PATH.test(v))
    throw constraint("path", v, "Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
  return v;
}
const TAG_RULES: TagRules = {
  maxKeyLength: 128,
  maxValueLength: 256,
  valueOptional: true,
  maxTags: 50,
  tooMany: () => limitExceeded("Cannot exceed quota for TagsPerRole: 50"),
  badKey: (key) => constraint("tags.member.key", key, "Member must have length less than or equal to 128"),
  badValue: (_key, value) => constraint("tags.member.value", value, "Member must have length less than or equal to 256"),
};
const checkTags = (tags: unknown): Tag[] => checkTagList(presentTags(tags), "Key", "Value", TAG_RULES);

function getRole(ctx: OpContext, name: unknown): Role {
  const role = typeof name === "string" ? iamState(ctx.world, ctx.account).roles[name.toLowerCase()] : undefined;
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}
const roleResource = (i: In, ctx: OpContext) =>
  (typeof i.RoleName === "string" && iamState(ctx.world, ctx.account).roles[i.RoleName.toLowerCase()]?.arn) ||
  roleArn(ctx.account, String(i.RoleName ?? "*"));

/** Trust policy: grammar, size, and every named role/user principal must exist (IAM: "Invalid principal in policy"). */
function checkTrustPolicy(doc: unknown, ctx: OpContext): string {
  const loose = (() => {
    try {
      return typeof doc === "string" ? JSON.parse(doc) : undefined;
    } catch {
      return undefined;
    }
  })();
  const bare = loose && typeof loose === "object" && !Array.isArray(loose) ? bareUniqueId(loose) : undefined;
  if (bare)
    throw new AwsError(
      "MalformedPolicyDocument",
      `Invalid principal in policy: "AWS":"${bare}"`,
      400,
      "Sender",
      "MalformedPolicyDocumentException",
    );
  const parsed = parsePolicyDocument(doc, "trust");
  const text = doc as string;
  if (size(text) > 2048) throw limitExceeded("Cannot exceed quota for ACLSizePerRole: 2048");
  for (const st of asList(parsed.Statement)) {
    const block = st.Principal ?? st.NotPrincipal;
    if (!block || block === "*") continue;
    for (const p of asList(block.AWS)) {
      if (/^arn:aws:iam::\d{12}:(role|user)\//.test(p) && !ctx.isPrincipalVisible(p))
        throw new AwsError(
          "MalformedPolicyDocument",
          `Invalid principal in policy: "AWS":"${p}"`,
          400,
          "Sender",
          "MalformedPolicyDocumentException",
        );
    }
  }
  return text;
}
function checkIdentityPolicy(doc: unknown, limit: number, quota: string): string {
  parsePolicyDocument(doc, "identity");
  if (size(doc as string) > limit) throw limitExceeded(`Cannot exceed quota for ${quota}: ${limit}`);
  return doc as string;
}

const roleXml = (world: World, r: Role, withTags = true) => ({
  Path: r.path,
  RoleName: r.roleName,
  RoleId: r.roleId,
  Arn: r.arn,
  CreateDate: new Date(r.createdAt),
  AssumeRolePolicyDocument: enc(effectiveTrustPolicy(world, r)),
  Description: r.description,
  MaxSessionDuration: r.maxSessionDuration,
  Tags: withTags && r.tags.length ? r.tags : undefined,
  PermissionsBoundary: r.permissionsBoundary
    ? { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: r.permissionsBoundary }
    : undefined,
});

const attachmentCount = (ctx: OpContext, arn: string) =>
  Object.values(iamState(ctx.world, ctx.account).roles).filter((r) => r.attachedPolicyArns.includes(arn)).length;

const policyXml = (p: ManagedPolicy, ctx: OpContext, withTags = true) => ({
  PolicyName: p.policyName,
  PolicyId: p.policyId,
  Arn: p.arn,
  Path: p.path,
  DefaultVersionId: p.defaultVersionId,
  AttachmentCount: attachmentCount(ctx, p.arn),
  PermissionsBoundaryUsageCount: Object.values(iamState(ctx.world, ctx.account).roles).filter((r) => r.permissionsBoundary === p.arn)
    .length,
  IsAttachable: true,
  Description: p.description,
  CreateDate: new Date(p.createdAt),
  UpdateDate: new Date(p.updatedAt),
  Tags: withTags && p.tags.length ? p.tags : undefined,
});
const versionXml = (v: PolicyVersion, withDoc: boolean) => ({
  Document: withDoc ? enc(v.document) : undefined,
  VersionId: v.versionId,
  IsDefaultVersion: v.isDefault,
  CreateDate: new Date(v.createdAt),
});

function getPolicy(ctx: OpContext, arn: unknown): ManagedPolicy {
  const p = typeof arn === "string" ? findManagedPolicy(ctx.world, arn) : undefined;
  const visible = p && (p.arn.startsWith("arn:aws:iam::aws:") || p.arn.split(":")[4] === ctx.account);
  if (!p || !visible) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return p;
}
function ownPolicy(ctx: OpContext, arn: unknown): ManagedPolicy {
  const p = getPolicy(ctx, arn);
  if (p.arn.startsWith("arn:aws:iam::aws:")) throw validationError(`Cannot modify AWS managed policy ${p.arn}.`);
  return p;
}

// iam:PermissionsBoundary is the boundary in the request (CreateRole, PutRolePermissionsBoundary) or the role's own.
registerConditionKeys(["iam:PolicyARN", "iam:PassedToService", "iam:PermissionsBoundary"]);

const tagContext = requestTagContext;
/** Condition keys of a role operation: request tags, the policy ARN, the role's permissions boundary (tags: access.ts). */
const roleContext = (i: In, ctx: OpContext): ConditionContext => {
  const role = typeof i.RoleName === "string" ? iamState(ctx.world, ctx.account).roles[i.RoleName.toLowerCase()] : undefined;
  return {
    ...tagContext(i.Tags),
    ...(i.TagKeys !== undefined ? tagKeysContext(i.TagKeys) : {}),
    ...(typeof i.PolicyArn === "string" ? { "iam:PolicyARN": i.PolicyArn } : {}),
    "iam:PermissionsBoundary": typeof i.PermissionsBoundary === "string" ? i.PermissionsBoundary : role?.permissionsBoundary,
  };
};
/** CreateRole / PutRolePermissionsBoundary: the boundary must be an existing managed policy (IAM's wording). */
function checkBoundary(ctx: OpContext, arn: unknown): string {
  const p = typeof arn === "string" ? findManagedPolicy(ctx.world, arn) : undefined;
  if (!p || !(p.arn.startsWith("arn:aws:iam::aws:") || p.arn.split(":")[4] === ctx.account))
    throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
  return p.arn;
}
const roleOp = <T>(iamAction: string, mutating: boolean, handler: (i: In, ctx: OpContext) => T) =>
  op<In, T>({ iamAction, mutating, resources: roleResource, conditionContext: roleContext, handler });
const policyOp = <T>(iamAction: string, mutating: boolean, handler: (i: In, ctx: OpContext) => T) =>
  op<In, T>({
    iamAction,
    mutating,
    resources: (i) => String(i.PolicyArn ?? "*"),
    handler,
    conditionContext: (i) => ({ ...tagContext(i.Tags), ...(i.TagKeys !== undefined ? tagKeysContext(i.TagKeys) : {}) }),
  });

/** aws:ResourceTag/<k> of roles (also iam:ResourceTag/<k>; a role ARN with a wrong path names no role) and managed policies. */
const resourceTags: ResourceTagLookup[] = [
  {
    arn: /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/,
    servicePrefix: "iam",
    tags: (world, m) => {
      const role = peekGlobal<IamState>(world, m[1], "iam")?.roles?.[m[2].toLowerCase()];
      return role && role.arn === m[0] ? role.tags : undefined;
    },
  },
  { arn: /^arn:aws:iam::(\d{12}):policy\/.+$/, tags: (world, m) => peekGlobal<IamState>(world, m[1], "iam")?.policies?.[m[0]]?.tags },
];

export const iamService = defineService({
  name: "iam",
  resourceTags,
  protocol: "query",
  xmlns: "https://iam.amazonaws.com/doc/2010-05-08/",
  operations: {
    CreateRole: op<In, unknown>({
      iamAction: "iam:CreateRole",
      mutating: true,
      resources: (i, ctx) => roleArn(ctx.account, String(i.RoleName), typeof i.Path === "string" ? i.Path : "/"),
      conditionContext: (i) => ({
        ...tagContext(i.Tags),
        "iam:PermissionsBoundary": typeof i.PermissionsBoundary === "string" ? i.PermissionsBoundary : undefined,
      }),
      // Creating a role with tags also needs iam:TagRole on it.
      alsoAuthorize: (i, ctx) =>
        hasTags(i.Tags)
          ? [
              {
                action: "iam:TagRole",
                resource: roleArn(ctx.account, String(i.RoleName), typeof i.Path === "string" ? i.Path : "/"),
                context: tagContext(i.Tags),
              },
            ]
          : [],
      handler: (i, ctx) => {
        const name = checkName(i.RoleName, ROLE_NAME, "roleName", 64);
        const path = checkPath(i.Path);
        const trustPolicy = checkTrustPolicy(i.AssumeRolePolicyDocument, ctx);
        const maxSessionDuration = i.MaxSessionDuration === undefined ? 3600 : Number(i.MaxSessionDuration);
        if (!Number.isInteger(maxSessionDuration) || maxSessionDuration < 3600 || maxSessionDuration > 43200)
          throw constraint("maxSessionDuration", i.MaxSessionDuration, "Member must have value between 3600 and 43200");
        if (i.Description !== undefined && String(i.Description).length > 1000)
          throw constraint("description", "…", "Member must have length less than or equal to 1000");
        const permissionsBoundary = i.PermissionsBoundary !== undefined ? checkBoundary(ctx, i.PermissionsBoundary) : undefined;
        const iam = iamState(ctx.world, ctx.account);
        if (iam.roles[name.toLowerCase()]) throw entityAlreadyExists(`Role with name ${name} already exists.`);
        const role: Role = {
          roleName: name,
          roleId: awsId("AROA"),
          path,
          arn: roleArn(ctx.account, name, path),
          createdAt: ctx.now,
          description: i.Description,
          maxSessionDuration,
          trustPolicy,
          trustPrincipalIds: principalIdsOf(ctx.world, JSON.parse(trustPolicy)),
          tags: checkTags(i.Tags),
          inlinePolicies: {},
          attachedPolicyArns: [],
          permissionsBoundary,
        };
        iam.roles[name.toLowerCase()] = role;
        return { Role: roleXml(ctx.world, role) };
      },
    }),
    GetRole: roleOp("iam:GetRole", false, (i, ctx) => ({ Role: roleXml(ctx.world, getRole(ctx, i.RoleName)) })),
    ListRoles: op<In, unknown>({
      iamAction: "iam:ListRoles",
      mutating: false,
      resources: () => "*",
      handler: (i, ctx) => {
        const prefix = typeof i.PathPrefix === "string" ? i.PathPrefix : "/";
        const roles = Object.values(iamState(ctx.world, ctx.account).roles)
          .filter((r) => r.path.startsWith(prefix))
          .sort((a, b) => a.roleName.localeCompare(b.roleName));
        const { page, IsTruncated, Marker } = markerPage(roles, i.Marker, i.MaxItems);
        return { Roles: page.map((r) => roleXml(ctx.world, r, false)), IsTruncated, Marker };
      },
    }),
    DeleteRole: roleOp("iam:DeleteRole", true, (i, ctx) => {
      const role = getRole(ctx, i.RoleName);
      if (Object.keys(role.inlinePolicies).length) throw deleteConflict("Cannot delete entity, must delete policies first.");
      if (role.attachedPolicyArns.length) throw deleteConflict("Cannot delete entity, must detach all policies first.");
      delete iamState(ctx.world, ctx.account).roles[role.roleName.toLowerCase()];
      for (const [k, s] of Object.entries(ctx.world.sessions)) if (s.roleArn === role.arn) delete ctx.world.sessions[k];
      return undefined;
    }),
    UpdateAssumeRolePolicy: roleOp("iam:UpdateAssumeRolePolicy", true, (i, ctx) => {
      const role = getRole(ctx, i.RoleName);
      role.trustPolicy = checkTrustPolicy(i.PolicyDocument, ctx);
      role.trustPrincipalIds = principalIdsOf(ctx.world, JSON.parse(role.trustPolicy));
      return undefined;
    }),
    UpdateRole: roleOp("iam:UpdateRole", true, (i, ctx) => {
      const role = getRole(ctx, i.RoleName);
      if (i.Description !== undefined) role.description = i.Description;
      if (i.MaxSessionDuration !== undefined) {
        const d = Number(i.MaxSessionDuration);
        if (!Number.isInteger(d) || d < 3600 || d > 43200)
          throw constraint("maxSessionDuration", i.MaxSessionDuration, "Member must have value between 3600 and 43200");
        role.maxSessionDuration = d;
      }
      return {};
    }),
    TagRole: roleOp("iam:TagRole", true, (i, ctx) => {
      const role = getRole(ctx, i.RoleName);
      const merged = new Map(role.tags.map((t) => [t.Key, t.Value]));
      for (const t of checkTags(i.Tags)) merged.set(t.Key, t.Value);
      if (merged.size > 50) throw limitExceeded("Cannot exceed quota for TagsPerRole: 50");
      role.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
      return undefined;
    }),
    UntagRole: roleOp("iam:UntagRole", true, (i, ctx) => {
      const role = getRole(ctx, i.RoleName);
      const drop = new Set(asList<string>(i.TagKeys));
      role.tags = role.tags.filter((t) => !drop.has(t.Key));
      return undefined;
    }),
    PutRolePermissionsBoundary: roleOp("iam:PutRolePermissionsBoundary", true, (i, ctx) => {
      const role = getRole(ctx, i.RoleName);
      role.permissionsBoundary = checkBoundary(ctx, i.PermissionsBoundary);
      return undefined;
    }),
    DeleteRolePermissionsBoundary: roleOp("iam:DeleteRolePermissionsBoundary", true, (i, ctx) => {
      const role = getRole(ctx, i.RoleName);
      delete role.permissionsBoundary;
      return undefined;
    }),
    ListRoleTags: roleOp("iam:ListRoleTags", false, (i, ctx) => {
      const { page, IsTruncated, Marker } = markerPage(getRole(ctx, i.RoleName).tags, i.Marker, i.MaxItems);
      return { Tags: page, IsTruncated, Marker };
    }),
    PutRolePolicy: roleOp("iam:PutRolePolicy", true, (i, ctx) => {
      const role = getRole(ctx, i.RoleName);
      const name = checkName(i.PolicyName, POLICY_NAME, "policyName", 128);
      parsePolicyDocument(i.PolicyDocument, "identity");
      const doc = i.PolicyDocument as string;
      // All inline policies of the role together, whitespace not counted (IAM quotas: "Role policy size").
      const others = Object.entries(role.inlinePolicies)
        .filter(([k]) => k !== name)
        .reduce((n, [, d]) => n + size(d), 0);
      if (others + size(doc) > ROLE_INLINE_POLICIES_MAX)
        throw limitExceeded(`Maximum policy size of ${ROLE_INLINE_POLICIES_MAX} bytes exceeded for role ${role.roleName}`);
      role.inlinePolicies[name] = doc;
      return undefined;
    }),
    GetRolePolicy: roleOp("iam:GetRolePolicy", false, (i, ctx) => {
      const role = getRole(ctx, i.RoleName);
      const doc = role.inlinePolicies[i.PolicyName];
      if (doc === undefined) throw noSuchEntity(`The role policy with name ${i.PolicyName} cannot be found.`);
      return { RoleName: role.roleName, PolicyName: i.PolicyName, PolicyDocument: enc(doc) };
    }),
    DeleteRolePolicy: roleOp("iam:DeleteRolePolicy", true, (i, ctx) => {
      const role = getRole(ctx, i.RoleName);
      if (role.inlinePolicies[i.PolicyName] === undefined) throw noSuchEntity(`The role policy with name ${i.PolicyName} cannot be found.`);
      delete role.inlinePolicies[i.PolicyName];
      return undefined;
    }),
    ListRolePolicies: roleOp("iam:ListRolePolicies", false, (i, ctx) => {
      const names = Object.keys(getRole(ctx, i.RoleName).inlinePolicies).sort();
      const { page, IsTruncated, Marker } = markerPage(names, i.Marker, i.MaxItems);
      return { PolicyNames: page, IsTruncated, Marker };
    }),
    AttachRolePolicy: roleOp("iam:AttachRolePolicy", true, (i, ctx) => {
      const role = getRole(ctx, i.RoleName);
      const p = getPolicy(ctx, i.PolicyArn);
      if (!role.attachedPolicyArns.includes(p.arn)) {
        if (role.attachedPolicyArns.length >= 10) throw limitExceeded("Cannot exceed quota for PoliciesPerRole: 10");
        role.attachedPolicyArns.push(p.arn);
      }
      return undefined;
    }),
    DetachRolePolicy: roleOp("iam:DetachRolePolicy", true, (i, ctx) => {
      const role = getRole(ctx, i.RoleName);
      if (!role.attachedPolicyArns.includes(i.PolicyArn)) throw noSuchEntity(`Policy ${i.PolicyArn} was not found.`);
      role.attachedPolicyArns = role.attachedPolicyArns.filter((a) => a !== i.PolicyArn);
      return undefined;
    }),
    ListAttachedRolePolicies: roleOp("iam:ListAttachedRolePolicies", false, (i, ctx) => {
      const role = getRole(ctx, i.RoleName);
      const list = role.attachedPolicyArns
        .map((a) => findManagedPolicy(ctx.world, a))
        .filter((p): p is ManagedPolicy => !!p)
        .map((p) => ({ PolicyName: p.policyName, PolicyArn: p.arn }));
      const { page, IsTruncated, Marker } = markerPage(list, i.Marker, i.MaxItems);
      return { AttachedPolicies: page, IsTruncated, Marker };
    }),

    CreatePolicy: op<In, unknown>({
      iamAction: "iam:CreatePolicy",
      mutating: true,
      resources: (i, ctx) => `arn:aws:iam::${ctx.account}:policy${typeof i.Path === "string" ? i.Path : "/"}${i.PolicyName}`,
      conditionContext: (i) => tagContext(i.Tags),
      handler: (i, ctx) => {
        const name = checkName(i.PolicyName, POLICY_NAME, "policyName", 128);
        const path = checkPath(i.Path);
        const doc = checkIdentityPolicy(i.PolicyDocument, 6144, "PolicySize");
        const iam = iamState(ctx.world, ctx.account);
        if (Object.values(iam.policies).some((p) => p.policyName.toLowerCase() === name.toLowerCase()))
          throw entityAlreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
        const arn = `arn:aws:iam::${ctx.account}:policy${path}${name}`;
        const p: ManagedPolicy = {
          policyName: name,
          policyId: awsId("ANPA"),
          arn,
          path,
          description: i.Description,
          createdAt: ctx.now,
          updatedAt: ctx.now,
          defaultVersionId: "v1",
          versions: [{ versionId: "v1", document: doc, isDefault: true, createdAt: ctx.now }],
          tags: checkTags(i.Tags),
          nextVersion: 2,
        };
        iam.policies[arn] = p;
        return { Policy: policyXml(p, ctx) };
      },
    }),
    GetPolicy: policyOp("iam:GetPolicy", false, (i, ctx) => ({ Policy: policyXml(getPolicy(ctx, i.PolicyArn), ctx) })),
    ListPolicies: op<In, unknown>({
      iamAction: "iam:ListPolicies",
      mutating: false,
      resources: () => "*",
      handler: (i, ctx) => {
        const scope = i.Scope ?? "All";
        const prefix = typeof i.PathPrefix === "string" ? i.PathPrefix : "/";
        const local = Object.values(iamState(ctx.world, ctx.account).policies);
        const aws = Object.values(
          // AWS managed policies appear in listings once a role of this account uses them (the sandbox keeps no full catalog).
          Object.fromEntries(
            Object.values(iamState(ctx.world, ctx.account).roles)
              .flatMap((r) => r.attachedPolicyArns)
              .filter((a) => a.startsWith("arn:aws:iam::aws:"))
              .map((a) => [a, findManagedPolicy(ctx.world, a)!]),
          ),
        );
        let list = scope === "Local" ? local : scope === "AWS" ? aws : [...aws, ...local];
        list = list.filter((p) => p && p.path.startsWith(prefix));
        if (String(i.OnlyAttached) === "true") list = list.filter((p) => attachmentCount(ctx, p.arn) > 0);
        list.sort((a, b) => a.policyName.localeCompare(b.policyName));
        const { page, IsTruncated, Marker } = markerPage(list, i.Marker, i.MaxItems);
        return { Policies: page.map((p) => policyXml(p, ctx, false)), IsTruncated, Marker };
      },
    }),
    DeletePolicy: policyOp("iam:DeletePolicy", true, (i, ctx) => {
      const p = ownPolicy(ctx, i.PolicyArn);
      if (attachmentCount(ctx, p.arn) > 0) throw deleteConflict("Cannot delete a policy attached to entities.");
      if (p.versions.length > 1)
        throw deleteConflict(
          "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        );
      delete iamState(ctx.world, ctx.account).policies[p.arn];
      return undefined;
    }),
    GetPolicyVersion: policyOp("iam:GetPolicyVersion", false, (i, ctx) => {
      const p = getPolicy(ctx, i.PolicyArn);
      const v = p.versions.find((x) => x.versionId === i.VersionId);
      if (!v) throw noSuchEntity(`Policy ${p.arn} version ${i.VersionId} does not exist or is not attachable.`);
      return { PolicyVersion: versionXml(v, true) };
    }),
    CreatePolicyVersion: policyOp("iam:CreatePolicyVersion", true, (i, ctx) => {
      const p = ownPolicy(ctx, i.PolicyArn);
      const doc = checkIdentityPolicy(i.PolicyDocument, 6144, "PolicySize");
      if (p.versions.length >= 5)
        throw limitExceeded(
          "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
        );
      const v: PolicyVersion = { versionId: `v${p.nextVersion++}`, document: doc, isDefault: false, createdAt: ctx.now };
      p.versions.push(v);
      if (String(i.SetAsDefault) === "true") {
        for (const x of p.versions) x.isDefault = x === v;
        p.defaultVersionId = v.versionId;
      }
      p.updatedAt = ctx.now;
      return { PolicyVersion: versionXml(v, false) };
    }),
    SetDefaultPolicyVersion: policyOp("iam:SetDefaultPolicyVersion", true, (i, ctx) => {
      const p = ownPolicy(ctx, i.PolicyArn);
      const v = p.versions.find((x) => x.versionId === i.VersionId);
      if (!v) throw noSuchEntity(`Policy ${p.arn} version ${i.VersionId} does not exist or is not attachable.`);
      for (const x of p.versions) x.isDefault = x === v;
      p.defaultVersionId = v.versionId;
      p.updatedAt = ctx.now;
      return undefined;
    }),
    DeletePolicyVersion: policyOp("iam:DeletePolicyVersion", true, (i, ctx) => {
      const p = ownPolicy(ctx, i.PolicyArn);
      const v = p.versions.find((x) => x.versionId === i.VersionId);
      if (!v) throw noSuchEntity(`Policy ${p.arn} version ${i.VersionId} does not exist or is not attachable.`);
      if (v.isDefault) throw deleteConflict("Cannot delete the default version of a policy.");
      p.versions = p.versions.filter((x) => x !== v);
      return undefined;
    }),
    TagPolicy: policyOp("iam:TagPolicy", true, (i, ctx) => {
      const p = ownPolicy(ctx, i.PolicyArn);
      const merged = new Map(p.tags.map((t) => [t.Key, t.Value]));
      for (const t of checkTags(i.Tags)) merged.set(t.Key, t.Value);
      if (merged.size > 50) throw limitExceeded("Cannot exceed quota for TagsPerPolicy: 50");
      p.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
      return undefined;
    }),
    UntagPolicy: policyOp("iam:UntagPolicy", true, (i, ctx) => {
      const p = ownPolicy(ctx, i.PolicyArn);
      const drop = new Set(asList<string>(i.TagKeys));
      p.tags = p.tags.filter((t) => !drop.has(t.Key));
      return undefined;
    }),
    ListPolicyTags: policyOp("iam:ListPolicyTags", false, (i, ctx) => {
      const { page, IsTruncated, Marker } = markerPage(getPolicy(ctx, i.PolicyArn).tags, i.Marker, i.MaxItems);
      return { Tags: page, IsTruncated, Marker };
    }),
    ListPolicyVersions: policyOp("iam:ListPolicyVersions", false, (i, ctx) => {
      const p = getPolicy(ctx, i.PolicyArn);
      const sorted = [...p.versions].sort((a, b) => Number(b.versionId.slice(1)) - Number(a.versionId.slice(1)));
      const { page, IsTruncated, Marker } = markerPage(sorted, i.Marker, i.MaxItems);
      return { Versions: page.map((v) => versionXml(v, false)), IsTruncated, Marker };
    }),
  },
});
