import "server-only";
import { db } from "@/lib/db";
import type { LedgerRow } from "@/lib/runs/types";

export interface OtherUser {
  id: string;
  pipelineName: string;
}

/**
 * Who else uses what this onboarding shares, read from the database at the moment of asking (the plan, and each
 * destroy step again): live onboardings (neither drafts, which created nothing yet, nor offboarded ones) of the same
 * tools account and region (the artifact key), of the same repo account too (the key's and the bus's grant for that
 * account), or building with the same existing CodeBuild project (the key's grant for its service role).
 */
export interface Sharing {
  /** Other live onboardings of the tools account and region: they use the artifact key. */
  keyUsers: OtherUser[];
  /** Of those, the ones whose repo account is this one's too (the key and event bus grants for that account). */
  repoAccountUsers: OtherUser[];
  /** Of the key users, those that build with the same existing project (its service role's key grant). */
  buildRoleUsers: OtherUser[];
  /** Ledger rows of the shared kinds (key, bus permission), whichever onboarding recorded them first (`onboardingId`). */
  sharedLedger: (LedgerRow & { onboardingId: string | null })[];
}

const LIVE = { status: { notIn: ["draft", "offboarded"] } };

export async function sharingOf(onboardingId: string): Promise<Sharing> {
  const o = await db.onboarding.findUniqueOrThrow({ where: { id: onboardingId }, include: { toolsAccount: true, repoAccount: true } });
  const others = await db.onboarding.findMany({
    where: { id: { not: o.id }, toolsAccountId: o.toolsAccountId, region: o.region, ...LIVE },
    select: { id: true, pipelineName: true, repoAccountId: true, buildMode: true, buildProject: true },
    orderBy: { createdAt: "asc" },
  });
  const sharedLedger = await db.provisionedResource.findMany({
    where: { accountId: o.toolsAccount.accountId, region: o.region, kind: { in: ["kms-key", "event-bus-permission"] } },
    select: { id: true, accountId: true, region: true, kind: true, name: true, arn: true, origin: true, shared: true, onboardingId: true },
  });
  const pick = (x: { id: string; pipelineName: string }) => ({ id: x.id, pipelineName: x.pipelineName });
  return {
    keyUsers: others.map(pick),
    repoAccountUsers: others.filter((x) => x.repoAccountId === o.repoAccountId).map(pick),
    buildRoleUsers:
      o.buildMode === "existing" ? others.filter((x) => x.buildMode === "existing" && x.buildProject === o.buildProject).map(pick) : [],
    sharedLedger,
  };
}
