/**
 * S3 data, authorization and the object read/write core, shared with other services: CodePipeline's simulated
 * Source action writes and reads artifacts with `s3PutObjectAs` / `s3GetObjectAs`, which apply exactly the checks of
 * the wire API (identity + bucket policy, cross-account rules, SSE-KMS through `kmsUse` with the caller's principal).
 */
import { createHash, randomBytes } from "node:crypto";
import { authorize } from "../access";
import { AwsError } from "../errors";
import { registerConditionKeys } from "../policy/conditions";
import { denialMessage } from "../policy/evaluate";
import type { ConditionContext, PolicyDocument, Principal } from "../policy/types";
import { type World, globalSlice } from "../state";
import { kmsUse } from "./kms-store";
import { type PrincipalIds, storedPolicyDoc } from "./principal-ids";
import { S3Error } from "./s3-xml";

/**
 * Condition keys the sandbox fills for S3 requests. aws:SecureTransport is always "true" and s3:TlsVersion "1.3":
 * the sandbox is plain HTTP on loopback but stands in for S3's HTTPS endpoints (otherwise the usual "deny insecure
 * transport" statement would deny everything).
 */
registerConditionKeys([
  "s3:TlsVersion",
  "s3:signatureversion",
  "s3:authType",
  "s3:ResourceAccount",
  "s3:x-amz-server-side-encryption",
  "s3:x-amz-server-side-encryption-aws-kms-key-id",
  "s3:x-amz-acl",
  "s3:VersionId",
  "s3:LocationConstraint",
  "s3:x-amz-object-ownership",
  // s3:prefix, s3:delimiter, s3:max-keys, s3:x-amz-content-sha256 are not populated: conditions on them fail closed.
]);

export type Ownership = "BucketOwnerEnforced" | "BucketOwnerPreferred" | "ObjectWriter";
export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}
export interface BucketEncryption {
  sseAlgorithm: "AES256" | "aws:kms" | "aws:kms:dsse";
  kmsMasterKeyId?: string;
  bucketKeyEnabled: boolean;
}

export interface S3ObjectVersion {
  versionId: string;
  deleteMarker?: boolean;
  /** Base64; the sandbox keeps bodies small. */
  body?: string;
  size: number;
  etag: string;
  contentType?: string;
  lastModified: number;
  sse?: "AES256" | "aws:kms" | "aws:kms:dsse";
  kmsKeyArn?: string;
  bucketKeyEnabled?: boolean;
  metadata?: Record<string, string>;
  checksums?: Record<string, string>;
  /** Account that wrote the version (owner is the bucket owner under BucketOwnerEnforced). */
  writer?: string;
}

export interface Bucket {
  name: string;
  owner: string;
  region: string;
  createdAt: number;
  ownership?: Ownership;
  publicAccessBlock?: PublicAccessBlock;
  /** Undefined: S3's default SSE-S3 (AES256), as every bucket since January 2023. */
  encryption?: BucketEncryption;
  versioning?: "Enabled" | "Suspended";
  /** Bucket policy exactly as written; role principals are stored by unique id (see principal-ids.ts). */
  policy?: string;
  policyPrincipalIds?: PrincipalIds;
  tags?: { Key: string; Value: string }[];
  /** key → versions, oldest first; the last one is current. */
  objects: Record<string, S3ObjectVersion[]>;
}

export interface S3State {
  buckets: Record<string, Bucket>;
}

/** Buckets live with their owner account; names are one global namespace. */
export const s3State = (world: World, account: string) => globalSlice<S3State>(world, account, "s3", () => ({ buckets: {} }));

export function findBucket(world: World, name: string): Bucket | undefined {
  for (const a of Object.values(world.accounts)) {
    const b = (a.global.s3 as S3State | undefined)?.buckets[name];
    if (b) return b;
  }
  return undefined;
}

export const bucketArn = (name: string) => `arn:aws:s3:::${name}`;
export const objectArn = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;

export const noSuchBucket = (name: string) => new S3Error("NoSuchBucket", "The specified bucket does not exist", 404, { BucketName: name });
export const noSuchKey = (key: string, headers: Record<string, string> = {}) =>
  new S3Error("NoSuchKey", "The specified key does not exist.", 404, { Key: key }, headers);
export const invalidArgument = (message: string, name?: string, value?: string) =>
  new S3Error("InvalidArgument", message, 400, name ? { ArgumentName: name, ArgumentValue: value ?? "" } : {});

