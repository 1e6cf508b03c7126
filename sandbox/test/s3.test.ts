import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { CreateAliasCommand, CreateKeyCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import {
  CreateBucketCommand,
  type CreateBucketCommandInput,
  DeleteBucketCommand,
  DeleteBucketOwnershipControlsCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveResourceNames } from "@/lib/names/derive";
import {
  type ArtifactStore,
  type OnboardingSpec,
  bucketPolicyFor,
  bucketSettingsInputs,
  crossAccountRolePermissionPolicy,
  initialBucketPolicy,
  keyPolicyFor,
} from "@/lib/policies";
import { type SandboxHandle, startSandbox } from "../index";
import { rootPrincipal } from "../identity";
import { s3GetObjectAs, s3PutObjectAs } from "../services/s3";
import { failure, root } from "./clients";
import { assume, createRole, kmsS3, setRolePolicy } from "./kms-s3-clients";

const A = "111111111111";
const B = "222222222222";
const C = "333333333333";
let dir: string;
let h: SandboxHandle;
let s3: S3Client;
let kms: ReturnType<typeof kmsS3>["kms"];
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "sandbox-s3-"));
  h = await startSandbox({ port: 0, stateFile: path.join(dir, "state.json") });
  ({ s3, kms } = kmsS3(h, root(A)));
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const text = async (body: unknown) => await (body as { transformToString(): Promise<string> }).transformToString();
const status = (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode;
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

describe("S3 buckets over the wire", () => {
  it("create/converge with the portal's inputs: ownership, public access block, SSE-KMS, versioning, policy, tags", async () => {
    const keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const store: ArtifactStore = {
      bucketName: `codepipeline-artifacts-${A}-us-east-1`,
      keyArn,
      keyAlias: "alias/codepipeline-artifacts-us-east-1",
    };
    const inputs = bucketSettingsInputs(store, "us-east-1");
    expect((await failure(s3.send(new HeadBucketCommand({ Bucket: store.bucketName })))).name).toBe("NotFound");
    await s3.send(new CreateBucketCommand(inputs.createBucket as CreateBucketCommandInput));
    const head = await s3.send(new HeadBucketCommand({ Bucket: store.bucketName }));
    expect(head.BucketRegion).toBe("us-east-1");
    await s3.send(new PutBucketOwnershipControlsCommand(inputs.ownershipControls));
    await s3.send(new PutPublicAccessBlockCommand(inputs.publicAccessBlock));
    await s3.send(new PutBucketEncryptionCommand(inputs.encryption));
    await s3.send(new PutBucketVersioningCommand(inputs.versioning));
    await s3.send(
      new PutBucketTaggingCommand({ Bucket: store.bucketName, Tagging: { TagSet: [{ Key: "portal:onboarding", Value: "onb_1" }] } }),
    );
    expect((await failure(s3.send(new GetBucketPolicyCommand({ Bucket: store.bucketName })))).name).toBe("NoSuchBucketPolicy");
    await s3.send(new PutBucketPolicyCommand({ Bucket: store.bucketName, Policy: JSON.stringify(initialBucketPolicy(store)) }));

    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: store.bucketName }))).OwnershipControls).toEqual(
      inputs.ownershipControls.OwnershipControls,
    );
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: store.bucketName }))).PublicAccessBlockConfiguration).toEqual(
      inputs.publicAccessBlock.PublicAccessBlockConfiguration,
    );
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: store.bucketName }))).ServerSideEncryptionConfiguration).toEqual(
      inputs.encryption.ServerSideEncryptionConfiguration,
    );
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: store.bucketName }))).Status).toBe("Enabled");
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: store.bucketName }))).TagSet).toEqual([
      { Key: "portal:onboarding", Value: "onb_1" },
    ]);
    expect(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: store.bucketName }))).Policy!)).toEqual(
      initialBucketPolicy(store),
    );
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: store.bucketName }))).LocationConstraint).toBeUndefined();
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain(store.bucketName);
    // Re-create in us-east-1: AWS's legacy 200.
    await expect(s3.send(new CreateBucketCommand(inputs.createBucket as CreateBucketCommandInput))).resolves.toBeDefined();
  });

  it("error codes: names, BucketAlreadyExists / OwnedByYou, regions, missing configurations, malformed policies", async () => {
    const bad = await failure(s3.send(new CreateBucketCommand({ Bucket: "Bad_Name" })));
    expect([bad.name, status(bad)]).toEqual(["InvalidBucketName", 400]);
    for (const n of ["ab", "xn--abc", "abc-s3alias", "192.168.1.1", "a..b", "-abc"])
      expect((await failure(s3.send(new CreateBucketCommand({ Bucket: n })))).name).toBe("InvalidBucketName");
    await s3.send(new CreateBucketCommand({ Bucket: "shared-name" }));
    const taken = await failure(kmsS3(h, root(B)).s3.send(new CreateBucketCommand({ Bucket: "shared-name" })));
    expect([taken.name, status(taken)]).toEqual(["BucketAlreadyExists", 409]);
    const eu = kmsS3(h, root(A), "eu-west-1").s3;
    await eu.send(new CreateBucketCommand({ Bucket: "eu-bucket", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }));
    const owned = await failure(
      eu.send(new CreateBucketCommand({ Bucket: "eu-bucket", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } })),
    );
    expect([owned.name, status(owned)]).toEqual(["BucketAlreadyOwnedByYou", 409]);
    expect((await eu.send(new GetBucketLocationCommand({ Bucket: "eu-bucket" }))).LocationConstraint).toBe("eu-west-1");
    const wrongRegion = await failure(
      eu.send(new CreateBucketCommand({ Bucket: "eu-bucket-2", CreateBucketConfiguration: { LocationConstraint: "eu-central-1" } })),
    );
    expect(wrongRegion.name).toBe("IllegalLocationConstraintException");
    const redirect = await failure(s3.send(new GetBucketPolicyCommand({ Bucket: "eu-bucket" })));
    expect([redirect.name, status(redirect)]).toEqual(["PermanentRedirect", 301]);
    const missing = await failure(s3.send(new GetBucketPolicyCommand({ Bucket: "no-such-bucket-here" })));
    expect([missing.name, status(missing), (missing as { BucketName?: string }).BucketName]).toEqual([
      "NoSuchBucket",
      404,
      "no-such-bucket-here",
    ]);
    const foreign = await failure(kmsS3(h, root(B)).s3.send(new HeadBucketCommand({ Bucket: "shared-name" })));
    expect(status(foreign)).toBe(403); // HEAD errors carry no body: the SDK only sees the status
    expect((foreign as { $response?: { headers: Record<string, string> } }).$response?.headers["x-amz-bucket-region"]).toBe("us-east-1");
    await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: "shared-name" }));
    expect((await failure(s3.send(new GetBucketOwnershipControlsCommand({ Bucket: "shared-name" })))).name).toBe(
      "OwnershipControlsNotFoundError",
    );
    const json = await failure(s3.send(new PutBucketPolicyCommand({ Bucket: "shared-name", Policy: "not json" })));
    expect([json.name, status(json)]).toEqual(["MalformedPolicy", 400]);
    const ghost = await failure(
      s3.send(
        new PutBucketPolicyCommand({
          Bucket: "shared-name",
          Policy: doc({
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${B}:role/Ghost` },
            Action: "s3:GetObject",
            Resource: "arn:aws:s3:::shared-name/*",
          }),
        }),
      ),
    );
    expect([ghost.name, ghost.message]).toEqual(["MalformedPolicy", "Invalid principal in policy"]);
    const publicPolicy = await failure(
      s3.send(
        new PutBucketPolicyCommand({
          Bucket: "shared-name",
          Policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::shared-name/*" }),
        }),
      ),
    );
    expect(publicPolicy.name).toBe("AccessDenied");
    expect((await failure(s3.send(new GetBucketTaggingCommand({ Bucket: "shared-name" })))).name).toBe("NoSuchTagSet");
    await s3.send(new PutObjectCommand({ Bucket: "shared-name", Key: "k", Body: "x" }));
    const notEmpty = await failure(s3.send(new DeleteBucketCommand({ Bucket: "shared-name" })));
    expect([notEmpty.name, status(notEmpty)]).toEqual(["BucketNotEmpty", 409]);
    expect((await failure(s3.send(new GetObjectCommand({ Bucket: "shared-name", Key: "nope" })))).name).toBe("NoSuchKey");
    const acl = await failure(s3.send(new PutObjectCommand({ Bucket: "shared-name", Key: "k2", Body: "x", ACL: "public-read" })));
    expect(acl.name).toBe("AccessDenied"); // ACLs are enabled again (ownership controls deleted) but BlockPublicAcls holds
    await s3.send(
      new PutBucketOwnershipControlsCommand({
        Bucket: "shared-name",
        OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
      }),
    );
    const disabled = await failure(s3.send(new PutObjectAclCommand({ Bucket: "shared-name", Key: "k", ACL: "private" })));
    expect([disabled.name, status(disabled)]).toEqual(["AccessControlListNotSupported", 400]);
  });
});

describe("S3 objects over the wire", () => {
  it("aws-chunked streaming bodies round-trip; versions, delete markers, batch teardown", async () => {
    const b = "objects-bucket";
    await s3.send(new CreateBucketCommand({ Bucket: b }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: "Enabled" } }));
    const payload = "hello aws-chunked ".repeat(2000);
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: b,
        Key: "dir/a.txt",
        Body: Readable.from([Buffer.from(payload)]),
        ContentLength: payload.length,
        ContentType: "text/plain",
        Metadata: { owner: "me" },
      }),
    );
    expect(put.VersionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(put.ServerSideEncryption).toBe("AES256");
    const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: "dir/a.txt" }));
    expect(await text(got.Body)).toBe(payload);
    expect([got.ContentType, got.Metadata?.owner, got.VersionId]).toEqual(["text/plain", "me", put.VersionId]);
    const headObj = await s3.send(new HeadObjectCommand({ Bucket: b, Key: "dir/a.txt" }));
    expect(headObj.ContentLength).toBe(payload.length);
    const put2 = await s3.send(new PutObjectCommand({ Bucket: b, Key: "dir/a.txt", Body: "v2" }));
    await s3.send(new PutObjectCommand({ Bucket: b, Key: "top.txt", Body: new Uint8Array([1, 2, 3]) }));
    const list = await s3.send(new ListObjectsV2Command({ Bucket: b, Delimiter: "/" }));
    expect([list.Contents?.map((c) => c.Key), list.CommonPrefixes?.map((p) => p.Prefix), list.KeyCount]).toEqual([
      ["top.txt"],
      ["dir/"],
      2,
    ]);
    const page1 = await s3.send(new ListObjectsV2Command({ Bucket: b, MaxKeys: 1 }));
    const page2 = await s3.send(new ListObjectsV2Command({ Bucket: b, MaxKeys: 1, ContinuationToken: page1.NextContinuationToken }));
    expect([page1.IsTruncated, page1.Contents?.[0].Key, page2.IsTruncated, page2.Contents?.[0].Key]).toEqual([
      true,
      "dir/a.txt",
      false,
      "top.txt",
    ]);
    const del = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: "dir/a.txt" }));
    expect(del.DeleteMarker).toBe(true);
    const gone = await failure(s3.send(new GetObjectCommand({ Bucket: b, Key: "dir/a.txt" })));
    expect(gone.name).toBe("NoSuchKey");
    expect(await text((await s3.send(new GetObjectCommand({ Bucket: b, Key: "dir/a.txt", VersionId: put2.VersionId }))).Body)).toBe("v2");
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: b }));
    expect(versions.Versions?.map((v) => [v.Key, v.IsLatest])).toEqual([
      ["dir/a.txt", false],
      ["dir/a.txt", false],
      ["top.txt", true],
    ]);
    expect(versions.DeleteMarkers?.map((d) => [d.Key, d.IsLatest])).toEqual([["dir/a.txt", true]]);
    expect((await failure(s3.send(new DeleteBucketCommand({ Bucket: b })))).name).toBe("BucketNotEmpty");
    const all = [...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId! }));
    const res = await s3.send(new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: all } }));
    expect([res.Deleted?.length, res.Errors]).toEqual([4, undefined]);
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket: b }))).Versions).toBeUndefined();
    await s3.send(new DeleteBucketCommand({ Bucket: b }));
    expect((await failure(s3.send(new HeadBucketCommand({ Bucket: b })))).name).toBe("NotFound");
  });
});

describe("cross-account artifacts with the portal's documents", () => {
  const spec = {
    onboardingId: "onb_x1",
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
  let store: ArtifactStore;
  let xs3: S3Client;
  let keyId: string;
  let pipelineRole: string;
  let xRole: string;
  const denied = (action: string, resource: string, why: string) =>
    `User: arn:aws:sts::${B}:assumed-role/${names.roles.crossAccount.name}/source is not authorized to perform: ${action} on resource: ${resource} ${why}`;

  beforeAll(async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    keyId = key.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: names.artifactStore.kmsAlias, TargetKeyId: keyId }));
    store = { bucketName: names.artifactStore.bucketName, keyArn: key.Arn!, keyAlias: names.artifactStore.kmsAlias };
    const inputs = bucketSettingsInputs(store, "us-east-1");
    await s3.send(new CreateBucketCommand(inputs.createBucket as CreateBucketCommandInput)).catch(() => undefined);
    await s3.send(new PutBucketEncryptionCommand(inputs.encryption));
    await s3.send(new PutBucketVersioningCommand(inputs.versioning));
    pipelineRole = await createRole(h, A, names.roles.pipeline.name, [], "/portal/");
    xRole = await createRole(
      h,
      B,
      names.roles.crossAccount.name,
      crossAccountRolePermissionPolicy(spec, names, store).Statement as object[],
      "/portal/",
    );
    await kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: JSON.stringify(keyPolicyFor(undefined, spec, names, store)) }));
    await s3.send(
      new PutBucketPolicyCommand({ Bucket: store.bucketName, Policy: JSON.stringify(bucketPolicyFor(undefined, spec, names, store)) }),
    );
    xs3 = kmsS3(h, await assume(h, xRole, "source")).s3;
    expect(pipelineRole).toBe(names.roles.pipeline.arn);
  });

  const put = (extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {}) =>
    xs3.send(
      new PutObjectCommand({
        Bucket: store.bucketName,
        Key: "demo/source.zip",
        Body: "zip",
        ServerSideEncryption: "aws:kms",
        SSEKMSKeyId: store.keyArn,
        ...extra,
      }),
    );

  it("allowed when identity policy, bucket policy and key policy all allow; reads need kms:Decrypt", async () => {
    const r = await put();
    expect([r.ServerSideEncryption, r.SSEKMSKeyId]).toEqual(["aws:kms", store.keyArn]);
    const got = await xs3.send(new GetObjectCommand({ Bucket: store.bucketName, Key: "demo/source.zip" }));
    expect([await text(got.Body), got.SSEKMSKeyId]).toEqual(["zip", store.keyArn]);
    await xs3.send(new PutObjectAclCommand({ Bucket: store.bucketName, Key: "demo/source.zip", ACL: "bucket-owner-full-control" }));
    await expect(xs3.send(new HeadBucketCommand({ Bucket: store.bucketName }))).resolves.toBeDefined();
  });

  it("the bucket policy's guards deny a missing SSE header and another key (explicit deny)", async () => {
    const noSse = await failure(put({ ServerSideEncryption: undefined, SSEKMSKeyId: undefined }));
    expect([noSse.name, status(noSse)]).toEqual(["AccessDenied", 403]);
    expect(noSse.message).toBe(
      denied("s3:PutObject", `"arn:aws:s3:::${store.bucketName}/demo/source.zip"`, "with an explicit deny in a resource-based policy"),
    );
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    expect((await failure(put({ SSEKMSKeyId: other }))).message).toMatch(/with an explicit deny in a resource-based policy$/);
    expect((await failure(put({ ServerSideEncryption: "AES256", SSEKMSKeyId: undefined }))).name).toBe("AccessDenied");
  });

  it("removing each grant in turn gives AWS's AccessDenied", async () => {
    const objectArn = `"arn:aws:s3:::${store.bucketName}/demo/source.zip"`;
    // 1. identity policy (repo account role)
    await setRolePolicy(h, B, names.roles.crossAccount.name, [{ Effect: "Allow", Action: "codecommit:GetBranch", Resource: "*" }]);
    expect((await failure(put())).message).toBe(
      denied("s3:PutObject", objectArn, "because no identity-based policy allows the s3:PutObject action"),
    );
    await setRolePolicy(h, B, names.roles.crossAccount.name, crossAccountRolePermissionPolicy(spec, names, store).Statement as object[]);
    // 2. bucket policy (only the guards left)
    await s3.send(new PutBucketPolicyCommand({ Bucket: store.bucketName, Policy: JSON.stringify(initialBucketPolicy(store)) }));
    expect((await failure(put())).message).toBe(
      denied("s3:PutObject", objectArn, "because no resource-based policy allows the s3:PutObject action"),
    );
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: store.bucketName }));
    expect((await failure(put())).message).toMatch(/because no resource-based policy allows the s3:PutObject action$/);
    await s3.send(
      new PutBucketPolicyCommand({ Bucket: store.bucketName, Policy: JSON.stringify(bucketPolicyFor(undefined, spec, names, store)) }),
    );
    // 3. key policy (no grant to the repo account's role)
    await kms.send(
      new PutKeyPolicyCommand({
        KeyId: keyId,
        Policy: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: "kms:*", Resource: "*" }),
      }),
    );
    const kmsDenied = await failure(put());
    expect([kmsDenied.name, status(kmsDenied)]).toEqual(["AccessDenied", 403]);
    expect(kmsDenied.message).toBe(
      denied("kms:GenerateDataKey", store.keyArn, "because no resource-based policy allows the kms:GenerateDataKey action"),
    );
    expect((await failure(xs3.send(new GetObjectCommand({ Bucket: store.bucketName, Key: "demo/source.zip" })))).message).toBe(
      denied("kms:Decrypt", store.keyArn, "because no resource-based policy allows the kms:Decrypt action"),
    );
    await kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: JSON.stringify(keyPolicyFor(undefined, spec, names, store)) }));
    await expect(put()).resolves.toBeDefined();
  });

  it("SSE-KMS by default encryption with the AWS managed aws/s3 key cannot be used cross-account", async () => {
    const b = "aws-managed-key-bucket";
    await s3.send(new CreateBucketCommand({ Bucket: b }));
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: b,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" } }] },
      }),
    );
    const own = await s3.send(new PutObjectCommand({ Bucket: b, Key: "k", Body: "x" }));
    expect(own.SSEKMSKeyId).toMatch(new RegExp(`^arn:aws:kms:us-east-1:${A}:key/`));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: b,
        Policy: doc({ Effect: "Allow", Principal: { AWS: xRole }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${b}/*` }),
      }),
    );
    await setRolePolicy(h, B, names.roles.crossAccount.name, [{ Effect: "Allow", Action: ["s3:*", "kms:*"], Resource: "*" }]);
    try {
      const e = await failure(xs3.send(new GetObjectCommand({ Bucket: b, Key: "k" })));
      expect(e.message).toMatch(
        /kms:Decrypt on resource: arn:aws:kms:us-east-1:111111111111:key\/.* because no resource-based policy allows the kms:Decrypt action$/,
      );
    } finally {
      await setRolePolicy(h, B, names.roles.crossAccount.name, crossAccountRolePermissionPolicy(spec, names, store).Statement as object[]);
    }
  });
});

