/**
 * S3 ownership and quota rules over the wire (sandbox/README.md "Quotas and ownership"): bucket-policy APIs only for
 * the owner's account, ExpectedBucketOwner, the bucket quota, ListBuckets paging, tags on CreateBucket, the 20 KB
 * bucket-policy quota, and role principals stored by unique id.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DeleteRoleCommand, DeleteRolePolicyCommand } from "@aws-sdk/client-iam";
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  paginateListBuckets,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../index";
import type { Bucket } from "../services/s3-store";
import { emptyWorld, ensureAccount } from "../state";
import { clients, failure, root } from "./clients";
import { assume, createRole, kmsS3 } from "./kms-s3-clients";

const A = "111111111111";
const B = "222222222222";
let dir: string;
let h: SandboxHandle;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "sandbox-s3-own-"));
  h = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const s3Of = (account: string) => kmsS3(h, root(account)).s3;
const policy = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const openPublicBlock = (s3: ReturnType<typeof s3Of>, Bucket: string) =>
  s3.send(
    new PutPublicAccessBlockCommand({
      Bucket,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      },
    }),
  );
const deleteRole = async (account: string, name: string) => {
  const iam = clients(h, root(account)).iam;
  await iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: "inline" })).catch(() => undefined);
  await iam.send(new DeleteRoleCommand({ RoleName: name }));
};

describe("bucket policy APIs belong to the bucket owner's account", () => {
  it("another account gets 405 MethodNotAllowed on Get/Put/DeleteBucketPolicy even when both policies allow it; 403 without permission", async () => {
    const a = s3Of(A);
    await a.send(new CreateBucketCommand({ Bucket: "own-policy-a" }));
    const grant = policy({
      Sid: "B",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${B}:root` },
      Action: ["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"],
      Resource: "arn:aws:s3:::own-policy-a",
    });
    await a.send(new PutBucketPolicyCommand({ Bucket: "own-policy-a", Policy: grant }));
    const b = s3Of(B); // B's root: its identity allows everything in B; the bucket policy allows B's account
    for (const call of [
      () => b.send(new GetBucketPolicyCommand({ Bucket: "own-policy-a" })),
      () => b.send(new PutBucketPolicyCommand({ Bucket: "own-policy-a", Policy: grant })),
      () => b.send(new DeleteBucketPolicyCommand({ Bucket: "own-policy-a" })),
    ]) {
      const e = await failure(call());
      expect(e.name).toBe("MethodNotAllowed");
      expect(e.$metadata?.httpStatusCode).toBe(405);
      expect(e.message).toBe("The specified method is not allowed against this resource.");
    }
    // Without the grant, the permission check answers first: 403.
    await a.send(
      new PutBucketPolicyCommand({
        Bucket: "own-policy-a",
        Policy: policy({
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${A}:root` },
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::own-policy-a/*",
        }),
      }),
    );
    const denied = await failure(b.send(new GetBucketPolicyCommand({ Bucket: "own-policy-a" })));
    expect(denied.name).toBe("AccessDenied");
    expect(denied.$metadata?.httpStatusCode).toBe(403);
    // The owner still reads it.
    expect(JSON.parse((await a.send(new GetBucketPolicyCommand({ Bucket: "own-policy-a" }))).Policy!).Statement[0].Action).toBe(
      "s3:GetObject",
    );
  });

  it("the owner's root manages the bucket policy even when the policy denies it; the owner's roles do not", async () => {
    const a = s3Of(A);
    await a.send(new CreateBucketCommand({ Bucket: "own-policy-lockout" }));
    const admin = await createRole(h, A, "BucketAdmin", [{ Effect: "Allow", Action: "s3:*", Resource: "*" }]);
    const lockout = policy({
      Effect: "Deny",
      Principal: { AWS: [`arn:aws:iam::${A}:root`, admin] },
      Action: ["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"],
      Resource: "arn:aws:s3:::own-policy-lockout",
    });
    await a.send(new PutBucketPolicyCommand({ Bucket: "own-policy-lockout", Policy: lockout }));
    const asAdmin = kmsS3(h, await assume(h, admin)).s3;
    expect((await failure(asAdmin.send(new GetBucketPolicyCommand({ Bucket: "own-policy-lockout" })))).name).toBe("AccessDenied");
    expect(JSON.parse((await a.send(new GetBucketPolicyCommand({ Bucket: "own-policy-lockout" }))).Policy!).Statement[0].Effect).toBe(
      "Deny",
    );
    await a.send(new DeleteBucketPolicyCommand({ Bucket: "own-policy-lockout" }));
    await expect(asAdmin.send(new PutBucketPolicyCommand({ Bucket: "own-policy-lockout", Policy: lockout }))).resolves.toBeDefined();
  });
});

describe("ExpectedBucketOwner", () => {
  it("a request naming another owner is refused with 403 on bucket and object operations, even when the bucket policy allows the caller", async () => {
    const b = s3Of(B);
    await b.send(new CreateBucketCommand({ Bucket: "look-alike-artifacts" }));
    await openPublicBlock(b, "look-alike-artifacts");
    // The attacker's bucket welcomes everyone: without ExpectedBucketOwner the victim would write into it.
    await b.send(
      new PutBucketPolicyCommand({
        Bucket: "look-alike-artifacts",
        Policy: policy({
          Effect: "Allow",
          Principal: "*",
          Action: ["s3:PutObject", "s3:GetObject", "s3:ListBucket"],
          Resource: ["arn:aws:s3:::look-alike-artifacts", "arn:aws:s3:::look-alike-artifacts/*"],
        }),
      }),
    );
    const a = s3Of(A);
    await expect(a.send(new PutObjectCommand({ Bucket: "look-alike-artifacts", Key: "k", Body: "x" }))).resolves.toBeDefined();
    for (const call of [
      () => a.send(new PutObjectCommand({ Bucket: "look-alike-artifacts", Key: "k", Body: "x", ExpectedBucketOwner: A })),
      () => a.send(new GetObjectCommand({ Bucket: "look-alike-artifacts", Key: "k", ExpectedBucketOwner: A })),
      () => a.send(new ListObjectsV2Command({ Bucket: "look-alike-artifacts", ExpectedBucketOwner: A })),
      () => a.send(new GetBucketPolicyCommand({ Bucket: "look-alike-artifacts", ExpectedBucketOwner: A })),
    ]) {
      const e = await failure(call());
      expect(e.name).toBe("AccessDenied");
      expect(e.$metadata?.httpStatusCode).toBe(403);
    }
    const head = await failure(a.send(new HeadBucketCommand({ Bucket: "look-alike-artifacts", ExpectedBucketOwner: A })));
    expect(head.$metadata?.httpStatusCode).toBe(403);
    // The right owner passes.
    await expect(a.send(new GetObjectCommand({ Bucket: "look-alike-artifacts", Key: "k", ExpectedBucketOwner: B }))).resolves.toBeDefined();
    await expect(b.send(new HeadBucketCommand({ Bucket: "look-alike-artifacts", ExpectedBucketOwner: B }))).resolves.toBeDefined();
  });
});

describe("bucket quota, ListBuckets paging, tags on creation", () => {
  it("the 10,001st general purpose bucket of an account is refused with TooManyBuckets (400)", async () => {
    const D = "444444444444";
    const world = emptyWorld();
    const buckets: Record<string, Bucket> = {};
    for (let n = 0; n < 10_000; n++) buckets[`full-${n}`] = { name: `full-${n}`, owner: D, region: "us-east-1", createdAt: 0, objects: {} };
    ensureAccount(world, D).global.s3 = { buckets };
    const stateFile = path.join(dir, "full.json");
    writeFileSync(stateFile, JSON.stringify(world));
    const full = await startSandbox({ port: 0, stateFile });
    try {
      const s3 = kmsS3(full, root(D)).s3;
      const e = await failure(s3.send(new CreateBucketCommand({ Bucket: "one-too-many" })));
      expect(e.name).toBe("TooManyBuckets");
      expect(e.$metadata?.httpStatusCode).toBe(400);
      expect(e.message).toBe("You have attempted to create more buckets than allowed.");
      // Another account is not affected.
      await expect(kmsS3(full, root(A)).s3.send(new CreateBucketCommand({ Bucket: "one-too-many" }))).resolves.toBeDefined();
    } finally {
      await full.close();
    }
  });

  it("ListBuckets pages with MaxBuckets/ContinuationToken and filters by Prefix and BucketRegion", async () => {
    const E = "555555555555";
    const s3 = s3Of(E);
    for (const n of ["pg-a", "pg-b", "pg-c", "pg-d", "other-x"]) await s3.send(new CreateBucketCommand({ Bucket: n }));
    await kmsS3(h, root(E), "eu-west-1").s3.send(
      new CreateBucketCommand({ Bucket: "pg-eu", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }),
    );
    const first = await s3.send(new ListBucketsCommand({ MaxBuckets: 2, Prefix: "pg-" }));
    expect(first.Buckets?.map((b) => b.Name)).toEqual(["pg-a", "pg-b"]);
    expect(first.Prefix).toBe("pg-");
    expect(first.ContinuationToken).toBeTruthy();
    const second = await s3.send(new ListBucketsCommand({ MaxBuckets: 2, Prefix: "pg-", ContinuationToken: first.ContinuationToken }));
    expect(second.Buckets?.map((b) => b.Name)).toEqual(["pg-c", "pg-d"]);
    const third = await s3.send(new ListBucketsCommand({ MaxBuckets: 2, Prefix: "pg-", ContinuationToken: second.ContinuationToken }));
    expect(third.Buckets?.map((b) => b.Name)).toEqual(["pg-eu"]);
    expect(third.ContinuationToken).toBeUndefined();
    const eu = await s3.send(new ListBucketsCommand({ BucketRegion: "eu-west-1" }));
    expect(eu.Buckets?.map((b) => [b.Name, b.BucketRegion])).toEqual([["pg-eu", "eu-west-1"]]);
    expect((await s3.send(new ListBucketsCommand({}))).Buckets).toHaveLength(6);
    expect((await failure(s3.send(new ListBucketsCommand({ MaxBuckets: 0 })))).name).toBe("InvalidArgument");
  });

  it("1,000 buckets of one account (one per onboarding) page through the SDK's ListBuckets paginator, and each answers HeadBucket", async () => {
    const F = "777777777777";
    const world = emptyWorld();
    const buckets: Record<string, Bucket> = {};
    const name = (n: number) => `codepipeline-artifacts-${F}-us-east-1-${n.toString(16).padStart(8, "0")}`;
    for (let n = 0; n < 1000; n++) buckets[name(n)] = { name: name(n), owner: F, region: "us-east-1", createdAt: 0, objects: {} };
    ensureAccount(world, F).global.s3 = { buckets };
    const stateFile = path.join(dir, "thousand.json");
    writeFileSync(stateFile, JSON.stringify(world));
    const many = await startSandbox({ port: 0, stateFile });
    try {
      const s3 = kmsS3(many, root(F)).s3;
      const pages: number[] = [];
      const seen: string[] = [];
      for await (const page of paginateListBuckets({ client: s3, pageSize: 100 }, { Prefix: `codepipeline-artifacts-${F}-` })) {
        pages.push(page.Buckets?.length ?? 0);
        seen.push(...(page.Buckets ?? []).map((b) => b.Name!));
      }
      expect(pages).toEqual(Array(10).fill(100));
      expect(seen).toEqual(Object.keys(buckets).sort());
      await expect(s3.send(new HeadBucketCommand({ Bucket: name(999), ExpectedBucketOwner: F }))).resolves.toBeDefined();
    } finally {
      await many.close();
    }
  });

  it("CreateBucket stores CreateBucketConfiguration.Tags and needs s3:TagResource for them", async () => {
    const s3 = s3Of(A);
    const Tags = [
      { Key: "portal:managed-by", Value: "crossline-portal" },
      { Key: "portal:onboarding", Value: "onb_1" },
    ];
    await s3.send(new CreateBucketCommand({ Bucket: "tagged-at-birth", CreateBucketConfiguration: { Tags } }));
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: "tagged-at-birth" }))).TagSet).toEqual(Tags);
    const creator = await createRole(h, A, "BucketCreatorNoTag", [{ Effect: "Allow", Action: "s3:CreateBucket", Resource: "*" }]);
    const c = kmsS3(h, await assume(h, creator)).s3;
    const e = await failure(c.send(new CreateBucketCommand({ Bucket: "tagged-denied", CreateBucketConfiguration: { Tags } })));
    expect(e.name).toBe("AccessDenied");
    expect(e.message).toContain("s3:TagResource");
    await expect(c.send(new CreateBucketCommand({ Bucket: "untagged-allowed" }))).resolves.toBeDefined();
  });
});

describe("bucket policy size", () => {
  const statement = (n: number) => ({
    Sid: `s${n}`,
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${A}:root` },
    Action: "s3:GetObject",
    Resource: `arn:aws:s3:::size-check/p${n}/*`,
  });
  /** A policy whose minified JSON is exactly `bytes` long (padding in the last Sid). */
  function minifiedOf(bytes: number) {
    const doc = { Version: "2012-10-17", Statement: [] as ReturnType<typeof statement>[] };
    for (let n = 0; JSON.stringify(doc).length + JSON.stringify(statement(n)).length + 1 < bytes - 50; n++)
      doc.Statement.push(statement(n));
    const last = statement(9999);
    doc.Statement.push(last);
    last.Sid += "x".repeat(bytes - JSON.stringify(doc).length);
    return doc;
  }

  it("20 KB counts the document without insignificant whitespace: 20,480 bytes pretty-printed pass, 20,481 do not", async () => {
    const s3 = s3Of(A);
    await s3.send(new CreateBucketCommand({ Bucket: "size-check" }));
    const fits = minifiedOf(20_480);
    expect(JSON.stringify(fits).length).toBe(20_480);
    const pretty = JSON.stringify(fits, null, 2);
    expect(pretty.length).toBeGreaterThan(20_480);
    await expect(s3.send(new PutBucketPolicyCommand({ Bucket: "size-check", Policy: pretty }))).resolves.toBeDefined();
    const tooBig = minifiedOf(20_481);
    const e = await failure(s3.send(new PutBucketPolicyCommand({ Bucket: "size-check", Policy: JSON.stringify(tooBig) })));
    expect(e.name).toBe("PolicyTooLarge");
    expect(e.$metadata?.httpStatusCode).toBe(400);
  });
});

