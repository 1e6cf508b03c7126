/**
 * S3 (REST-XML, path-style `/<bucket>/<key>` with query sub-resources). Requests are routed by method + sub-resource
 * to the operations of s3-buckets.ts, s3-policies.ts, s3-encryption.ts, s3-listing.ts and s3-objects.ts; each declares `mutating` and its IAM action like every other service, and authorizes in
 * its handler with identity + bucket policy (s3-store.ts).
 */
import { AwsError, missingAuth } from "../errors";
import type { WireResponse } from "../protocols/types";
import { type OpContext, type RawRequest, defineService } from "../registry";
import { findBucket, type S3State } from "./s3-store";
import { S3Error, renderS3Error } from "./s3-xml";
import { peekGlobal } from "../state";
import type { ResourceTagLookup } from "../resource-tags";
import { header } from "./s3-ops";
import { bucketOperations } from "./s3-buckets";
import { policyOperations } from "./s3-policies";
import { encryptionOperations } from "./s3-encryption";
import { listingOperations } from "./s3-listing";
import { objectOperations } from "./s3-objects";

export { s3GetObjectAs, s3PutObjectAs } from "./s3-store";

const S3_OPERATIONS = { ...bucketOperations, ...policyOperations, ...encryptionOperations, ...listingOperations, ...objectOperations };

export type S3OperationName = keyof typeof S3_OPERATIONS;

const BUCKET_SUBRESOURCES: Record<string, Partial<Record<string, S3OperationName>>> = {
  ownershipControls: { PUT: "PutBucketOwnershipControls", GET: "GetBucketOwnershipControls", DELETE: "DeleteBucketOwnershipControls" },
  publicAccessBlock: { PUT: "PutPublicAccessBlock", GET: "GetPublicAccessBlock", DELETE: "DeletePublicAccessBlock" },
  encryption: { PUT: "PutBucketEncryption", GET: "GetBucketEncryption", DELETE: "DeleteBucketEncryption" },
  versioning: { PUT: "PutBucketVersioning", GET: "GetBucketVersioning" },
  policy: { PUT: "PutBucketPolicy", GET: "GetBucketPolicy", DELETE: "DeleteBucketPolicy" },
  tagging: { PUT: "PutBucketTagging", GET: "GetBucketTagging", DELETE: "DeleteBucketTagging" },
  location: { GET: "GetBucketLocation" },
  versions: { GET: "ListObjectVersions" },
  delete: { POST: "DeleteObjects" },
};
/** Sub-resources the sandbox knows to exist but does not implement (answered 501 rather than misrouted). */
const UNIMPLEMENTED = [
  "acl",
  "cors",
  "lifecycle",
  "logging",
  "notification",
  "replication",
  "website",
  "policyStatus",
  "object-lock",
  "uploads",
  "uploadId",
  "accelerate",
  "requestPayment",
  "analytics",
  "metrics",
  "inventory",
  "intelligent-tiering",
  "attributes",
  "retention",
  "legal-hold",
  "restore",
  "select",
  "torrent",
  "partNumber",
];

/** Path-style request → operation name, bucket and key. Undefined op: not implemented. */
export function routeS3(method: string, path: string, query: URLSearchParams): { op?: S3OperationName; bucket: string; key: string } {
  const trimmed = path.replace(/^\/+/, "");
  const slash = trimmed.indexOf("/");
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const bucket = dec(slash < 0 ? trimmed : trimmed.slice(0, slash));
  const key = slash < 0 ? "" : dec(trimmed.slice(slash + 1));
  if (!bucket) return { op: method === "GET" ? "ListBuckets" : undefined, bucket, key };
  if (!key) {
    for (const [sub, ops] of Object.entries(BUCKET_SUBRESOURCES)) if (query.has(sub)) return { op: ops[method], bucket, key };
    if (UNIMPLEMENTED.some((s) => query.has(s))) return { bucket, key };
    const plain: Record<string, S3OperationName> = { PUT: "CreateBucket", HEAD: "HeadBucket", DELETE: "DeleteBucket" };
    if (method === "GET") return { op: query.get("list-type") === "2" ? "ListObjectsV2" : "ListObjects", bucket, key };
    return { op: plain[method], bucket, key };
  }
  if (query.has("acl")) return { op: method === "PUT" ? "PutObjectAcl" : method === "GET" ? "GetObjectAcl" : undefined, bucket, key };
  if (UNIMPLEMENTED.some((s) => query.has(s)) || query.has("tagging")) return { bucket, key };
  const plain: Record<string, S3OperationName> = { PUT: "PutObject", GET: "GetObject", HEAD: "HeadObject", DELETE: "DeleteObject" };
  return { op: plain[method], bucket, key };
}

/**
 * `x-amz-expected-bucket-owner` (ExpectedBucketOwner) on any bucket or object request: a bucket of another account
 * answers 403 Access Denied (S3 API reference, ExpectedBucketOwner). CreateBucket and ListBuckets have no such member.
 */
function checkExpectedOwner(req: RawRequest, op: S3OperationName, bucket: string, ctx: OpContext): void {
  const expected = header(req, "x-amz-expected-bucket-owner");
  if (expected === undefined || !bucket || op === "CreateBucket" || op === "ListBuckets") return;
  const b = findBucket(ctx.world, bucket);
  if (b && b.owner !== expected) throw new S3Error("AccessDenied", "Access Denied", 403);
}

/** aws:ResourceTag/<k> of buckets (one global namespace: the owner account holds the bucket). */
const resourceTags: ResourceTagLookup[] = [
  {
    arn: /^arn:aws:s3:::([^/]+)$/,
    tags: (world, m) => {
      for (const a of Object.keys(world.accounts)) {
        const b = peekGlobal<S3State>(world, a, "s3")?.buckets?.[m[1]];
        if (b) return b.tags ?? [];
      }
      return undefined;
    },
  },
];

export const s3Service = defineService({
  name: "s3",
  resourceTags,
  protocol: "rest-xml",
  xmlns: "http://s3.amazonaws.com/doc/2006-03-01/",
  operations: S3_OPERATIONS,
  /** Call-log name of a raw request (the server records it and counts `mutating` from the declaration). */
  classify: (req: Pick<RawRequest, "method" | "path" | "query">) => routeS3(req.method, req.path, req.query).op,
  rawHandler: async (req, base) => {
    const { op: name, bucket, key } = routeS3(req.method, req.path, req.query);
    const headers = { "x-amz-request-id": base.requestId, "x-amz-id-2": `sandbox/${base.requestId}` };
    try {
      if (!name) throw new S3Error("NotImplemented", "A header or query you provided implies functionality that is not implemented.", 501);
      const caller = base.caller;
      if (!caller?.account) throw missingAuth();
      const ctx: OpContext = { ...base, caller, account: caller.account };
      checkExpectedOwner(req, name, bucket, ctx);
      const res = S3_OPERATIONS[name].handler({ req, bucket, key }, ctx) as WireResponse;
      res.headers = { ...res.headers, ...headers };
      return res;
    } catch (e) {
      if (e instanceof AwsError) return renderS3Error(e, base.requestId, req.method);
      throw e;
    }
  },
});
