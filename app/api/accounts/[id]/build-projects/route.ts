import { requireRoute } from "@/lib/auth/guard";
import { listBuildProjects } from "@/lib/onboarding/discovery";
import { discoveryAccount, discoveryFailure, parseQuery, regionQuery } from "@/app/api/onboardings/_lib/responses";

export const dynamic = "force-dynamic";

/** The CodeBuild projects of a tools account in a region, read through its provisioning role. */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const guard = await requireRoute("GET /api/accounts/[id]/build-projects");
  if (guard.response) return guard.response;
  const q = parseQuery(req, regionQuery);
  if (q.response) return q.response;
  const { id } = await ctx.params;
  const found = await discoveryAccount(id, "tools");
  if (found.response) return found.response;
  try {
    const projects = await listBuildProjects(found.account.id, q.data.region, guard.user.email);
    return Response.json({ projects }, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return discoveryFailure(e, found.account, "CodeBuild projects");
  }
}
