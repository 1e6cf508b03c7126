import "server-only";
import { db } from "@/lib/db";

/** Reads of registered AWS accounts for pages and routes (writes go through lib/accounts/service.ts). */

export function accountById(id: string) {
  return db.awsAccount.findUnique({ where: { id } });
}

export async function accountName(id: string): Promise<string | null> {
  const a = await db.awsAccount.findUnique({ where: { id }, select: { name: true } });
  return a?.name ?? null;
}

/** Registered accounts (not removed), by name. */
export function listAccounts() {
  return db.awsAccount.findMany({ where: { removedAt: null }, orderBy: { name: "asc" } });
}

export function countAccounts() {
  return db.awsAccount.count({ where: { removedAt: null } });
}

/** What the onboarding form offers for each account, with its last connection test. */
export function accountChoices() {
  return db.awsAccount.findMany({
    where: { removedAt: null },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      accountId: true,
      defaultRegion: true,
      purpose: true,
      externalId: true,
      lastTestAt: true,
      lastTestOk: true,
      lastTestMessage: true,
    },
  });
}
