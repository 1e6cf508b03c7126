import "server-only";
import { db } from "@/lib/db";
import { inTransactionWithAudit, recordAudit } from "@/lib/audit/append";
import type { CurrentUser } from "@/lib/auth/session";
import type { ActorContext } from "@/lib/core/actor";
import { UserFacingError } from "@/lib/core/errors";
import type { AccountFields } from "@/lib/validation/account";
import { generateExternalId } from "./external-id";
import { testConnection } from "./test-connection";

type Ctx = ActorContext<CurrentUser>;

function publicFields(a: {
  name: string;
  accountId: string;
  purpose: string;
  defaultRegion: string;
  roleArn: string;
  organizationId?: string | null;
}) {
  return {
    name: a.name,
    accountId: a.accountId,
    purpose: a.purpose,
    defaultRegion: a.defaultRegion,
    roleArn: a.roleArn,
    organizationId: a.organizationId ?? null,
  };
}

async function refuseDuplicate(accountId: string, exceptId?: string) {
  const existing = await db.awsAccount.findUnique({ where: { accountId } });
  // A removed account (kept only for its offboarded onboardings' history) is registered again in place.
  if (existing && existing.id !== exceptId && !existing.removedAt) {
    throw new UserFacingError("This AWS account is already registered.", {
      accountId: [`Account ${accountId} is already registered as "${existing.name}".`],
    });
  }
}

/**
 * An external id names one account's trust: two accounts sharing one would let whoever learns it for one use it
 * for the other (the confused deputy ExternalId exists to stop). A given one must be unused; a generated one is
 * drawn again in the (astronomically unlikely) case of a collision.
 */
async function refuseSharedExternalId(externalId: string, exceptId?: string) {
  const other = await db.awsAccount.findFirst({ where: { externalId, ...(exceptId ? { NOT: { id: exceptId } } : {}) } });
  if (other) {
    throw new UserFacingError("This external id is already in use.", {
      externalId: ["Another registered account uses this external id. Leave the field empty to have a unique one generated."],
    });
  }
}

async function unusedExternalId(): Promise<string> {
  for (;;) {
    const id = generateExternalId();
    if (!(await db.awsAccount.findFirst({ where: { externalId: id } }))) return id;
  }
}

export async function createAccount(input: AccountFields, { user, client }: Ctx) {
  await refuseDuplicate(input.accountId);
  if (input.externalId) await refuseSharedExternalId(input.externalId);
  const externalId = input.externalId ?? (await unusedExternalId());
  const removed = await db.awsAccount.findFirst({ where: { accountId: input.accountId, removedAt: { not: null } } });
  return inTransactionWithAudit(async (tx) => {
    const data = { ...publicFields(input), externalId, createdById: user.id };
    const account = removed
      ? await tx.awsAccount.update({
          where: { id: removed.id },
          data: {
            ...data,
            removedAt: null,
            lastTestAt: null,
            lastTestOk: null,
            lastTestCode: null,
            lastTestMessage: null,
            lastTestArn: null,
          },
        })
      : await tx.awsAccount.create({ data });
    return {
      result: account,
      audit: {
        actor: user,
        action: "accounts.create",
        target: { type: "account", id: account.id },
        outcome: "success",
        details: { ...publicFields(input), externalIdGenerated: !input.externalId },
        client,
      },
    };
  });
}

export async function updateAccount(id: string, input: AccountFields, { user, client }: Ctx) {
  const before = await db.awsAccount.findUnique({ where: { id } });
  if (!before) throw new UserFacingError("That account no longer exists.");
  await refuseDuplicate(input.accountId, id);
  const inUse = await onboardingCount(id);
  if (inUse > 0 && before.accountId !== input.accountId) {
    throw new UserFacingError("The account id cannot change while onboardings use this account.", {
      accountId: [`${inUse} onboarding(s) use account ${before.accountId}.`],
    });
  }
  const externalId = input.externalId ?? before.externalId;
  if (externalId !== before.externalId) await refuseSharedExternalId(externalId, id);
  const connectionChanged = before.roleArn !== input.roleArn || before.externalId !== externalId || before.accountId !== input.accountId;
  return inTransactionWithAudit(async (tx) => {
    const account = await tx.awsAccount.update({
      where: { id },
      data: {
        ...publicFields(input),
        externalId,
        ...(connectionChanged ? { lastTestAt: null, lastTestOk: null, lastTestCode: null, lastTestMessage: null, lastTestArn: null } : {}),
      },
    });
    return {
      result: account,
      audit: {
        actor: user,
        action: "accounts.update",
        target: { type: "account", id },
        outcome: "success",
        details: { before: publicFields(before), after: publicFields(input), externalIdChanged: before.externalId !== externalId },
        client,
      },
    };
  });
}

function onboardingCount(accountDbId: string) {
  return db.onboarding.count({ where: { OR: [{ toolsAccountId: accountDbId }, { repoAccountId: accountDbId }] } });
}

/** Onboardings that still use an account: every one not offboarded (drafts included: they name it). */
function liveOnboardingCount(accountDbId: string) {
  return db.onboarding.count({
    where: { OR: [{ toolsAccountId: accountDbId }, { repoAccountId: accountDbId }], status: { not: "offboarded" } },
  });
}

export async function deleteAccount(id: string, { user, client }: Ctx) {
  const account = await db.awsAccount.findUnique({ where: { id } });
  if (!account) throw new UserFacingError("That account no longer exists.");
  if (account.removedAt) throw new UserFacingError("That account no longer exists.");
  const inUse = await liveOnboardingCount(id);
  if (inUse > 0) {
    await recordAudit({
      actor: user,
      action: "accounts.delete",
      target: { type: "account", id },
      outcome: "failure",
      details: { reason: "in use", onboardings: inUse },
      client,
    });
    throw new UserFacingError(`"${account.name}" cannot be removed: ${inUse} onboarding(s) use it. Offboard those onboardings first.`);
  }
  // Offboarded onboardings keep naming the account (their history stays): the row stays too, marked removed.
  const history = await onboardingCount(id);
  await inTransactionWithAudit(async (tx) => {
    if (history) await tx.awsAccount.update({ where: { id }, data: { removedAt: new Date() } });
    else await tx.awsAccount.delete({ where: { id } });
    return {
      result: undefined,
      audit: {
        actor: user,
        action: "accounts.delete",
        target: { type: "account", id },
        outcome: "success",
        details: publicFields(account),
        client,
      },
    };
  });
}

export async function runConnectionTest(id: string, { user, client }: Ctx) {
  const account = await db.awsAccount.findUnique({ where: { id } });
  if (!account) throw new UserFacingError("That account no longer exists.");
  const diagnosis = await testConnection(account, user.email);
  await inTransactionWithAudit(async (tx) => {
    await tx.awsAccount.update({
      where: { id },
      data: {
        lastTestAt: new Date(),
        lastTestOk: diagnosis.ok,
        lastTestCode: diagnosis.code,
        lastTestMessage: `${diagnosis.title}. ${diagnosis.detail}`,
        lastTestArn: diagnosis.assumedRoleArn ?? null,
      },
    });
    return {
      result: undefined,
      audit: {
        actor: user,
        action: "accounts.testConnection",
        target: { type: "account", id },
        outcome: diagnosis.ok ? "success" : "failure",
        details: { code: diagnosis.code, accountId: account.accountId, roleArn: account.roleArn, assumedRoleArn: diagnosis.assumedRoleArn },
        requestIds: diagnosis.requestId ? [diagnosis.requestId] : undefined,
        client,
      },
    };
  });
  return diagnosis;
}
