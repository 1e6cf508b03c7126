import "server-only";
import { db } from "@/lib/db";
import { onboardingInclude, pipelineSnapshot, refOf, type PipelineTarget } from "./read";
import type { DashboardRow } from "./types";
import type { DashboardFilters } from "./validation";

export interface DashboardData {
  rows: DashboardRow[];
  /** Provisioned pipelines before the status filter (account and text filters applied). */
  matched: number;
  /** Every provisioned pipeline, unfiltered. */
  total: number;
  /** Onboardings without a pipeline yet (not applied, provisioning, failed). */
  notProvisioned: number;
  accounts: { accountId: string; name: string }[];
  /** When the oldest row's data was read from AWS (ms since epoch). */
  dataAt: number;
}

/** What a pipeline's latest run counts as for the status filter. */
export function rowStatus(r: DashboardRow): string {
  if (r.snapshot.error && !r.snapshot.latest) return "error";
  return r.snapshot.latest?.status ?? "none";
}

/**
 * The dashboard: every provisioned pipeline with its snapshot (cached, see read.ts). Account and text filters
 * narrow the database query, so filtered-out pipelines cost no AWS call; the status filter needs the
 * snapshots and applies after them.
 */
export async function loadDashboard(filters: DashboardFilters, actorEmail: string): Promise<DashboardData> {
  const where = {
    pipelineArn: { not: null },
    ...(filters.account ? { OR: [{ toolsAccount: { accountId: filters.account } }, { repoAccount: { accountId: filters.account } }] } : {}),
    ...(filters.q
      ? {
          AND: [
            {
              OR: [
                { pipelineName: { contains: filters.q } },
                { repositoryName: { contains: filters.q } },
                { branchName: { contains: filters.q } },
              ],
            },
          ],
        }
      : {}),
  };
  const [targets, total, notProvisioned, accounts] = await Promise.all([
    db.onboarding.findMany({ where, include: onboardingInclude, orderBy: [{ pipelineName: "asc" }, { region: "asc" }] }),
    db.onboarding.count({ where: { pipelineArn: { not: null } } }),
    db.onboarding.count({ where: { pipelineArn: null, status: { not: "offboarded" } } }),
    db.awsAccount.findMany({ select: { accountId: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  const rows = await Promise.all(
    (targets as PipelineTarget[]).map(async (t): Promise<DashboardRow> => ({
      onboarding: refOf(t),
      snapshot: await pipelineSnapshot(t, actorEmail),
    })),
  );
  const shown = filters.status ? rows.filter((r) => rowStatus(r) === filters.status) : rows;
  const dataAt = rows.length ? Math.min(...rows.map((r) => r.snapshot.fetchedAt)) : Date.now();
  return { rows: shown, matched: rows.length, total, notProvisioned, accounts, dataAt };
}

/** Rows without approval tokens, for a JSON answer or a viewer's browser. */
export function withoutTokens(rows: DashboardRow[]): DashboardRow[] {
  return rows.map((r) => ({
    ...r,
    snapshot: { ...r.snapshot, stages: r.snapshot.stages.map((s) => ({ ...s, actions: s.actions.map(({ token: _token, ...a }) => a) })) },
  }));
}
