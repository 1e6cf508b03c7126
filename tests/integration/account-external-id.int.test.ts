import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createAccount, updateAccount } from "@/lib/accounts/service";
import type { CurrentUser } from "@/lib/auth/session";

const admin: CurrentUser = { id: "u-admin", email: "admin@example.com", name: "Admin", role: "admin" };
const ctx = { user: admin, client: { ip: "127.0.0.1", userAgent: "vitest" } };
const fields = (accountId: string, externalId?: string) => ({
  name: `Ext ${accountId}`,
  accountId,
  purpose: "tools" as const,
  defaultRegion: "us-east-1" as const,
  organizationId: null,
  roleArn: `arn:aws:iam::${accountId}:role/crossline-portal-provisioning`,
  externalId,
});
const IDS = ["812000000001", "812000000002", "812000000003"];

beforeAll(async () => {
  await db.awsAccount.deleteMany({ where: { accountId: { in: IDS } } });
});

describe("external ids are unique", () => {
  it("generated ones differ between accounts", async () => {
    const a = await createAccount(fields(IDS[0]), ctx);
    const b = await createAccount(fields(IDS[1]), ctx);
    expect(a.externalId).toMatch(/^portal-[\w-]{24}$/);
    expect(b.externalId).not.toBe(a.externalId);
  });

  it("registering with another account's external id is refused with a field error, and nothing is saved", async () => {
    const taken = (await db.awsAccount.findUniqueOrThrow({ where: { accountId: IDS[0] } })).externalId;
    const count = await db.awsAccount.count();
    await expect(createAccount(fields(IDS[2], taken), ctx)).rejects.toMatchObject({
      fieldErrors: { externalId: [expect.stringContaining("Another registered account uses this external id")] },
    });
    expect(await db.awsAccount.count()).toBe(count);
  });

  it("changing an account's external id to another account's is refused, and nothing changes", async () => {
    const [a, b] = await Promise.all(IDS.slice(0, 2).map((accountId) => db.awsAccount.findUniqueOrThrow({ where: { accountId } })));
    await expect(updateAccount(b.id, fields(IDS[1], a.externalId), ctx)).rejects.toMatchObject({
      fieldErrors: { externalId: [expect.any(String)] },
    });
    expect((await db.awsAccount.findUniqueOrThrow({ where: { id: b.id } })).externalId).toBe(b.externalId);
    // Keeping its own id is not a conflict.
    await expect(updateAccount(b.id, fields(IDS[1], b.externalId), ctx)).resolves.toMatchObject({ externalId: b.externalId });
  });
});
