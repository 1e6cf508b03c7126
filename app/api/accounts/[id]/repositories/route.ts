import { requireRoute } from "@/lib/auth/guard";
import { listRepositories } from "@/lib/onboarding/discovery";
import { discoveryAccount, discoveryFailure, parseQuery, regionQuery } from "@/app/api/onboardings/_lib/responses";

export const dynamic = "force-dynamic";

/** The CodeCommit repositories of a repo account in a region, read through its provisioning role. */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const guard = await requireRoute("GET /api/accounts/[id]/repositories");
  if (guard.response) return guard.response;
  const q = parseQuery(req, regionQuery);
  if (q.response) return q.response;
  const { id } = await ctx.params;
  const found = await discoveryAccount(id, "repo");
  if (found.response) return found.response;
  try {
    const repositories = await listRepositories(found.account.id, q.data.region, guard.user.email);
    return Response.json({ repositories }, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return discoveryFailure(e, found.account, "repositories");
  }
}