/** S3 bucket naming rules (docs/aws-domain.md#name-rules). */
export function checkBucketName(name: string): void {
  const ok =
    name.length >= 3 &&
    name.length <= 63 &&
    /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name) &&
    !name.includes("..") &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !name.startsWith("xn--") &&
    !name.startsWith("sthree-") &&
    !name.endsWith("-s3alias") &&
    !name.endsWith("--ol-s3") &&
    !name.includes(".-") &&
    !name.includes("-.");
  if (!ok) throw new S3Error("InvalidBucketName", "The specified bucket is not valid.", 400, { BucketName: name });
}

export function s3Context(bucket: Bucket | undefined, extra: ConditionContext = {}): ConditionContext {
  return {
    "s3:TlsVersion": "1.3",
    "s3:signatureversion": "AWS4-HMAC-SHA256",
    "s3:authType": "REST-HEADER",
    "s3:ResourceAccount": bucket?.owner,
    ...extra,
  };
}

/** The bucket policy as S3 evaluates it: deleted (or recreated) role principals no longer name anyone. */
export function bucketPolicyDoc(world: World, bucket: Bucket): PolicyDocument | undefined {
  return storedPolicyDoc(world, bucket.policy, bucket.policyPrincipalIds);
}

/**
 * AWS's S3 rule: same account → identity policy OR bucket policy allows; cross-account → both; explicit deny in
 * either wins. Throws 403 AccessDenied with AWS's wording.
 */
export function authorizeS3(
  world: World,
  p: Principal,
  action: string,
  resource: string,
  bucket: Bucket,
  o: { now: number; context?: ConditionContext },
): void {
  const r = authorize(world, p, action, resource, {
    resourcePolicy: bucketPolicyDoc(world, bucket),
    resourceAccount: bucket.owner,
    context: s3Context(bucket, o.context),
    now: o.now,
    region: bucket.region,
  });
  if (r.decision !== "allow") throw new S3Error("AccessDenied", denialMessage(p.arn, action, `"${resource}"`, r), 403);
}

export function isAllowedS3(world: World, p: Principal, action: string, resource: string, bucket: Bucket, now: number): boolean {
  return (
    authorize(world, p, action, resource, {
      resourcePolicy: bucketPolicyDoc(world, bucket),
      resourceAccount: bucket.owner,
      context: s3Context(bucket),
      now,
      region: bucket.region,
    }).decision === "allow"
  );
}

export const newVersionId = () => randomBytes(24).toString("base64url").slice(0, 32);
export const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");

/** Surface a KMS failure the way S3 does: AccessDenied keeps KMS's message; other errors become KMS.<code>. */
function viaKms<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof AwsError && !(e instanceof S3Error)) {
      if (e.code === "AccessDenied") throw new S3Error("AccessDenied", e.message, 403);
      throw new S3Error(`KMS.${e.code}`, e.message, 400);
    }
    throw e;
  }
}

export interface SseRequest {
  /** x-amz-server-side-encryption */
  algorithm?: string;
  /** x-amz-server-side-encryption-aws-kms-key-id */
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
}

export interface PutObjectRequest {
  principal: Principal;
  bucket: string;
  key: string;
  body: Buffer;
  sse?: SseRequest;
  contentType?: string;
  metadata?: Record<string, string>;
  checksums?: Record<string, string>;
  /** x-amz-acl, if any (needs s3:PutObjectAcl; only bucket-owner-full-control under BucketOwnerEnforced). */
  acl?: string;
  now: number;
  /** Request region: a bucket in another region answers 301 PermanentRedirect (not checked when omitted). */
  region?: string;
}

export function bucketForRequest(world: World, name: string, region: string | undefined): Bucket {
  const bucket = findBucket(world, name);
  if (!bucket) throw noSuchBucket(name);
  if (region && bucket.region !== region) {
    throw new S3Error(
      "PermanentRedirect",
      "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
      301,
      { Bucket: name, Endpoint: `s3.${bucket.region}.amazonaws.com` },
      { "x-amz-bucket-region": bucket.region },
    );
  }
  return bucket;
}

export function checkAclAllowed(bucket: Bucket, acl: string | undefined): void {
  if (acl === undefined) return;
  const canned = [
    "private",
    "public-read",
    "public-read-write",
    "authenticated-read",
    "aws-exec-read",
    "bucket-owner-read",
    "bucket-owner-full-control",
    "log-delivery-write",
  ];
  if (!canned.includes(acl)) throw invalidArgument("", "x-amz-acl", acl);
  if (bucket.publicAccessBlock?.BlockPublicAcls && ["public-read", "public-read-write", "authenticated-read"].includes(acl))
    throw new S3Error("AccessDenied", "Access Denied", 403);
  if (bucket.ownership === "BucketOwnerEnforced" && acl !== "bucket-owner-full-control")
    throw new S3Error("AccessControlListNotSupported", "The bucket does not allow ACLs", 400);
}