describe("faults, call log and persistence", () => {
  it("IAM propagation delay: PutBucketPolicy naming a just-created role is MalformedPolicy until visible", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "propagation-bucket" }));
    h.setFaults({ iamPropagationDelayMs: 60_000 });
    try {
      const role = await createRole(h, C, "JustCreated", []);
      const policy = doc({
        Effect: "Allow",
        Principal: { AWS: role },
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::propagation-bucket/*",
      });
      const e = await failure(s3.send(new PutBucketPolicyCommand({ Bucket: "propagation-bucket", Policy: policy })));
      expect([e.name, e.message]).toEqual(["MalformedPolicy", "Invalid principal in policy"]);
      h.setFaults({ iamPropagationDelayMs: 0 });
      await expect(s3.send(new PutBucketPolicyCommand({ Bucket: "propagation-bucket", Policy: policy }))).resolves.toBeDefined();
    } finally {
      h.setFaults({ iamPropagationDelayMs: 0 });
    }
  });

  it("the call log names S3 operations and counts only mutating ones as mutating", async () => {
    h.resetCallLog();
    await s3.send(new HeadBucketCommand({ Bucket: "propagation-bucket" }));
    await s3.send(new GetBucketPolicyCommand({ Bucket: "propagation-bucket" }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: "propagation-bucket", VersioningConfiguration: { Status: "Enabled" } }));
    expect(h.callLog.map((c) => [c.action, c.mutating, c.status])).toEqual([
      ["HeadBucket", false, 200],
      ["GetBucketPolicy", false, 200],
      ["PutBucketVersioning", true, 200],
    ]);
  });

  it("state persists across a restart", async () => {
    await s3.send(new PutObjectCommand({ Bucket: "propagation-bucket", Key: "persist.txt", Body: "kept" }));
    await h.close();
    h = await startSandbox({ port: 0, stateFile: path.join(dir, "state.json") });
    ({ s3, kms } = kmsS3(h, root(A)));
    expect(await text((await s3.send(new GetObjectCommand({ Bucket: "propagation-bucket", Key: "persist.txt" }))).Body)).toBe("kept");
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: "propagation-bucket" }))).Status).toBe("Enabled");
  });
});

describe("in-process helpers", () => {
  it("s3PutObjectAs / s3GetObjectAs authorize exactly like the wire API", async () => {
    const { emptyWorld } = await import("../state");
    const { createKeyRecord } = await import("../services/kms-store");
    const { s3State } = await import("../services/s3-store");
    const world = emptyWorld();
    const now = Date.now();
    const key = createKeyRecord(world, A, "us-east-1", now);
    s3State(world, A).buckets["helper-bucket"] = {
      name: "helper-bucket",
      owner: A,
      region: "us-east-1",
      createdAt: now,
      ownership: "BucketOwnerEnforced",
      objects: {},
    };
    const r = s3PutObjectAs(world, {
      principal: rootPrincipal(A),
      bucket: "helper-bucket",
      key: "a",
      body: "data",
      sse: { kmsKeyId: key.arn },
      now,
    });
    expect(r.kmsKeyArn).toBe(key.arn);
    expect(s3GetObjectAs(world, { principal: rootPrincipal(A), bucket: "helper-bucket", key: "a", now }).body.toString()).toBe("data");
    expect(() => s3GetObjectAs(world, { principal: rootPrincipal(B), bucket: "helper-bucket", key: "a", now })).toThrow(
      /because no resource-based policy allows the s3:GetObject action/,
    );
  });
});
