import { z } from "zod";
import { listRepositories } from "@/lib/onboarding/discovery";
import { defineRoute } from "@/lib/routes/define-route";
import { discoveryAccount, discoveryFailure, regionQuery } from "@/lib/routes/discovery";

export const dynamic = "force-dynamic";

/** The CodeCommit repositories of a repo account in a region, read through its provisioning role. */
export const GET = defineRoute(
  "GET /api/accounts/[id]/repositories",
  { query: regionQuery, params: z.object({ id: z.string() }) },
  async ({ query, params }, { user }) => {
    const account = await discoveryAccount(params.id, "repo");
    try {
      const repositories = await listRepositories(account.id, query.region, user.email);
      return Response.json({ repositories }, { headers: { "cache-control": "no-store" } });
    } catch (e) {
      return discoveryFailure(e, account, "repositories");
    }
  },
);
