import { z } from "zod";
import { accountById } from "@/lib/accounts/queries";
import { portalIdentity } from "@/lib/aws/portal-identity";
import { provisioningRoleDocuments } from "@/lib/accounts/provisioning-documents";
import { defineRoute } from "@/lib/routes/define-route";

/** Admins only (access table): the trust policy and the template carry the account's external id. */
export const GET = defineRoute(
  "GET /api/accounts/[id]/provisioning-role",
  { params: z.object({ id: z.string() }) },
  async ({ req, params: { id } }) => {
    const format = new URL(req.url).searchParams.get("format") ?? "json";
    if (format !== "json" && format !== "cloudformation")
      return Response.json({ error: "format must be json or cloudformation" }, { status: 400 });
    const a = await accountById(id);
    if (!a) return Response.json({ error: "No such account." }, { status: 404 });
    const identity = await portalIdentity();
    const docs = provisioningRoleDocuments({
      accountId: a.accountId,
      purpose: a.purpose as "tools" | "repo" | "both",
      externalId: a.externalId,
      portalPrincipalArn: identity.arn,
      principal: identity.principal,
    });
    const body =
      format === "json"
        ? // As deployed: the role's inline policy, and (tools accounts) the managed policy attached to it.
          {
            roleName: docs.roleName,
            boundaryArn: docs.boundaryArn,
            boundaryPolicy: docs.boundaryPolicy,
            trustPolicy: docs.trustPolicy,
            permissionPolicy: docs.inlinePolicy,
            toolsPolicyName: docs.toolsPolicyName,
            toolsPolicy: docs.toolsPolicy,
          }
        : docs.cloudFormation;
    return new Response(JSON.stringify(body, null, 2), {
      headers: {
        "content-type": "application/json",
        "cache-control": "no-store",
        "content-disposition": `attachment; filename="portal-provisioning-role-${a.accountId}${format === "cloudformation" ? ".cfn" : ""}.json"`,
      },
    });
  },
);
