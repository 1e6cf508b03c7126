import "server-only";
import { db } from "@/lib/db";
import type { DriftCheckView, DriftItem, DriftStatus, DriftTrigger } from "./types";

/** Checks kept per onboarding (the newest); older ones are pruned as new ones arrive. The audit keeps the history. */
export const CHECKS_KEPT = 20;

type Row = {
  id: string;
  onboardingId: string;
  checkedAt: Date;
  status: string;
  trigger: string;
  actorEmail: string | null;
  error: string | null;
  items: string;
};

function view(r: Row): DriftCheckView {
  let items: DriftItem[] = [];
  try {
    items = JSON.parse(r.items) as DriftItem[];
  } catch {
    items = [];
  }
  return {
    id: r.id,
    onboardingId: r.onboardingId,
    checkedAt: r.checkedAt.toISOString(),
    status: r.status as DriftStatus,
    trigger: r.trigger as DriftTrigger,
    actorEmail: r.actorEmail,
    error: r.error,
    items,
  };
}

/** The newest check of an onboarding, or null when none was made yet. */
export async function latestDrift(onboardingId: string): Promise<DriftCheckView | null> {
  const r = await db.driftCheck.findFirst({ where: { onboardingId, latest: true }, orderBy: { checkedAt: "desc" } });
  return r ? view(r) : null;
}

/** Status and time of the newest check of each of these onboardings (the dashboard's badge). */
export async function latestDriftStatuses(
  onboardingIds: string[],
): Promise<Map<string, { status: DriftStatus; checkedAt: string; drifted: number }>> {
  if (!onboardingIds.length) return new Map();
  const rows = await db.driftCheck.findMany({
    where: { latest: true, onboardingId: { in: onboardingIds } },
    select: { onboardingId: true, status: true, checkedAt: true, items: true },
  });
  return new Map(
    rows.map((r) => {
      const items = (() => {
        try {
          return JSON.parse(r.items) as DriftItem[];
        } catch {
          return [];
        }
      })();
      return [
        r.onboardingId,
        {
          status: r.status as DriftStatus,
          checkedAt: r.checkedAt.toISOString(),
          drifted: items.filter((i) => i.status === "drifted" || i.status === "missing").length,
        },
      ];
    }),
  );
}

export interface NewCheck {
  onboardingId: string;
  checkedAt: Date;
  status: DriftStatus;
  items: DriftItem[];
  error: string | null;
  trigger: DriftTrigger;
  actorEmail: string | null;
}

/** Stores a check as the onboarding's latest and prunes the oldest beyond CHECKS_KEPT. */
export async function saveCheck(c: NewCheck): Promise<DriftCheckView> {
  const row = await db.$transaction(async (tx) => {
    await tx.driftCheck.updateMany({ where: { onboardingId: c.onboardingId, latest: true }, data: { latest: false } });
    const created = await tx.driftCheck.create({
      data: {
        onboardingId: c.onboardingId,
        checkedAt: c.checkedAt,
        status: c.status,
        items: JSON.stringify(c.items),
        error: c.error,
        trigger: c.trigger,
        actorEmail: c.actorEmail,
        latest: true,
      },
    });
    const old = await tx.driftCheck.findMany({
      where: { onboardingId: c.onboardingId },
      orderBy: { checkedAt: "desc" },
      skip: CHECKS_KEPT,
      select: { id: true },
    });
    if (old.length) await tx.driftCheck.deleteMany({ where: { id: { in: old.map((o) => o.id) } } });
    return created;
  });
  return view(row);
}