describe("role principals in bucket policies are stored by unique id", () => {
  it("a deleted role reads back as its AROA id, a recreated role is not granted, and the read-back policy cannot be put again", async () => {
    const s3 = s3Of(A);
    await s3.send(new CreateBucketCommand({ Bucket: "principal-ids" }));
    await s3.send(new PutObjectCommand({ Bucket: "principal-ids", Key: "artifact.zip", Body: "zip" }));
    const reader = await createRole(h, A, "ArtifactReader", []);
    const written = policy({
      Sid: "Reader",
      Effect: "Allow",
      Principal: { AWS: reader },
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::principal-ids/*",
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: "principal-ids", Policy: written }));
    // Same account: the bucket policy alone grants the role.
    await expect(
      kmsS3(h, await assume(h, reader)).s3.send(new GetObjectCommand({ Bucket: "principal-ids", Key: "artifact.zip" })),
    ).resolves.toBeDefined();
    expect(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: "principal-ids" }))).Policy!).Statement[0].Principal.AWS).toBe(
      reader,
    );

    await deleteRole(A, "ArtifactReader");
    const shown = (await s3.send(new GetBucketPolicyCommand({ Bucket: "principal-ids" }))).Policy!;
    expect(JSON.parse(shown).Statement[0].Principal.AWS).toMatch(/^AROA[A-Z0-9]{17}$/);

    await createRole(h, A, "ArtifactReader", []);
    const again = await failure(
      kmsS3(h, await assume(h, reader)).s3.send(new GetObjectCommand({ Bucket: "principal-ids", Key: "artifact.zip" })),
    );
    expect(again.name).toBe("AccessDenied");

    const refused = await failure(s3.send(new PutBucketPolicyCommand({ Bucket: "principal-ids", Policy: shown })));
    expect(refused.name).toBe("MalformedPolicy");
    expect(refused.message).toBe("Invalid principal in policy");
    // Writing the ARN again binds the new role.
    await s3.send(new PutBucketPolicyCommand({ Bucket: "principal-ids", Policy: written }));
    await expect(
      kmsS3(h, await assume(h, reader)).s3.send(new GetObjectCommand({ Bucket: "principal-ids", Key: "artifact.zip" })),
    ).resolves.toBeDefined();
  });

  it("account root + ArnEquals aws:PrincipalArn (ADF's pattern) survives deletion and recreation of the role", async () => {
    const s3 = s3Of(A);
    await s3.send(new CreateBucketCommand({ Bucket: "principal-arn" }));
    await s3.send(new PutObjectCommand({ Bucket: "principal-arn", Key: "a", Body: "a" }));
    const pipelineRole = await createRole(h, B, "PipelineRoleX", [
      { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::principal-arn/*" },
    ]);
    const written = policy({
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${B}:root` },
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::principal-arn/*",
      Condition: { ArnEquals: { "aws:PrincipalArn": pipelineRole } },
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: "principal-arn", Policy: written }));
    await expect(
      kmsS3(h, await assume(h, pipelineRole)).s3.send(new GetObjectCommand({ Bucket: "principal-arn", Key: "a" })),
    ).resolves.toBeDefined();
    await deleteRole(B, "PipelineRoleX");
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: "principal-arn" }))).Policy).toBe(written);
    await createRole(h, B, "PipelineRoleX", [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::principal-arn/*" }]);
    await expect(
      kmsS3(h, await assume(h, pipelineRole)).s3.send(new GetObjectCommand({ Bucket: "principal-arn", Key: "a" })),
    ).resolves.toBeDefined();
    // Another role of B is not let in.
    const other = await createRole(h, B, "OtherRoleX", [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }]);
    expect(
      (await failure(kmsS3(h, await assume(h, other)).s3.send(new GetObjectCommand({ Bucket: "principal-arn", Key: "a" })))).name,
    ).toBe("AccessDenied");
  });
});
