import "server-only";
import { db } from "@/lib/db";

/**
 * Per-account verify leases in the database, so the pacing holds across instances: a verify claims both its
 * accounts with conditional updates (free or expired lease, and, for the scheduler, the gap since the last verify
 * elapsed), and releases them when done, recording the time. A crashed holder's lease simply expires.
 */

async function ensureRows(accountIds: string[]) {
  for (const accountId of accountIds) {
    try {
      await db.driftAccountLease.upsert({ where: { accountId }, create: { accountId }, update: {} });
    } catch (e) {
      // Two instances creating the same row: one wins, the other's row is there now.
      if ((e as { code?: string }).code !== "P2002") throw e;
    }
  }
}

export interface ClaimOptions {
  now: Date;
  leaseMs: number;
  /** Minimum time since the account's last verify ended; 0 (a person's "Verify now") waits only for one in flight. */
  gapMs: number;
}

/** Claims every account for `holder`, or none (false). */
export async function claimAccounts(accountIds: string[], holder: string, opts: ClaimOptions): Promise<boolean> {
  const ids = [...new Set(accountIds)].sort();
  await ensureRows(ids);
  const claimed: string[] = [];
  for (const accountId of ids) {
    const u = await db.driftAccountLease.updateMany({
      where: {
        accountId,
        OR: [{ leaseUntil: null }, { leaseUntil: { lte: opts.now } }],
        ...(opts.gapMs > 0
          ? { AND: [{ OR: [{ lastFinishedAt: null }, { lastFinishedAt: { lte: new Date(opts.now.getTime() - opts.gapMs) } }] }] }
          : {}),
      },
      data: { claimedBy: holder, leaseUntil: new Date(opts.now.getTime() + opts.leaseMs) },
    });
    if (u.count !== 1) {
      await releaseAccounts(claimed, holder, null);
      return false;
    }
    claimed.push(accountId);
  }
  return true;
}

/** Gives the accounts back; `finishedAt`: when the verify ended (starts the gap), null when none ran. */
export async function releaseAccounts(accountIds: string[], holder: string, finishedAt: Date | null): Promise<void> {
  if (!accountIds.length) return;
  await db.driftAccountLease.updateMany({
    where: { accountId: { in: accountIds }, claimedBy: holder },
    data: { claimedBy: null, leaseUntil: null, ...(finishedAt ? { lastFinishedAt: finishedAt } : {}) },
  });
}

export async function accountPaces(accountIds: string[]) {
  const rows = await db.driftAccountLease.findMany({ where: { accountId: { in: accountIds } } });
  return new Map(
    rows.map((r) => [r.accountId, { leaseUntil: r.leaseUntil?.getTime() ?? null, lastFinishedAt: r.lastFinishedAt?.getTime() ?? null }]),
  );
}