/** Versioning-aware insert; returns the stored version. */
export function storeVersion(bucket: Bucket, key: string, v: S3ObjectVersion): S3ObjectVersion {
  const list = (bucket.objects[key] ??= []);
  if (bucket.versioning !== "Enabled") {
    v.versionId = "null";
    const i = list.findIndex((x) => x.versionId === "null");
    if (i >= 0) list.splice(i, 1);
  }
  list.push(v);
  return v;
}

export interface PutObjectResult {
  version: S3ObjectVersion;
  bucket: Bucket;
}

/** PutObject core: authorization (s3:PutObject [+ s3:PutObjectAcl]), encryption choice, KMS GenerateDataKey, versioning. */
export function putObject(world: World, r: PutObjectRequest): PutObjectResult {
  const bucket = bucketForRequest(world, r.bucket, r.region);
  const resource = objectArn(bucket.name, r.key);
  if (!r.key) throw invalidArgument("Object key must not be empty");
  if (r.key.length > 1024) throw new S3Error("KeyTooLongError", "Your key is too long", 400);
  const alg = r.sse?.algorithm;
  if (alg !== undefined && !["AES256", "aws:kms", "aws:kms:dsse"].includes(alg))
    throw invalidArgument("The encryption method specified is not supported", "x-amz-server-side-encryption", alg);
  if (r.sse?.kmsKeyId !== undefined && alg !== "aws:kms" && alg !== "aws:kms:dsse")
    throw invalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms");
  const context: ConditionContext = {
    "s3:x-amz-server-side-encryption": alg,
    "s3:x-amz-server-side-encryption-aws-kms-key-id": r.sse?.kmsKeyId,
    "s3:x-amz-acl": r.acl,
  };
  authorizeS3(world, r.principal, "s3:PutObject", resource, bucket, { now: r.now, context });
  if (r.acl !== undefined) {
    authorizeS3(world, r.principal, "s3:PutObjectAcl", resource, bucket, { now: r.now, context });
    checkAclAllowed(bucket, r.acl);
  }
  // Effective encryption: the request headers, else the bucket default (SSE-S3 when none is configured).
  let sse: S3ObjectVersion["sse"] = "AES256";
  let keyRef: string | undefined;
  let bucketKey = false;
  if (alg) {
    sse = alg as S3ObjectVersion["sse"];
    if (alg !== "AES256") keyRef = r.sse?.kmsKeyId ?? "alias/aws/s3";
    bucketKey =
      r.sse?.bucketKeyEnabled ??
      (alg === "aws:kms" && !!bucket.encryption?.bucketKeyEnabled && bucket.encryption.sseAlgorithm === "aws:kms");
  } else if (bucket.encryption && bucket.encryption.sseAlgorithm !== "AES256") {
    sse = bucket.encryption.sseAlgorithm;
    keyRef = bucket.encryption.kmsMasterKeyId ?? "alias/aws/s3";
    bucketKey = r.sse?.bucketKeyEnabled ?? bucket.encryption.bucketKeyEnabled;
  }
  let kmsKeyArn: string | undefined;
  if (keyRef) {
    const key = viaKms(() =>
      kmsUse(world, {
        principal: r.principal,
        action: "kms:GenerateDataKey",
        keyArnOrAlias: keyRef!,
        region: bucket.region,
        account: r.principal.account ?? bucket.owner,
        now: r.now,
        viaService: `s3.${bucket.region}.amazonaws.com`,
        encryptionContext: { "aws:s3:arn": bucketKey ? bucketArn(bucket.name) : resource },
      }),
    );
    kmsKeyArn = key.arn;
  }
  const version = storeVersion(bucket, r.key, {
    versionId: newVersionId(),
    body: r.body.toString("base64"),
    size: r.body.length,
    etag: `"${md5(r.body)}"`,
    contentType: r.contentType,
    lastModified: r.now,
    sse,
    kmsKeyArn,
    bucketKeyEnabled: keyRef ? bucketKey : undefined,
    metadata: r.metadata && Object.keys(r.metadata).length ? r.metadata : undefined,
    checksums: r.checksums && Object.keys(r.checksums).length ? r.checksums : undefined,
    writer: r.principal.account,
  });
  return { version, bucket };
}

export interface GetObjectRequest {
  principal: Principal;
  bucket: string;
  key: string;
  versionId?: string;
  now: number;
  region?: string;
  /** HeadObject: same checks, but the caller only gets metadata (KMS Decrypt is still required, as in AWS). */
  head?: boolean;
}

