import { CreateRoleCommand, DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_PORTAL_PRINCIPAL_ARN, type SandboxHandle, startSandbox } from "../index";
import { type Creds, clients, failure, portal, root, trust } from "./clients";

const A = "111111111111";
let h: SandboxHandle;
beforeAll(async () => {
  h = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await h.close();
});

// docs/aws-domain.md#trust-policies-with-sourceidentity: AssumeRole conditioned on sts:ExternalId, SetSourceIdentity in its own statement (the reference lists
// sts:ExternalId for sts:AssumeRole only).
const provisioningTrust = trust(
  {
    Effect: "Allow",
    Principal: { AWS: SANDBOX_PORTAL_PRINCIPAL_ARN },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "sts:ExternalId": "ext-123" } },
  },
  { Effect: "Allow", Principal: { AWS: SANDBOX_PORTAL_PRINCIPAL_ARN }, Action: "sts:SetSourceIdentity" },
);

async function createRole(name: string, trustDoc: string, account = A) {
  const { iam } = clients(h, root(account));
  const r = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustDoc }));
  return r.Role!.Arn!;
}
const assume = (creds: Creds, RoleArn: string, extra: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> = {}) =>
  clients(h, creds).sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: "portal-dana", ...extra }));

describe("STS over the wire", () => {
  it("GetCallerIdentity for the portal user and an account root", async () => {
    const me = await clients(h, portal).sts.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: "000000000000", Arn: SANDBOX_PORTAL_PRINCIPAL_ARN });
    const r = await clients(h, root(A)).sts.send(new GetCallerIdentityCommand({}));
    expect(r).toMatchObject({ Account: A, Arn: `arn:aws:iam::${A}:root` });
  });

  it("AssumeRole with the right ExternalId and SourceIdentity yields credentials acting in the role's account", async () => {
    const roleArn = await createRole("PortalProvisioning", provisioningTrust);
    const out = await assume(portal, roleArn, { ExternalId: "ext-123", SourceIdentity: "dana@example.com" });
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${A}:assumed-role/PortalProvisioning/portal-dana`);
    expect(out.SourceIdentity).toBe("dana@example.com");
    const c = out.Credentials!;
    const creds = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    const me = await clients(h, creds).sts.send(new GetCallerIdentityCommand({}));
    expect(me.Account).toBe(A);
    expect(me.Arn).toBe(`arn:aws:sts::${A}:assumed-role/PortalProvisioning/portal-dana`);
    expect(me.UserId).toMatch(/^AROA[A-Z0-9]+:portal-dana$/);
  });

  it("wrong or missing ExternalId is AccessDenied with AWS's message", async () => {
    const roleArn = `arn:aws:iam::${A}:role/PortalProvisioning`;
    const e = await failure(assume(portal, roleArn, { ExternalId: "wrong" }));
    expect(e.name).toBe("AccessDenied");
    expect(e.message).toBe(`User: ${SANDBOX_PORTAL_PRINCIPAL_ARN} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    expect(e.$metadata?.httpStatusCode).toBe(403);
    expect((await failure(assume(portal, roleArn))).name).toBe("AccessDenied");
  });

  it("SourceIdentity needs sts:SetSourceIdentity in the trust policy", async () => {
    const roleArn = await createRole(
      "NoSourceIdentity",
      trust({ Effect: "Allow", Principal: { AWS: "000000000000" }, Action: "sts:AssumeRole" }),
    );
    await expect(assume(portal, roleArn)).resolves.toBeDefined();
    const e = await failure(assume(portal, roleArn, { SourceIdentity: "dana@example.com" }));
    expect(e.name).toBe("AccessDenied");
    expect(e.message).toContain("sts:SetSourceIdentity on resource: " + roleArn);
  });

  it("sts:ExternalId exists only for sts:AssumeRole: a statement granting SetSourceIdentity on ExternalId grants nothing", async () => {
    const roleArn = await createRole(
      "CombinedTrust",
      trust({
        Effect: "Allow",
        Principal: { AWS: SANDBOX_PORTAL_PRINCIPAL_ARN },
        Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
        Condition: { StringEquals: { "sts:ExternalId": "ext-123" } },
      }),
    );
    await expect(assume(portal, roleArn, { ExternalId: "ext-123" })).resolves.toBeDefined();
    const e = await failure(assume(portal, roleArn, { ExternalId: "ext-123", SourceIdentity: "dana@example.com" }));
    expect(e.name).toBe("AccessDenied");
    expect(e.message).toContain(`sts:SetSourceIdentity on resource: ${roleArn}`);
  });

  it("a missing role is AccessDenied, not NoSuchEntity", async () => {
    const e = await failure(assume(portal, `arn:aws:iam::${A}:role/DoesNotExist`));
    expect(e.name).toBe("AccessDenied");
  });

  it("account root trust + ArnEquals aws:PrincipalArn matches the session's role ARN (ADF pattern)", async () => {
    const B = "333333333333";
    const pipelineRole = await createRole(
      "PipelineRole",
      trust({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: "sts:AssumeRole" }),
    );
    await clients(h, root(A)).iam.send(
      new PutRolePolicyCommand({
        RoleName: "PipelineRole",
        PolicyName: "assume",
        PolicyDocument: trust({ Effect: "Allow", Action: "sts:AssumeRole", Resource: `arn:aws:iam::${B}:role/CrossAccount` }),
      }),
    );
    const crossArn = await createRole(
      "CrossAccount",
      trust({
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${A}:root` },
        Action: "sts:AssumeRole",
        Condition: { ArnEquals: { "aws:PrincipalArn": pipelineRole } },
      }),
      B,
    );
    const otherArn = await createRole("Other", trust({ Effect: "Allow", Principal: { AWS: B }, Action: "sts:AssumeRole" }), B);
    const s = (await assume(root(A), pipelineRole)).Credentials!;
    const pipelineCreds = { accessKeyId: s.AccessKeyId!, secretAccessKey: s.SecretAccessKey!, sessionToken: s.SessionToken! };
    const chained = await assume(pipelineCreds, crossArn);
    expect(chained.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${B}:assumed-role/CrossAccount/portal-dana`);
    // The root of A is not the pipeline role: the PrincipalArn condition fails.
    expect((await failure(assume(root(A), crossArn))).name).toBe("AccessDenied");
    // The pipeline role's identity policy does not allow assuming Other (and Other does not trust A anyway).
    expect((await failure(assume(pipelineCreds, otherArn))).name).toBe("AccessDenied");
  });

  it("the portal user may do nothing but STS", async () => {
    const e = await failure(
      clients(h, portal).iam.send(new CreateRoleCommand({ RoleName: "x", AssumeRolePolicyDocument: provisioningTrust })),
    );
    expect(e.name).toBe("AccessDenied");
    expect(e.message).toBe(
      "User: arn:aws:iam::000000000000:user/portal is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::000000000000:role/x because no identity-based policy allows the iam:CreateRole action",
    );
  });

  it("unknown access keys are InvalidClientTokenId", async () => {
    const e = await failure(clients(h, { accessKeyId: "AKIANOBODY", secretAccessKey: "x" }).sts.send(new GetCallerIdentityCommand({})));
    expect(e.name).toBe("InvalidClientTokenId");
  });

  it("the IAM propagation delay hides a new role from AssumeRole", async () => {
    h.setFaults({ iamPropagationDelayMs: 60_000 });
    try {
      const arn = await createRole("Fresh", trust({ Effect: "Allow", Principal: { AWS: "000000000000" }, Action: "sts:AssumeRole" }));
      expect((await failure(assume(portal, arn))).name).toBe("AccessDenied");
      h.setFaults({ iamPropagationDelayMs: 0 });
      await expect(assume(portal, arn)).resolves.toBeDefined();
    } finally {
      h.setFaults({ iamPropagationDelayMs: 0 });
    }
  });
});

