import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { deleteUnlessGone } from "@/lib/core/aws-errors";
import { ROLE_PATH } from "@/lib/names/derive";
import { boundaryPolicyArn } from "@/lib/policies/permissions-boundary";
import { ownershipOf } from "@/lib/policies/common";
import { readOrNull } from "@/lib/core/aws-errors";
import type { LedgerRow, StepContext } from "@/lib/runs/types";
import { judged, MISSING, pairsOf, sideOf } from "./common";
import { consoleUrlForArn } from "./console-url";
import { CREATE_TAGGED, PORTAL_CREATED } from "./grant-conditions";
import type { Grant, Inspection, ResourceKind } from "./types";

/**
 * The roles the portal creates, one apply step each (lib/provisioning/steps/roles.ts), all recorded as `iam-role`.
 * `passedTo`: the service the provisioning role hands it to (iam:PassRole), with the name suffix that bounds the grant.
 */
export const ROLE_VARIANTS: { stepKey: string; side: "tools" | "repo"; passedTo?: { sid: string; suffix: string; service: string } }[] = [
  {
    stepKey: "tools.pipeline-role",
    side: "tools",
    passedTo: { sid: "PassPipelineRoles", suffix: "-pipeline-role", service: "codepipeline.amazonaws.com" },
  },
  {
    stepKey: "tools.codebuild-role",
    side: "tools",
    passedTo: { sid: "PassCodeBuildRoles", suffix: "-codebuild-role", service: "codebuild.amazonaws.com" },
  },
  {
    stepKey: "tools.start-on-push-role",
    side: "tools",
    passedTo: { sid: "PassStartOnPushRoles", suffix: "-start-on-push-role", service: "events.amazonaws.com" },
  },
  {
    stepKey: "repo.forward-push-role",
    side: "repo",
    passedTo: { sid: "PassForwardPushRoles", suffix: "-forward-push-role", service: "events.amazonaws.com" },
  },
  // Assumed by the tools account's pipeline role, never passed.
  { stepKey: "repo.cross-account-role", side: "repo" },
];

const roles = (a: string, p: string) => `arn:${p}:iam::${a}:role${ROLE_PATH}*`;

/**
 * Roles change only under /portal/ and only with the boundary (iam:PermissionsBoundary); removing a role's policies or
 * the role itself only narrows it, so the portal may retire a role it created before the boundary existed.
 */
const roleGrants: Grant[] = [
  // Reads on any role name: IAM checks GetRole on a missing role against role/NAME (no path), so without
  // this a "does it exist yet?" read answers AccessDenied instead of NoSuchEntity.
  {
    section: "iam",
    accounts: "both",
    statement: (a, p) => ({
      Sid: "ReadRoles",
      Effect: "Allow",
      Action: ["iam:GetRole", "iam:GetRolePolicy"],
      Resource: `arn:${p}:iam::${a}:role/*`,
    }),
  },
  {
    section: "iam",
    accounts: "both",
    statement: (a, p) => ({
      Sid: "PortalRolesWithBoundary",
      Effect: "Allow",
      // PutRolePermissionsBoundary puts the boundary on a portal role created before it existed.
      Action: ["iam:CreateRole", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary"],
      Resource: roles(a, p),
      Condition: { StringEquals: { "iam:PermissionsBoundary": boundaryPolicyArn(a, p) } },
    }),
  },
  {
    section: "iam",
    accounts: "both",
    statement: (a, p) => ({
      Sid: "ListRolePolicies",
      Effect: "Allow",
      Action: ["iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
      Resource: roles(a, p),
    }),
  },
  {
    section: "iam",
    accounts: "both",
    statement: (a, p) => ({
      Sid: "RetirePortalRoles",
      Effect: "Allow",
      Action: ["iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRole"],
      Resource: roles(a, p),
      Condition: PORTAL_CREATED,
    }),
  },
  {
    section: "iam",
    accounts: "both",
    statement: (a, p) => ({
      Sid: "TagPortalRoles",
      Effect: "Allow",
      Action: "iam:TagRole",
      Resource: roles(a, p),
      Condition: CREATE_TAGGED,
    }),
  },
  ...ROLE_VARIANTS.flatMap(({ side, passedTo: r }): Grant[] =>
    r
      ? [
          {
            section: "iam",
            accounts: side,
            statement: (a, p) => ({
              Sid: r.sid,
              Effect: "Allow",
              Action: "iam:PassRole",
              Resource: `arn:${p}:iam::${a}:role${ROLE_PATH}*${r.suffix}`,
              Condition: { StringEquals: { "iam:PassedToService": r.service } },
            }),
          },
        ]
      : [],
  ),
];

async function inspectRole(ctx: StepContext, r: LedgerRow): Promise<Inspection> {
  const got = await readOrNull(
    () => ctx.clients[sideOf(ctx, r)].iam.send(new GetRoleCommand({ RoleName: r.name })),
    "NoSuchEntityException",
  );
  if (!got?.Role) return MISSING;
  return judged(ctx, r.arn, got.Role.Arn, pairsOf(got.Role.Tags));
}

/** Its inline policies deleted and managed policies detached, then the role; only while it carries this onboarding's tag. */
async function deleteRole(ctx: StepContext, r: LedgerRow) {
  const iam = ctx.clients[sideOf(ctx, r)].iam;
  const got = await readOrNull(() => iam.send(new GetRoleCommand({ RoleName: r.name })), "NoSuchEntityException");
  if (!got?.Role) return;
  // Only what still carries this onboarding's tag: a role someone re-created by hand under the name is not ours.
  if (ownershipOf(pairsOf(got.Role.Tags), ctx.spec.onboardingId) !== "ours") return;
  const [inline, attached] = await Promise.all([
    iam.send(new ListRolePoliciesCommand({ RoleName: r.name })),
    iam.send(new ListAttachedRolePoliciesCommand({ RoleName: r.name })),
  ]);
  await Promise.all([
    ...(inline.PolicyNames ?? []).map((p) => iam.send(new DeleteRolePolicyCommand({ RoleName: r.name, PolicyName: p }))),
    ...(attached.AttachedPolicies ?? []).map((p) => iam.send(new DetachRolePolicyCommand({ RoleName: r.name, PolicyArn: p.PolicyArn! }))),
  ]);
  await deleteUnlessGone(() => iam.send(new DeleteRoleCommand({ RoleName: r.name })), "NoSuchEntityException");
}

export const iamRole: ResourceKind = {
  kind: "iam-role",
  label: "IAM role",
  service: "IAM",
  console: { url: consoleUrlForArn, example: "arn:aws:iam::111111111111:role/portal/demo-service-main-pipeline-role" },
  grants: roleGrants,
  applySteps: ROLE_VARIANTS.map((v) => v.stepKey),
  ledgerEntry(stepKey, ctx, out) {
    const v = ROLE_VARIANTS.find((x) => x.stepKey === stepKey);
    if (!v) return null;
    const accountId = v.side === "tools" ? ctx.names.toolsAccountId : ctx.names.repoAccountId;
    return { accountId, kind: "iam-role", name: String(out.name), arn: String(out.arn), shared: false };
  },
  inspect: inspectRole,
  delete: deleteRole,
};
