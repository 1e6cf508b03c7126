import { z } from "zod";
import { codeCommitRepositoryNameSchema } from "@/lib/names/rules";
import { isAwsError } from "@/lib/core/aws-errors";
import { listBranches } from "@/lib/onboarding/discovery";
import { defineRoute } from "@/lib/routes/define-route";
import { discoveryAccount, discoveryFailure, regionQuery } from "@/lib/routes/discovery";
import { RouteError } from "@/lib/routes/route-error";

export const dynamic = "force-dynamic";

/** The path's repository segment, decoded, as `repository` (so a bad name answers "repository: …"). */
const branchParams = z.preprocess(
  (p) => {
    const { id, repo } = p as { id?: unknown; repo?: unknown };
    return { id, repository: typeof repo === "string" ? decodeURIComponent(repo) : repo };
  },
  z.object({ id: z.string(), repository: codeCommitRepositoryNameSchema }),
);

/** A repository's branches and its default branch, read through the repo account's provisioning role. */
export const GET = defineRoute(
  "GET /api/accounts/[id]/repositories/[repo]/branches",
  { query: regionQuery, params: branchParams },
  async ({ query: { region }, params: { id, repository } }, { user }) => {
    const account = await discoveryAccount(id, "repo");
    try {
      const { branches, defaultBranch } = await listBranches(account.id, region, repository, user.email);
      return Response.json({ branches, defaultBranch: defaultBranch ?? null }, { headers: { "cache-control": "no-store" } });
    } catch (e) {
      if (isAwsError(e, "RepositoryDoesNotExistException"))
        throw new RouteError(404, `No repository named ${repository} in ${account.name} (${region}).`);
      return discoveryFailure(e, account, "branches");
    }
  },
);