describe("role principals are stored by unique id", () => {
  it("recreating a role named directly as a principal breaks the trust (use root + aws:PrincipalArn instead)", async () => {
    const { iam } = clients(h, root(A));
    const trustTheRole = (arn: string) => trust({ Effect: "Allow", Principal: { AWS: arn }, Action: "sts:AssumeRole" });
    const caller = await createRole("Caller", trust({ Effect: "Allow", Principal: { AWS: A }, Action: "sts:AssumeRole" }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: "Caller",
        PolicyName: "p",
        PolicyDocument: trust({ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }),
      }),
    );
    const target = await createRole("Target", trustTheRole(caller));
    const session = async () => {
      const c = (await assume(root(A), caller)).Credentials!;
      return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    };
    await expect(assume(await session(), target)).resolves.toBeDefined();
    await iam.send(new DeleteRolePolicyCommand({ RoleName: "Caller", PolicyName: "p" }));
    await iam.send(new DeleteRoleCommand({ RoleName: "Caller" }));
    await createRole("Caller", trust({ Effect: "Allow", Principal: { AWS: A }, Action: "sts:AssumeRole" }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: "Caller",
        PolicyName: "p",
        PolicyDocument: trust({ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }),
      }),
    );
    expect((await failure(assume(await session(), target))).name).toBe("AccessDenied");
    const shown = decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: "Target" }))).Role!.AssumeRolePolicyDocument!);
    expect(JSON.parse(shown).Statement[0].Principal.AWS).toMatch(/^AROA/);
  });
});
