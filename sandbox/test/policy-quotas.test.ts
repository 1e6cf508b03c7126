/**
 * Policy quotas and role principals of KMS, IAM and EventBridge over the wire (sandbox/README.md "Quotas and
 * ownership"): KMS key policy 32 KB (LimitExceededException), key policies store role principals by unique id, IAM
 * inline policies 10,240 characters per role without white space, EventBridge's bus policy error.
 */
import { PutPermissionCommand } from "@aws-sdk/client-eventbridge";
import {
  CreatePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { CreateKeyCommand, EncryptCommand, GetKeyPolicyCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../index";
import { clients, failure, root, trust } from "./clients";
import { allClients } from "./codepipeline-world";
import { assume, createRole, kmsS3 } from "./kms-s3-clients";

const A = "111111111111";
let h: SandboxHandle;
beforeAll(async () => {
  h = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await h.close();
});

const rootStatement = {
  Sid: "Enable IAM User Permissions",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${A}:root` },
  Action: "kms:*",
  Resource: "*",
};
const deleteRole = async (name: string) => {
  const iam = clients(h, root(A)).iam;
  await iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: "inline" })).catch(() => undefined);
  await iam.send(new DeleteRoleCommand({ RoleName: name }));
};

describe("KMS key policy size", () => {
  it("over 32 KB (32,768 bytes) is LimitExceededException; above the model's 131,072 characters ValidationException", async () => {
    const { kms } = kmsS3(h, root(A));
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const padded = (bytes: number) => {
      const doc = { Version: "2012-10-17", Statement: [{ ...rootStatement, Sid: "" }] };
      doc.Statement[0].Sid = "x".repeat(bytes - JSON.stringify(doc).length);
      return JSON.stringify(doc);
    };
    expect(padded(32_768)).toHaveLength(32_768);
    await expect(kms.send(new PutKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId, Policy: padded(32_768) }))).resolves.toBeDefined();
    const over = await failure(kms.send(new PutKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId, Policy: padded(32_769) })));
    expect(over.name).toBe("LimitExceededException");
    const model = await failure(kms.send(new PutKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId, Policy: padded(131_073) })));
    expect(model.name).toBe("ValidationException");
    expect((await failure(kms.send(new CreateKeyCommand({ Policy: padded(32_769) })))).name).toBe("LimitExceededException");
  });
});

describe("role principals in key policies are stored by unique id", () => {
  it("a deleted role reads back as its AROA id, a recreated role is not granted, and the read-back policy is refused", async () => {
    const { kms } = kmsS3(h, root(A));
    const user = await createRole(h, A, "KeyUser", []);
    const written = JSON.stringify({
      Version: "2012-10-17",
      Statement: [rootStatement, { Sid: "Use", Effect: "Allow", Principal: { AWS: user }, Action: "kms:Encrypt", Resource: "*" }],
    });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Policy: written }));
    const encryptAs = async () =>
      kmsS3(h, await assume(h, user)).kms.send(new EncryptCommand({ KeyId: KeyMetadata!.Arn, Plaintext: Buffer.from("x") }));
    // In the key's account a key policy statement naming the role suffices.
    await expect(encryptAs()).resolves.toBeDefined();
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId }))).Policy).toBe(written);

    await deleteRole("KeyUser");
    const shown = (await kms.send(new GetKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId }))).Policy!;
    expect(JSON.parse(shown).Statement[1].Principal.AWS).toMatch(/^AROA[A-Z0-9]{17}$/);
    await createRole(h, A, "KeyUser", []);
    expect((await failure(encryptAs())).name).toBe("AccessDeniedException");

    const refused = await failure(kms.send(new PutKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId, Policy: shown })));
    expect(refused.name).toBe("MalformedPolicyDocumentException");
    expect(refused.message).toBe("Policy contains a statement with one or more invalid principals.");
    await kms.send(new PutKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId, Policy: written }));
    await expect(encryptAs()).resolves.toBeDefined();
  });

  it("account root + ArnLike aws:PrincipalArn (the portal's key policy pattern) keeps granting a recreated role", async () => {
    const { kms } = kmsS3(h, root(A));
    const statements = [{ Effect: "Allow", Action: "kms:Encrypt", Resource: "*" }];
    const arn = await createRole(h, A, "PortalKeyUser", statements, "/portal/");
    const written = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        rootStatement,
        {
          Sid: "PortalRoles",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${A}:root` },
          Action: "kms:Encrypt",
          Resource: "*",
          Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${A}:role/portal/*` } },
        },
      ],
    });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Policy: written }));
    const encryptAs = async () =>
      kmsS3(h, await assume(h, arn)).kms.send(new EncryptCommand({ KeyId: KeyMetadata!.Arn, Plaintext: Buffer.from("x") }));
    await expect(encryptAs()).resolves.toBeDefined();
    await deleteRole("PortalKeyUser");
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId }))).Policy).toBe(written);
    await createRole(h, A, "PortalKeyUser", statements, "/portal/");
    await expect(encryptAs()).resolves.toBeDefined();
  });
});

describe("IAM trust policies refuse the bare id of a deleted role", () => {
  it("UpdateAssumeRolePolicy with a trust policy read back after the deletion is MalformedPolicyDocument", async () => {
    const iam = clients(h, root(A)).iam;
    const caller = await createRole(h, A, "TrustCaller", []);
    await createRole(h, A, "TrustTarget", []);
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: "TrustTarget",
        PolicyDocument: trust({ Effect: "Allow", Principal: { AWS: caller }, Action: "sts:AssumeRole" }),
      }),
    );
    await deleteRole("TrustCaller");
    const shown = decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: "TrustTarget" }))).Role!.AssumeRolePolicyDocument!);
    const id = JSON.parse(shown).Statement[0].Principal.AWS as string;
    expect(id).toMatch(/^AROA[A-Z0-9]{17}$/);
    const e = await failure(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "TrustTarget", PolicyDocument: shown })));
    expect(e.name).toBe("MalformedPolicyDocumentException");
    expect(e.message).toBe(`Invalid principal in policy: "AWS":"${id}"`);
  });
});

describe("IAM inline policies of a role", () => {
  /** An identity policy with exactly `chars` non-whitespace characters, pretty-printed (white space is not counted). */
  function policyOf(chars: number) {
    const doc = { Version: "2012-10-17", Statement: [{ Sid: "", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] };
    doc.Statement[0].Sid = "S".repeat(chars - JSON.stringify(doc).length);
    return JSON.stringify(doc, null, 4);
  }

  it("10,240 characters in total per role, white space not counted; LimitExceeded names the role", async () => {
    const iam = clients(h, root(A)).iam;
    await createRole(h, A, "InlineQuota", []);
    const first = policyOf(6000);
    expect(first.length).toBeGreaterThan(6000);
    await iam.send(new PutRolePolicyCommand({ RoleName: "InlineQuota", PolicyName: "one", PolicyDocument: first }));
    await iam.send(new PutRolePolicyCommand({ RoleName: "InlineQuota", PolicyName: "two", PolicyDocument: policyOf(4240) }));
    const over = await failure(
      iam.send(new PutRolePolicyCommand({ RoleName: "InlineQuota", PolicyName: "two", PolicyDocument: policyOf(4241) })),
    );
    expect(over.name).toBe("LimitExceededException");
    expect(over.$metadata?.httpStatusCode).toBe(409);
    expect(over.message).toBe("Maximum policy size of 10240 bytes exceeded for role InlineQuota");
    // A single document past the quota gets the same answer.
    const single = await failure(
      iam.send(new PutRolePolicyCommand({ RoleName: "InlineQuota", PolicyName: "one", PolicyDocument: policyOf(10_241) })),
    );
    expect(single.message).toBe("Maximum policy size of 10240 bytes exceeded for role InlineQuota");
  });
});

describe("IAM trust and managed policy quotas", () => {
  /** A document of `kind` with exactly `chars` non-whitespace characters, pretty-printed. */
  const sized = (statement: Record<string, unknown>, chars: number) => {
    const doc = { Version: "2012-10-17", Statement: [{ ...statement, Sid: "" }] };
    doc.Statement[0].Sid = "S".repeat(chars - JSON.stringify(doc).length);
    return JSON.stringify(doc, null, 4);
  };
  const trustStatement = { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: "sts:AssumeRole" };
  const identityStatement = { Effect: "Allow", Action: "s3:GetObject", Resource: "*" };

  it("trust policy 2,048 and managed policy 6,144 characters, white space not counted", async () => {
    const iam = clients(h, root(A)).iam;
    await expect(
      iam.send(new CreateRoleCommand({ RoleName: "TrustAtQuota", AssumeRolePolicyDocument: sized(trustStatement, 2048) })),
    ).resolves.toBeDefined();
    const trustOver = await failure(
      iam.send(new CreateRoleCommand({ RoleName: "TrustOverQuota", AssumeRolePolicyDocument: sized(trustStatement, 2049) })),
    );
    expect(trustOver.name).toBe("LimitExceededException");
    expect(trustOver.message).toBe("Cannot exceed quota for ACLSizePerRole: 2048");
    await expect(
      iam.send(new CreatePolicyCommand({ PolicyName: "ManagedAtQuota", PolicyDocument: sized(identityStatement, 6144) })),
    ).resolves.toBeDefined();
    const managedOver = await failure(
      iam.send(new CreatePolicyCommand({ PolicyName: "ManagedOverQuota", PolicyDocument: sized(identityStatement, 6145) })),
    );
    expect(managedOver.name).toBe("LimitExceededException");
    expect(managedOver.message).toBe("Cannot exceed quota for PolicySize: 6144");
  });
});

describe("EventBridge bus policy quota", () => {
  it("PutPermission past 10,240 characters answers PolicyLengthExceededException with EventBridge's message", async () => {
    const events = allClients(h, root("666666666666")).events;
    const arn = "arn:aws:events:us-east-1:666666666666:event-bus/default";
    const big = {
      Version: "2012-10-17",
      Statement: Array.from({ length: 60 }, (_, i) => ({
        Sid: `s${i}`,
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${String(i).padStart(12, "4")}:root` },
        Action: "events:PutEvents",
        Resource: arn,
      })),
    };
    const e = await failure(events.send(new PutPermissionCommand({ Policy: JSON.stringify(big) })));
    expect(e.name).toBe("PolicyLengthExceededException");
    expect(e.message).toBe("Policy size would be larger than the maximum allowed.");
  });
});
