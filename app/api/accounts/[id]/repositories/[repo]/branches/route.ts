import { requireRoute } from "@/lib/auth/guard";
import { codeCommitRepositoryNameSchema } from "@/lib/names/rules";
import { isAwsError } from "@/lib/provisioning/aws-errors";
import { listBranches } from "@/lib/onboarding/discovery";
import { discoveryAccount, discoveryFailure, jsonError, parseQuery, regionQuery } from "@/app/api/onboardings/_lib/responses";

export const dynamic = "force-dynamic";

/** A repository's branches and its default branch, read through the repo account's provisioning role. */
export async function GET(req: Request, ctx: { params: Promise<{ id: string; repo: string }> }) {
  const guard = await requireRoute("GET /api/accounts/[id]/repositories/[repo]/branches");
  if (guard.response) return guard.response;
  const q = parseQuery(req, regionQuery);
  if (q.response) return q.response;
  const { id, repo } = await ctx.params;
  const name = codeCommitRepositoryNameSchema.safeParse(decodeURIComponent(repo));
  if (!name.success) return jsonError(400, `repository: ${name.error.issues[0]?.message ?? "invalid name"}`);
  const found = await discoveryAccount(id, "repo");
  if (found.response) return found.response;
  try {
    const { branches, defaultBranch } = await listBranches(found.account.id, q.data.region, name.data, guard.user.email);
    return Response.json({ branches, defaultBranch: defaultBranch ?? null }, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    if (isAwsError(e, "RepositoryDoesNotExistException")) return jsonError(404, `No repository named ${name.data} in ${found.account.name} (${q.data.region}).`);
    return discoveryFailure(e, found.account, "branches");
  }
}
