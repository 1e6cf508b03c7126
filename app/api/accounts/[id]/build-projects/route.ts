import { z } from "zod";
import { listBuildProjects } from "@/lib/onboarding/discovery";
import { defineRoute } from "@/lib/routes/define-route";
import { discoveryAccount, discoveryFailure, regionQuery } from "@/lib/routes/discovery";

export const dynamic = "force-dynamic";

/** The CodeBuild projects of a tools account in a region, read through its provisioning role. */
export const GET = defineRoute(
  "GET /api/accounts/[id]/build-projects",
  { query: regionQuery, params: z.object({ id: z.string() }) },
  async ({ query, params }, { user }) => {
    const account = await discoveryAccount(params.id, "tools");
    try {
      const projects = await listBuildProjects(account.id, query.region, user.email);
      return Response.json({ projects }, { headers: { "cache-control": "no-store" } });
    } catch (e) {
      return discoveryFailure(e, account, "CodeBuild projects");
    }
  },
);
