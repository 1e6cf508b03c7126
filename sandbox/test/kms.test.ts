import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
} from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveResourceNames } from "@/lib/names/derive";
import { createKeyInput, initialKeyPolicy, keyPolicyFor, type OnboardingSpec } from "@/lib/policies";
import { type SandboxHandle, startSandbox } from "../index";
import { failure, root } from "./clients";
import { assume, createRole, kmsS3, setRolePolicy } from "./kms-s3-clients";

const A = "111111111111";
const B = "222222222222";
let h: SandboxHandle;
let kms: ReturnType<typeof kmsS3>["kms"];
beforeAll(async () => {
  h = await startSandbox({ port: 0 });
  kms = kmsS3(h, root(A)).kms;
});
afterAll(async () => {
  await h.close();
});

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const rootAdmin = (account = A) => ({
  Sid: "Admin",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: "kms:*",
  Resource: "*",
});
const USE = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

describe("KMS over the wire", () => {
  it("create/converge: key (the portal's CreateKey input), alias, rotation, tags, key policy", async () => {
    const spec: OnboardingSpec = {
      onboardingId: "onb_kms1",
      region: "us-east-1",
      toolsAccountId: A,
      repoAccountId: B,
      repositoryName: "demo-service",
      branchName: "main",
      pipelineName: "demo-service-main",
      pipelineType: "V1",
      build: { mode: "existing", projectName: "demo-build" },
      approval: { enabled: false },
    } satisfies OnboardingSpec;
    const names = deriveResourceNames(spec);
    const created = await kms.send(new CreateKeyCommand(createKeyInput(spec, names)));
    const meta = created.KeyMetadata!;
    expect(meta.KeyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta).toMatchObject({
      Arn: `arn:aws:kms:us-east-1:${A}:key/${meta.KeyId}`,
      KeyState: "Enabled",
      KeySpec: "SYMMETRIC_DEFAULT",
      KeyManager: "CUSTOMER",
      Enabled: true,
    });
    expect(meta.CreationDate).toBeInstanceOf(Date);
    const alias = names.artifactStore.kmsAlias;
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: meta.KeyId }));
    for (const id of [meta.KeyId!, meta.Arn!, alias, names.artifactStore.kmsAliasArn]) {
      expect((await kms.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata?.Arn).toBe(meta.Arn);
    }
    await kms.send(new EnableKeyRotationCommand({ KeyId: meta.KeyId }));
    expect(await kms.send(new GetKeyRotationStatusCommand({ KeyId: meta.Arn }))).toMatchObject({
      KeyRotationEnabled: true,
      RotationPeriodInDays: 365,
    });
    await kms.send(new TagResourceCommand({ KeyId: meta.KeyId, Tags: [{ TagKey: "team", TagValue: "x" }] }));
    await kms.send(new UntagResourceCommand({ KeyId: meta.KeyId, TagKeys: ["team"] }));
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: meta.KeyId }))).Tags).toEqual([
      { TagKey: "portal:managed-by", TagValue: "crossline-portal" },
      { TagKey: "portal:onboarding", TagValue: "onb_kms1" },
    ]);
    // Key policy: initial (root only) → merged with this onboarding's grants, once both roles exist.
    const got = await kms.send(new GetKeyPolicyCommand({ KeyId: meta.KeyId, PolicyName: "default" }));
    expect(JSON.parse(got.Policy!)).toEqual(initialKeyPolicy(A));
    await createRole(h, A, names.roles.pipeline.name, [], "/portal/");
    await createRole(h, B, names.roles.crossAccount.name, [], "/portal/");
    const desired = keyPolicyFor(JSON.parse(got.Policy!), spec, names, {
      bucketName: names.artifactStore.bucketName,
      keyArn: meta.Arn!,
      keyAlias: alias,
    });
    await kms.send(new PutKeyPolicyCommand({ KeyId: meta.KeyId, PolicyName: "default", Policy: JSON.stringify(desired) }));
    expect(JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: meta.KeyId }))).Policy!)).toEqual(desired);
    const aliases = await kms.send(new ListAliasesCommand({ KeyId: meta.KeyId }));
    expect(aliases.Aliases?.map((a) => [a.AliasName, a.TargetKeyId])).toEqual([[alias, meta.KeyId]]);
    expect((await kms.send(new ListKeysCommand({}))).Keys?.map((k) => k.KeyArn)).toContain(meta.Arn);
    // Alias moves to another key; deletion.
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new UpdateAliasCommand({ AliasName: alias, TargetKeyId: other.Arn }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata?.KeyId).toBe(other.KeyId);
    await kms.send(new DeleteAliasCommand({ AliasName: alias }));
    expect((await failure(kms.send(new DescribeKeyCommand({ KeyId: alias })))).name).toBe("NotFoundException");
  });

  it("error codes: NotFound, AlreadyExists, reserved/invalid alias, unsupported key spec, malformed policy", async () => {
    expect((await failure(kms.send(new DescribeKeyCommand({ KeyId: "alias/nope" })))).name).toBe("NotFoundException");
    expect((await failure(kms.send(new DescribeKeyCommand({ KeyId: "1234abcd-12ab-34cd-56ef-1234567890ab" })))).message).toBe(
      `Key 'arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab' does not exist`,
    );
    expect((await failure(kms.send(new DescribeKeyCommand({ KeyId: "garbage" })))).name).toBe("NotFoundException");
    const k = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: "alias/dup", TargetKeyId: k.KeyId }));
    const dup = await failure(kms.send(new CreateAliasCommand({ AliasName: "alias/dup", TargetKeyId: k.KeyId })));
    expect(dup.name).toBe("AlreadyExistsException");
    expect(dup.message).toBe(`An alias with the name arn:aws:kms:us-east-1:${A}:alias/dup already exists`);
    expect((await failure(kms.send(new CreateAliasCommand({ AliasName: "alias/aws/mine", TargetKeyId: k.KeyId })))).name).toBe(
      "NotAuthorizedException",
    );
    expect((await failure(kms.send(new CreateAliasCommand({ AliasName: "noprefix", TargetKeyId: k.KeyId })))).name).toBe(
      "ValidationException",
    );
    expect((await failure(kms.send(new CreateAliasCommand({ AliasName: "alias/bad name", TargetKeyId: k.KeyId })))).name).toBe(
      "ValidationException",
    );
    expect((await failure(kms.send(new CreateKeyCommand({ KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" })))).name).toBe(
      "UnsupportedOperationException",
    );
    expect((await failure(kms.send(new CreateKeyCommand({ KeySpec: "NOPE" as never })))).name).toBe("ValidationException");
    const bad = await failure(kms.send(new PutKeyPolicyCommand({ KeyId: k.KeyId, PolicyName: "default", Policy: "{not json" })));
    expect(bad.name).toBe("MalformedPolicyDocumentException");
    const ghost = await failure(
      kms.send(
        new PutKeyPolicyCommand({
          KeyId: k.KeyId,
          Policy: doc(rootAdmin(), { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${B}:role/Ghost` }, Action: USE, Resource: "*" }),
        }),
      ),
    );
    expect(ghost.name).toBe("MalformedPolicyDocumentException");
    expect(ghost.message).toBe("Policy contains a statement with one or more invalid principals.");
    const lockout = await failure(
      kms.send(
        new PutKeyPolicyCommand({
          KeyId: k.KeyId,
          Policy: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: "kms:*", Resource: "*" }),
        }),
      ),
    );
    expect(lockout.message).toMatch(/will not allow you to update the key policy/);
  });

  it("deletion lifecycle and key states", async () => {
    const k = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const pt = new TextEncoder().encode("secret");
    const ct = (await kms.send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: pt, EncryptionContext: { a: "1" } }))).CiphertextBlob!;
    expect(
      new TextDecoder().decode((await kms.send(new DecryptCommand({ CiphertextBlob: ct, EncryptionContext: { a: "1" } }))).Plaintext),
    ).toBe("secret");
    expect((await failure(kms.send(new DecryptCommand({ CiphertextBlob: ct, EncryptionContext: { a: "2" } })))).name).toBe(
      "InvalidCiphertextException",
    );
    expect((await failure(kms.send(new ScheduleKeyDeletionCommand({ KeyId: k.KeyId, PendingWindowInDays: 6 })))).name).toBe(
      "ValidationException",
    );
    const sched = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: k.KeyId, PendingWindowInDays: 7 }));
    expect(sched).toMatchObject({ KeyState: "PendingDeletion", PendingWindowInDays: 7, KeyId: k.Arn });
    expect((await kms.send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata?.KeyState).toBe("PendingDeletion");
    expect((await failure(kms.send(new DecryptCommand({ CiphertextBlob: ct, EncryptionContext: { a: "1" } })))).name).toBe(
      "KMSInvalidStateException",
    );
    expect((await failure(kms.send(new EnableKeyRotationCommand({ KeyId: k.KeyId })))).name).toBe("KMSInvalidStateException");
    expect((await kms.send(new CancelKeyDeletionCommand({ KeyId: k.KeyId }))).KeyId).toBe(k.Arn);
    expect((await kms.send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata?.KeyState).toBe("Disabled");
    expect((await failure(kms.send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: pt })))).name).toBe("DisabledException");
    expect((await failure(kms.send(new CancelKeyDeletionCommand({ KeyId: k.KeyId })))).name).toBe("KMSInvalidStateException");
    await kms.send(new EnableKeyCommand({ KeyId: k.KeyId }));
    const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: k.Arn, KeySpec: "AES_256" }));
    expect(dk.Plaintext).toHaveLength(32);
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const re = await kms.send(new ReEncryptCommand({ CiphertextBlob: dk.CiphertextBlob, DestinationKeyId: other.KeyId }));
    expect(re).toMatchObject({ SourceKeyId: k.Arn, KeyId: other.Arn });
    expect((await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob }))).Plaintext).toEqual(dk.Plaintext);
    await kms.send(new DisableKeyCommand({ KeyId: k.KeyId }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata?.Enabled).toBe(false);
  });
});

describe("KMS authorization (key policy + IAM)", () => {
  it("same account: the root statement delegates to IAM; a direct role grant suffices alone", async () => {
    const k = (await kms.send(new CreateKeyCommand({ Policy: doc(rootAdmin()) }))).KeyMetadata!;
    const roleArn = await createRole(h, A, "KmsUser", []);
    const s = kmsS3(h, await assume(h, roleArn, "user")).kms;
    const denied = await failure(s.send(new GenerateDataKeyCommand({ KeyId: k.Arn, KeySpec: "AES_256" })));
    expect(denied.name).toBe("AccessDeniedException");
    expect(denied.message).toBe(
      `User: arn:aws:sts::${A}:assumed-role/KmsUser/user is not authorized to perform: kms:GenerateDataKey on resource: ${k.Arn} because no identity-based policy allows the kms:GenerateDataKey action`,
    );
    await setRolePolicy(h, A, "KmsUser", [{ Effect: "Allow", Action: "kms:GenerateDataKey", Resource: k.Arn }]);
    await expect(s.send(new GenerateDataKeyCommand({ KeyId: k.Arn, KeySpec: "AES_256" }))).resolves.toBeDefined();
    // Key policy without the root statement: IAM policies no longer count.
    const k2 = (
      await kms.send(
        new CreateKeyCommand({
          Policy: doc(rootAdmin(), { Effect: "Allow", Principal: { AWS: roleArn }, Action: "kms:Decrypt", Resource: "*" }),
        }),
      )
    ).KeyMetadata!;
    await kms.send(
      new PutKeyPolicyCommand({
        KeyId: k2.KeyId,
        Policy: doc(
          { Sid: "Admin", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: "kms:PutKeyPolicy", Resource: "*" },
          { Effect: "Allow", Principal: { AWS: roleArn }, Action: "kms:DescribeKey", Resource: "*" },
        ),
      }),
    );
    await setRolePolicy(h, A, "KmsUser", [{ Effect: "Allow", Action: "kms:*", Resource: "*" }]);
    const e = await failure(s.send(new GenerateDataKeyCommand({ KeyId: k2.Arn, KeySpec: "AES_256" })));
    expect(e.message).toMatch(/because no resource-based policy allows the kms:GenerateDataKey action$/);
    await setRolePolicy(h, A, "KmsUser", [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }]);
    await expect(s.send(new DescribeKeyCommand({ KeyId: k2.Arn }))).resolves.toBeDefined(); // direct grant, no IAM needed
  });

  it("cross-account: key policy AND the caller's identity policy; explicit deny wins; aliases only resolve in-account", async () => {
    const k = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: "alias/xacct", TargetKeyId: k.KeyId }));
    const roleArn = await createRole(h, B, "Consumer", [{ Effect: "Allow", Action: USE, Resource: k.Arn }]);
    const s = kmsS3(h, await assume(h, roleArn, "cons")).kms;
    const noKeyPolicy = await failure(s.send(new GenerateDataKeyCommand({ KeyId: k.Arn, KeySpec: "AES_256" })));
    expect(noKeyPolicy.message).toBe(
      `User: arn:aws:sts::${B}:assumed-role/Consumer/cons is not authorized to perform: kms:GenerateDataKey on resource: ${k.Arn} because no resource-based policy allows the kms:GenerateDataKey action`,
    );
    await kms.send(
      new PutKeyPolicyCommand({
        KeyId: k.KeyId,
        Policy: doc(rootAdmin(), { Effect: "Allow", Principal: { AWS: roleArn }, Action: USE, Resource: "*" }),
      }),
    );
    const dk = await s.send(new GenerateDataKeyCommand({ KeyId: k.Arn, KeySpec: "AES_256" }));
    expect((await s.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }))).Plaintext).toEqual(dk.Plaintext);
    expect((await failure(s.send(new DescribeKeyCommand({ KeyId: "alias/xacct" })))).name).toBe("NotFoundException");
    await expect(s.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:us-east-1:${A}:alias/xacct` }))).resolves.toBeDefined();
    // Key policy naming the account root of B works the same; removing the identity policy denies.
    await kms.send(
      new PutKeyPolicyCommand({
        KeyId: k.KeyId,
        Policy: doc(rootAdmin(), { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USE, Resource: "*" }),
      }),
    );
    await expect(s.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }))).resolves.toBeDefined();
    await setRolePolicy(h, B, "Consumer", [{ Effect: "Allow", Action: "kms:DescribeKey", Resource: "*" }]);
    expect((await failure(s.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob })))).message).toMatch(
      /because no identity-based policy allows the kms:Decrypt action$/,
    );
    await setRolePolicy(h, B, "Consumer", [
      { Effect: "Allow", Action: USE, Resource: "*" },
      { Effect: "Deny", Action: "kms:Decrypt", Resource: "*" },
    ]);
    expect((await failure(s.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob })))).message).toMatch(
      /with an explicit deny in an identity-based policy$/,
    );
    // Management operations never work across accounts.
    expect((await failure(s.send(new GetKeyPolicyCommand({ KeyId: k.Arn })))).name).toBe("NotFoundException");
  });

  it("CreateKey is authorized by identity policy with kms:KeySpec (the provisioning policy's condition)", async () => {
    const roleArn = await createRole(h, A, "Provisioner", [
      { Effect: "Allow", Action: "kms:CreateKey", Resource: "*", Condition: { StringEquals: { "kms:KeySpec": "SYMMETRIC_DEFAULT" } } },
    ]);
    const s = kmsS3(h, await assume(h, roleArn, "prov")).kms;
    await expect(s.send(new CreateKeyCommand({ KeySpec: "SYMMETRIC_DEFAULT" }))).resolves.toBeDefined();
    const e = await failure(s.send(new CreateKeyCommand({ KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" })));
    expect(e.name).toBe("AccessDeniedException");
    expect(e.message).toBe(
      `User: arn:aws:sts::${A}:assumed-role/Provisioner/prov is not authorized to perform: kms:CreateKey on resource: * because no identity-based policy allows the kms:CreateKey action`,
    );
    expect((await failure(s.send(new ListAliasesCommand({})))).name).toBe("AccessDeniedException");
  });

  it("IAM propagation delay: PutKeyPolicy naming a just-created role fails until the role is visible", async () => {
    const k = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    h.setFaults({ iamPropagationDelayMs: 60_000 });
    try {
      const roleArn = await createRole(h, B, "Fresh", []);
      const policy = doc(rootAdmin(), { Effect: "Allow", Principal: { AWS: roleArn }, Action: USE, Resource: "*" });
      const e = await failure(kms.send(new PutKeyPolicyCommand({ KeyId: k.KeyId, Policy: policy })));
      expect(e.name).toBe("MalformedPolicyDocumentException");
      expect(e.message).toBe("Policy contains a statement with one or more invalid principals.");
      h.setFaults({ iamPropagationDelayMs: 0 });
      await expect(kms.send(new PutKeyPolicyCommand({ KeyId: k.KeyId, Policy: policy }))).resolves.toBeDefined();
    } finally {
      h.setFaults({ iamPropagationDelayMs: 0 });
    }
  });

  it("calls are logged with their mutating flag", async () => {
    h.resetCallLog();
    await kms.send(new ListKeysCommand({}));
    await kms.send(new CreateKeyCommand({}));
    expect(h.callLog.map((c) => [c.service, c.action, c.mutating])).toEqual([
      ["kms", "ListKeys", false],
      ["kms", "CreateKey", true],
    ]);
  });
});