export function findVersion(bucket: Bucket, key: string, versionId: string | undefined): S3ObjectVersion | undefined {
  const list = bucket.objects[key];
  if (!list?.length) return undefined;
  return versionId === undefined ? list[list.length - 1] : list.find((v) => v.versionId === versionId);
}

/** GetObject core: s3:GetObject(Version), 403 instead of 404 without s3:ListBucket, delete markers, KMS Decrypt. */
export function getObject(world: World, r: GetObjectRequest): { version: S3ObjectVersion; bucket: Bucket; body: Buffer } {
  const bucket = bucketForRequest(world, r.bucket, r.region);
  const resource = objectArn(bucket.name, r.key);
  const action = r.versionId !== undefined ? "s3:GetObjectVersion" : "s3:GetObject";
  authorizeS3(world, r.principal, action, resource, bucket, { now: r.now, context: { "s3:VersionId": r.versionId } });
  if (r.versionId !== undefined && r.versionId !== "null" && !/^[A-Za-z0-9._-]{1,1024}$/.test(r.versionId))
    throw invalidArgument("Invalid version id specified", "versionId", r.versionId);
  const v = findVersion(bucket, r.key, r.versionId);
  if (!v || (v.deleteMarker && r.versionId === undefined)) {
    // Without s3:ListBucket S3 does not reveal whether the key exists.
    authorizeS3(world, r.principal, "s3:ListBucket", bucketArn(bucket.name), bucket, { now: r.now });
    if (!v && r.versionId !== undefined)
      throw new S3Error("NoSuchVersion", "The specified version does not exist.", 404, { Key: r.key, VersionId: r.versionId });
    throw noSuchKey(r.key, v ? { "x-amz-delete-marker": "true", "x-amz-version-id": v.versionId } : {});
  }
  if (v.deleteMarker) {
    throw new S3Error(
      "MethodNotAllowed",
      "The specified method is not allowed against this resource.",
      405,
      { Method: r.head ? "HEAD" : "GET", ResourceType: "DeleteMarker" },
      { "x-amz-delete-marker": "true", "x-amz-version-id": v.versionId },
    );
  }
  if (v.kmsKeyArn) {
    viaKms(() =>
      kmsUse(world, {
        principal: r.principal,
        action: "kms:Decrypt",
        keyArnOrAlias: v.kmsKeyArn!,
        region: bucket.region,
        account: r.principal.account ?? bucket.owner,
        now: r.now,
        viaService: `s3.${bucket.region}.amazonaws.com`,
        encryptionContext: { "aws:s3:arn": v.bucketKeyEnabled ? bucketArn(bucket.name) : resource },
      }),
    );
  }
  return { version: v, bucket, body: Buffer.from(v.body ?? "", "base64") };
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers for other sandbox services
// ---------------------------------------------------------------------------------------------------------------

export interface S3PutObjectAsRequest {
  principal: Principal;
  bucket: string;
  key: string;
  body: Buffer | string;
  /** SSE-KMS with this key (ARN, id or alias; ids/aliases resolve in the principal's account). Omitted: bucket default. */
  sse?: { kmsKeyId?: string; algorithm?: "aws:kms" | "AES256" };
  now: number;
  region?: string;
  acl?: string;
}

/** PutObject on behalf of `principal` with every check of the wire API. Throws the S3 error (AwsError/S3Error). */
export function s3PutObjectAs(world: World, r: S3PutObjectAsRequest): { versionId?: string; etag: string; kmsKeyArn?: string } {
  const sse: SseRequest | undefined = r.sse
    ? { algorithm: r.sse.algorithm ?? (r.sse.kmsKeyId ? "aws:kms" : undefined), kmsKeyId: r.sse.kmsKeyId }
    : undefined;
  const { version, bucket } = putObject(world, {
    principal: r.principal,
    bucket: r.bucket,
    key: r.key,
    body: typeof r.body === "string" ? Buffer.from(r.body, "utf8") : r.body,
    sse,
    now: r.now,
    region: r.region,
    acl: r.acl,
  });
  return { versionId: bucket.versioning ? version.versionId : undefined, etag: version.etag, kmsKeyArn: version.kmsKeyArn };
}

/** GetObject on behalf of `principal` with every check of the wire API (incl. kms:Decrypt). */
export function s3GetObjectAs(
  world: World,
  r: { principal: Principal; bucket: string; key: string; versionId?: string; now: number; region?: string },
): { body: Buffer; versionId?: string; etag: string; kmsKeyArn?: string } {
  const { version, bucket, body } = getObject(world, r);
  return { body, versionId: bucket.versioning ? version.versionId : undefined, etag: version.etag, kmsKeyArn: version.kmsKeyArn };
}
