import { loadDashboard, withoutTokens } from "@/lib/pipelines/dashboard";
import { parseDashboardFilters } from "@/lib/pipelines/validation";
import { defineRoute } from "@/lib/routes/define-route";

export const dynamic = "force-dynamic";

/**
 * The dashboard's data as JSON, with the page's filters (?account=&status=&q=) and the same shared 5-second
 * cache. Invalid filters are ignored and reported in `problems` (so they are parsed here, not rejected by
 * defineRoute). Approval tokens are never included.
 */
export const GET = defineRoute("GET /api/pipelines", {}, async ({ req }, { user }) => {
  const params: Record<string, string | string[]> = {};
  for (const [k, v] of new URL(req.url).searchParams) params[k] = k in params ? [params[k], v].flat() : v;
  const { filters, problems } = parseDashboardFilters(params);
  const data = await loadDashboard(filters, user.email);
  return Response.json(
    {
      filters,
      problems,
      total: data.total,
      matched: data.matched,
      notProvisioned: data.notProvisioned,
      dataAt: new Date(data.dataAt).toISOString(),
      pipelines: withoutTokens(data.rows),
    },
    { headers: { "cache-control": "no-store" } },
  );
});
