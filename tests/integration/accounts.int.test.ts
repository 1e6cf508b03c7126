import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createAccount, deleteAccount, runConnectionTest, updateAccount } from "@/lib/accounts/service";
import { ensureSandboxProvisioningRole } from "@/lib/demo/sandbox-world";
import type { CurrentUser } from "@/lib/auth/session";

const admin: CurrentUser = { id: "u-admin", email: "admin@example.com", name: "Admin", role: "admin" };
const ctx = { user: admin, client: { ip: "127.0.0.1", userAgent: "vitest" } };
const fields = {
  name: "Int tools",
  accountId: "666666666666",
  purpose: "tools" as const,
  defaultRegion: "us-east-1" as const,
  roleArn: "arn:aws:iam::666666666666:role/crossline-portal-provisioning",
  externalId: undefined,
  organizationId: null,
};

beforeAll(async () => {
  await db.awsAccount.deleteMany({ where: { accountId: { in: ["666666666666", "777777777777"] } } });
});

describe("account service", () => {
  it("creates an account with a generated external id and an audit event in the same transaction", async () => {
    const before = await db.auditEvent.count();
    const a = await createAccount(fields, ctx);
    expect(a.externalId).toMatch(/^portal-[\w-]{24}$/);
    const events = await db.auditEvent.findMany({ where: { seq: { gt: 0 } }, orderBy: { seq: "desc" }, take: 1 });
    expect(await db.auditEvent.count()).toBe(before + 1);
    expect(events[0]).toMatchObject({
      action: "accounts.create",
      outcome: "success",
      targetId: a.id,
      actorEmail: "admin@example.com",
      ip: "127.0.0.1",
      userAgent: "vitest",
    });
    expect(events[0].details).not.toContain(a.externalId);
  });

  it("refuses a duplicate account id and changes nothing", async () => {
    const count = await db.awsAccount.count();
    await expect(createAccount(fields, ctx)).rejects.toMatchObject({
      fieldErrors: { accountId: [expect.stringContaining("already registered")] },
    });
    expect(await db.awsAccount.count()).toBe(count);
  });

  it("stores the connection test result and time, and audits it with the AWS request id", async () => {
    const a = await db.awsAccount.findUniqueOrThrow({ where: { accountId: "666666666666" } });
    const failed = await runConnectionTest(a.id, ctx);
    expect(failed.ok).toBe(false);
    await ensureSandboxProvisioningRole({
      endpoint: process.env.AWS_ENDPOINT_URL!,
      accountId: a.accountId,
      purpose: "tools",
      externalId: a.externalId,
    });
    const ok = await runConnectionTest(a.id, ctx);
    expect(ok.ok).toBe(true);
    const stored = await db.awsAccount.findUniqueOrThrow({ where: { id: a.id } });
    expect(stored).toMatchObject({ lastTestOk: true, lastTestCode: "ok", lastTestArn: ok.assumedRoleArn });
    expect(stored.lastTestAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "accounts.testConnection", targetId: a.id, outcome: "success" },
    });
    expect(audit.requestIds).toBeTruthy();
  });

  it("clears the stored test result when the role or external id changes", async () => {
    const a = await db.awsAccount.findUniqueOrThrow({ where: { accountId: "666666666666" } });
    await updateAccount(a.id, { ...fields, externalId: "rotated-external-id" }, ctx);
    const stored = await db.awsAccount.findUniqueOrThrow({ where: { id: a.id } });
    expect(stored.externalId).toBe("rotated-external-id");
    expect(stored.lastTestOk).toBeNull();
  });

  it("refuses removal while an onboarding uses the account, then removes it", async () => {
    const a = await db.awsAccount.findUniqueOrThrow({ where: { accountId: "666666666666" } });
    const onboarding = await db.onboarding.create({
      data: {
        toolsAccountId: a.id,
        repoAccountId: a.id,
        region: "us-east-1",
        repositoryName: "r",
        branchName: "main",
        pipelineName: "p-int",
        buildMode: "create",
        buildProject: "p",
      },
    });
    await expect(deleteAccount(a.id, ctx)).rejects.toThrow(/cannot be removed: 1 onboarding/);
    expect(await db.awsAccount.findUnique({ where: { id: a.id } })).not.toBeNull();
    await db.onboarding.delete({ where: { id: onboarding.id } });
    await deleteAccount(a.id, ctx);
    expect(await db.awsAccount.findUnique({ where: { id: a.id } })).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "accounts.delete", targetId: a.id } })).toBe(2);
  });
});
