import {
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { policyEquals } from "@/lib/policies/merge";
import type { PolicyDocument } from "@/lib/policies/types";
import { markedManaged, ownershipOf, tagsKeyValue } from "@/lib/policies/common";
import type { RoleRef } from "@/lib/names/derive";
import { readOrNull } from "@/lib/core/aws-errors";
import { boundaryReason } from "../boundary-reason";
import { assertMayConverge } from "../ownership";
import { actionFor, item, ownershipReason, plainDocument, policyDocument } from "../plan-item";
import type { AccountSide, StepContext, StepDefinition } from "@/lib/runs/types";

interface RoleSpec {
  role: RoleRef;
  policyName: string;
  trust: PolicyDocument;
  permissions: PolicyDocument;
  description: string;
}

function decodePolicy(text: string | undefined): unknown | null {
  if (!text) return null;
  try {
    return JSON.parse(decodeURIComponent(text));
  } catch {
    return JSON.parse(text);
  }
}

async function readRole(ctx: StepContext, account: AccountSide, r: RoleSpec) {
  const iam = ctx.clients[account].iam;
  const got = await readOrNull(() => iam.send(new GetRoleCommand({ RoleName: r.role.name })), "NoSuchEntityException");
  if (!got?.Role) return null;
  const inline = await readOrNull(
    () => iam.send(new GetRolePolicyCommand({ RoleName: r.role.name, PolicyName: r.policyName })),
    "NoSuchEntityException",
  );
  const tags = (got.Role.Tags ?? []).map((t): [string, string | undefined] => [t.Key ?? "", t.Value]);
  const ownership = ownershipOf(tags, ctx.spec.onboardingId);
  return {
    marked: markedManaged(tags),
    arn: got.Role.Arn!,
    trust: decodePolicy(got.Role.AssumeRolePolicyDocument),
    permissions: decodePolicy(inline?.PolicyDocument),
    boundary: got.Role.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    ownership,
  };
}

/**
 * A step that owns one IAM role with a trust policy and one inline policy. Reads first, then creates what
 * is missing and rewrites only the document that differs.
 */
export function roleStep(def: {
  key: string;
  title: string;
  account: AccountSide;
  dependsOn: string[];
  enabled?: StepDefinition["enabled"];
  role: (ctx: StepContext) => RoleSpec;
}): StepDefinition {
  const step: StepDefinition = {
    key: def.key,
    title: def.title,
    account: def.account,
    dependsOn: def.dependsOn,
    enabled: def.enabled,
    async plan(ctx) {
      const r = def.role(ctx);
      const boundary = ctx.names.permissionsBoundaryArn[def.account];
      const current = await readRole(ctx, def.account, r);
      const trustSame = !!current && policyEquals(current.trust as never, r.trust);
      const permsSame = !!current && !!current.permissions && policyEquals(current.permissions as never, r.permissions);
      const boundarySame = current?.boundary === boundary;
      const differs = [
        current && boundaryReason(current.boundary, boundary),
        !trustSame && "trust policy differs",
        !permsSame && "permission policy differs",
      ].filter(Boolean);
      const action = actionFor(current?.ownership ?? null, differs.length > 0);
      const reason = !current
        ? "does not exist"
        : (ownershipReason(current.ownership) ?? (differs.length ? differs.join(", ") : "matches"));
      return item(step, ctx, {
        kind: "iam-role",
        name: `${r.role.path}${r.role.name}`,
        arn: r.role.arn,
        action,
        reason,
        documents: [
          policyDocument("Trust policy", current?.trust ?? null, r.trust),
          policyDocument(`Inline policy ${r.policyName}`, current?.permissions ?? null, r.permissions),
          plainDocument(
            "Permissions boundary",
            current ? { PermissionsBoundaryArn: current.boundary } : null,
            { PermissionsBoundaryArn: boundary },
            boundarySame,
          ),
        ],
      });
    },
    async apply(ctx) {
      const r = def.role(ctx);
      const iam = ctx.clients[def.account].iam;
      const boundary = ctx.names.permissionsBoundaryArn[def.account];
      const current = await readRole(ctx, def.account, r);
      let origin = "created";
      if (!current) {
        await iam.send(
          new CreateRoleCommand({
            RoleName: r.role.name,
            Path: r.role.path,
            AssumeRolePolicyDocument: JSON.stringify(r.trust),
            Description: r.description,
            PermissionsBoundary: boundary,
            Tags: tagsKeyValue(ctx.spec),
            MaxSessionDuration: 3600,
          }),
        );
      } else {
        // Tags are set only when the portal creates a role: an untagged role is adopted once an administrator marked it.
        const account = def.account === "tools" ? ctx.names.toolsAccountId : ctx.names.repoAccountId;
        assertMayConverge(ctx, step, current.ownership, `The IAM role ${r.role.name} in account ${account}`, {
          marked: current.marked,
          account,
        });
        origin = current.ownership === "ours" ? "created" : "adopted";
        // The boundary first: the provisioning role may change a role's policies only once it carries the boundary.
        if (current.boundary !== boundary)
          await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: r.role.name, PermissionsBoundary: boundary }));
        if (current.ownership !== "ours") await iam.send(new TagRoleCommand({ RoleName: r.role.name, Tags: tagsKeyValue(ctx.spec) }));
        if (!policyEquals(current.trust as never, r.trust))
          await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: r.role.name, PolicyDocument: JSON.stringify(r.trust) }));
      }
      if (!current?.permissions || !policyEquals(current.permissions as never, r.permissions)) {
        await iam.send(
          new PutRolePolicyCommand({ RoleName: r.role.name, PolicyName: r.policyName, PolicyDocument: JSON.stringify(r.permissions) }),
        );
      }
      return { arn: r.role.arn, name: r.role.name, origin };
    },
  };
  return step;
}
