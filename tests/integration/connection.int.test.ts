import { beforeAll, describe, expect, it } from "vitest";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { accountClients, awsClient } from "@/lib/aws/clients";
import { testConnection } from "@/lib/accounts/test-connection";
import { ensureSandboxProvisioningRole } from "@/lib/demo/sandbox-world";
import { freshAccountId, rootClient } from "../support/world";

const endpoint = () => process.env.AWS_ENDPOINT_URL!;
// Accounts of its own: this file gives their provisioning roles other external ids than the shared demo accounts
// (111111111111, 222222222222) that other files, running at the same time, register.
const TOOLS = freshAccountId(8);
const REPO = freshAccountId(8);
const ext: Record<string, string> = { [TOOLS]: "ext-tools-int", [REPO]: "ext-repo-int" };
const roleArn = (a: string) => `arn:aws:iam::${a}:role/crossline-portal-provisioning`;

beforeAll(async () => {
  await ensureSandboxProvisioningRole({ endpoint: endpoint(), accountId: TOOLS, purpose: "tools", externalId: ext[TOOLS] });
  await ensureSandboxProvisioningRole({ endpoint: endpoint(), accountId: REPO, purpose: "repo", externalId: ext[REPO] });
});

describe("assuming into registered accounts through the real SDK", () => {
  it.each([TOOLS, REPO])("assumes into %s with ExternalId and SourceIdentity; the credentials act in that account", async (account) => {
    const { sts } = accountClients({
      roleArn: roleArn(account),
      externalId: ext[account],
      actorEmail: "dana@example.com",
      region: "us-east-1",
    });
    const id = await sts.send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe(account);
    expect(id.Arn).toBe(`arn:aws:sts::${account}:assumed-role/crossline-portal-provisioning/portal-dana`);
  });

  it("denies a wrong ExternalId with AWS's AccessDenied", async () => {
    const sts = awsClient(STSClient, { region: "us-east-1", endpoint: endpoint(), overrides: { maxAttempts: 1 } });
    await expect(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn(TOOLS),
          RoleSessionName: "session",
          ExternalId: "wrong",
          SourceIdentity: "dana@example.com",
        }),
      ),
    ).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("keeps assumed credentials inside their own account", async () => {
    const { IAMClient, CreateRoleCommand } = await import("@aws-sdk/client-iam");
    const rootOf = (a: string) => rootClient(IAMClient, a);
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "codepipeline.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    const { iam } = accountClients({
      roleArn: roleArn(TOOLS),
      externalId: ext[TOOLS],
      actorEmail: "dana@example.com",
      region: "us-east-1",
    });
    // A role that exists only in the repo account is not reachable with the tools account's credentials…
    await rootOf(REPO).send(new CreateRoleCommand({ RoleName: "scope-check", Path: "/portal/", AssumeRolePolicyDocument: trust }));
    const err = await iam.send(new GetRoleCommand({ RoleName: "scope-check" })).catch((e) => e as Error);
    expect(["NoSuchEntityException", "AccessDenied"]).toContain((err as Error).name);
    // …and once the tools account has its own, the same call returns the tools account's role.
    await rootOf(TOOLS).send(new CreateRoleCommand({ RoleName: "scope-check", Path: "/portal/", AssumeRolePolicyDocument: trust }));
    const got = await iam.send(new GetRoleCommand({ RoleName: "scope-check" }));
    expect(got.Role?.Arn).toBe(`arn:aws:iam::${TOOLS}:role/portal/scope-check`);
  });
});

describe("connection test diagnosis against the sandbox", () => {
  it("succeeds with the assumed-role ARN", async () => {
    const d = await testConnection(
      { accountId: TOOLS, roleArn: roleArn(TOOLS), externalId: ext[TOOLS], defaultRegion: "us-east-1" },
      "dana@example.com",
    );
    expect(d).toMatchObject({
      ok: true,
      code: "ok",
      assumedRoleArn: `arn:aws:sts::${TOOLS}:assumed-role/crossline-portal-provisioning/portal-dana`,
    });
  });

  it("diagnoses an ExternalId mismatch as a refused AssumeRole pointing at the external id, without showing it (the diagnosis is shown to every role)", async () => {
    const d = await testConnection(
      { accountId: TOOLS, roleArn: roleArn(TOOLS), externalId: "nope-nope", defaultRegion: "us-east-1" },
      "dana@example.com",
    );
    expect(d.code).toBe("assume_denied");
    expect(d.detail).toMatch(/ExternalId/);
    expect(d.detail).not.toContain("nope-nope");
    expect(d.requestId).toBeTruthy();
  });

  it("diagnoses a missing role the same way, naming the role", async () => {
    const d = await testConnection(
      { accountId: TOOLS, roleArn: `arn:aws:iam::${TOOLS}:role/does-not-exist`, externalId: ext[TOOLS], defaultRegion: "us-east-1" },
      "dana@example.com",
    );
    expect(d.code).toBe("assume_denied");
    expect(d.detail).toContain("does-not-exist");
  });

  it("diagnoses a trust policy without sts:SetSourceIdentity", async () => {
    const account = "555555555555";
    const { IAMClient, CreateRoleCommand } = await import("@aws-sdk/client-iam");
    const root = rootClient(IAMClient, account);
    await root.send(
      new CreateRoleCommand({
        RoleName: "no-source-identity",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: "arn:aws:iam::000000000000:user/portal" },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "sts:ExternalId": "e1" } },
            },
          ],
        }),
      }),
    );
    const d = await testConnection(
      { accountId: account, roleArn: `arn:aws:iam::${account}:role/no-source-identity`, externalId: "e1", defaultRegion: "us-east-1" },
      "dana@example.com",
    );
    expect(d.code).toBe("source_identity_denied");
  });

  it("diagnoses a role that lives in another account than registered", async () => {
    const d = await testConnection(
      { accountId: TOOLS, roleArn: roleArn(REPO), externalId: ext[REPO], defaultRegion: "us-east-1" },
      "dana@example.com",
    );
    expect(d.code).toBe("wrong_account");
    expect(d.detail).toContain(REPO);
  });

  it("diagnoses an unreachable endpoint", async () => {
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:9"; // discard port: nothing listens
    try {
      const d = await testConnection(
        { accountId: TOOLS, roleArn: roleArn(TOOLS), externalId: ext[TOOLS], defaultRegion: "us-east-1" },
        "dana@example.com",
      );
      expect(d.code).toBe("unreachable");
    } finally {
      process.env.AWS_ENDPOINT_URL = saved;
    }
  });
});
