/**
 * S3 (REST-XML, path-style `/<bucket>/<key>` with query sub-resources). Requests are routed by method + sub-resource
 * to the operations below; each declares `mutating` and its IAM action like every other service, and authorizes in
 * its handler with identity + bucket policy (s3-store.ts).
 */
import { crc32 } from "node:zlib";
import { authorize } from "../access";
import { AwsError, missingAuth } from "../errors";
import { denialMessage } from "../policy/evaluate";
import { type PolicyDocument, asList } from "../policy/types";
import { parsePolicyDocument } from "../policy/validate";
import type { WireResponse } from "../protocols/types";
import { type OpContext, type RawRequest, defineService, op } from "../registry";
import {
  type Bucket, type Ownership, type PublicAccessBlock, type S3ObjectVersion, authorizeS3, bucketArn, bucketForRequest,
  checkAclAllowed, checkBucketName, findBucket, findVersion, getObject, invalidArgument, md5, newVersionId,
  noSuchKey, objectArn, putObject, s3Context, s3State,
} from "./s3-store";
import { bareUniqueId, principalIdsOf, storedPolicyText } from "./principal-ids";
import {
  S3Error, type XmlNode, child, childrenNamed, decodeAwsChunked, httpDate, isoDate, malformedXml, parseXml, renderS3Error, textOf, xml,
  xmlDocument,
} from "./s3-xml";
import { peekGlobal } from "../state";
import type { ResourceTagLookup } from "../resource-tags";
import type { S3State } from "./s3-store";

export { s3GetObjectAs, s3PutObjectAs } from "./s3-store";

interface S3Input { req: RawRequest; bucket: string; key: string }
type Handler = (i: S3Input, ctx: OpContext) => WireResponse;

const header = (req: RawRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};
const ok = (status = 200, headers: Record<string, string> = {}, body: string | Buffer = ""): WireResponse => ({ status, headers, body });
const xmlOk = (root: string, value: unknown, headers: Record<string, string> = {}): WireResponse =>
  ok(200, { "content-type": "application/xml", ...headers }, xmlDocument(root, value));
const bool = (v: string | undefined) => v?.toLowerCase() === "true";

function bodyXml(i: S3Input) {
  const text = i.req.body.toString("utf8").trim();
  if (!text) throw new S3Error("MissingRequestBodyError", "Request Body is empty", 400);
  return parseXml(text);
}

/** Bucket-level operation: bucket must exist (and be in the request's region), then identity + bucket policy. */
function bucketOp(iamAction: string, mutating: boolean, handler: (i: S3Input, ctx: OpContext, b: Bucket) => WireResponse, o: { anyRegion?: boolean } = {}) {
  return op<S3Input, WireResponse>({
    iamAction, mutating, auth: "handler",
    resources: (i) => bucketArn(i.bucket),
    handler: (i, ctx) => {
      const b = bucketForRequest(ctx.world, i.bucket, o.anyRegion ? undefined : ctx.region);
      authorizeS3(ctx.world, ctx.caller, iamAction, bucketArn(b.name), b, { now: ctx.now });
      return handler(i, ctx, b);
    },
  });
}

// ------------------------------------------------------------------------------------------------ bucket policy

const BUCKET_POLICY_MAX_BYTES = 20 * 1024;
/** Default quota "General purpose buckets per account" (S3 User Guide, BucketRestrictions). */
const GENERAL_PURPOSE_BUCKETS_PER_ACCOUNT = 10_000;
/** ListBuckets: max-buckets 1–10000; without it S3 applies a page size of 10,000 (ListBuckets API reference). */
const LIST_BUCKETS_DEFAULT_PAGE = 10_000;

/**
 * Get/Put/DeleteBucketPolicy: identity + bucket policy first (403), then only identities of the bucket owner's
 * account (405 MethodNotAllowed even when allowed); the owner's root may always, even against a Deny in the bucket
 * policy (PutBucketPolicy API reference, "Permissions").
 */
function bucketPolicyOp(iamAction: string, mutating: boolean, handler: (i: S3Input, ctx: OpContext, b: Bucket) => WireResponse) {
  return op<S3Input, WireResponse>({
    iamAction, mutating, auth: "handler",
    resources: (i) => bucketArn(i.bucket),
    handler: (i, ctx) => {
      const b = bucketForRequest(ctx.world, i.bucket, ctx.region);
      const ownerRoot = ctx.caller.type === "root" && ctx.caller.account === b.owner;
      if (!ownerRoot) authorizeS3(ctx.world, ctx.caller, iamAction, bucketArn(b.name), b, { now: ctx.now });
      if (ctx.caller.account !== b.owner)
        throw new S3Error("MethodNotAllowed", "The specified method is not allowed against this resource.", 405, { Method: i.req.method, ResourceType: "BUCKETPOLICY" });
      return handler(i, ctx, b);
    },
  });
}

function checkBucketPolicy(text: string, b: Bucket, ctx: OpContext): PolicyDocument {
  const malformed = (m: string) => new S3Error("MalformedPolicy", m, 400);
  if (!text.trim().startsWith("{")) throw malformed("Policies must be valid JSON and the first byte must be '{'");
  try { JSON.parse(text); } catch { throw malformed("Policies must be valid JSON and the first byte must be '{'"); }
  // 20 KB, counted on the document without insignificant whitespace (S3 User Guide "Bucket policies are limited to
  // 20 KB in size"; measured: physionet-build#2094).
  if (Buffer.byteLength(JSON.stringify(JSON.parse(text)), "utf8") > BUCKET_POLICY_MAX_BYTES)
    throw new S3Error("PolicyTooLarge", "Policy exceeds the maximum allowed document size.", 400);
  const raw = JSON.parse(text) as PolicyDocument;
  if (raw && typeof raw === "object" && bareUniqueId(raw)) throw malformed("Invalid principal in policy");
  let doc: PolicyDocument;
  try {
    doc = parsePolicyDocument(text, "resource", "MalformedPolicy");
  } catch (e) {
    if (e instanceof AwsError) throw malformed(/principal/i.test(e.message) ? "Invalid principal in policy" : e.message);
    throw e;
  }
  for (const st of asList(doc.Statement)) {
    for (const a of asList(st.Action ?? st.NotAction)) if (a !== "*" && !a.toLowerCase().startsWith("s3:")) throw malformed("Policy has invalid action");
    for (const r of asList(st.Resource ?? st.NotResource)) {
      if (r !== bucketArn(b.name) && !r.startsWith(`${bucketArn(b.name)}/`) && !(r.endsWith("*") && bucketArn(b.name).startsWith(r.slice(0, -1))))
        throw malformed("Policy has invalid resource");
    }
    if (st.Resource === undefined && st.NotResource === undefined) throw malformed("Missing required field Resource");
    for (const block of [st.Principal, st.NotPrincipal]) {
      if (!block || block === "*") continue;
      for (const e of asList(block.AWS)) {
        if (e === "*" || /^\d{12}$/.test(e) || /^arn:aws:iam::\d{12}:root$/.test(e)) continue;
        if (!ctx.isPrincipalVisible(e)) throw malformed("Invalid principal in policy");
      }
    }
  }
  return doc;
}

/** A policy is public when an Allow reaches "*" without a condition fixing the caller's account/ARN/source. */
function isPublicPolicy(doc: PolicyDocument): boolean {
  const restricting = /^(aws:(PrincipalAccount|PrincipalArn|PrincipalOrgID|SourceAccount|SourceArn|SourceVpc|SourceVpce|SourceOwner|userid|SourceIp)|s3:DataAccessPointAccount)$/i;
  return asList(doc.Statement).some((st) => {
    if (st.Effect !== "Allow") return false;
    const p = st.Principal;
    const star = p === "*" || (typeof p === "object" && asList(p?.AWS).includes("*"));
    if (!star) return false;
    const keys = Object.values(st.Condition ?? {}).flatMap((block) => Object.keys(block ?? {}));
    return !keys.some((k) => restricting.test(k));
  });
}

// ------------------------------------------------------------------------------------------------ tags

/** A TagSet element (PutBucketTagging, CreateBucketConfiguration.Tags) → tags, with S3's tag rules. */
function tagSet(node: XmlNode | undefined): { Key: string; Value: string }[] {
  const tags = childrenNamed(node, "Tag").map((t) => ({ Key: textOf(t, "Key") ?? "", Value: textOf(t, "Value") ?? "" }));
  if (tags.length > 50) throw new S3Error("BadRequest", "Object tags cannot be greater than 50", 400);
  if (new Set(tags.map((t) => t.Key)).size !== tags.length) throw new S3Error("InvalidTag", "Cannot provide multiple Tags with the same key", 400);
  for (const t of tags) {
    if (!t.Key || t.Key.length > 128 || t.Value.length > 256) throw new S3Error("InvalidTag", "The TagKey you have provided is invalid", 400);
    if (t.Key.startsWith("aws:")) throw new S3Error("InvalidTag", "System tags cannot be added/updated by requester", 400);
  }
  return tags;
}

// ------------------------------------------------------------------------------------------------ listing helpers

interface ListEntry { key?: string; prefix?: string }

function currentKeys(b: Bucket): string[] {
  return Object.keys(b.objects).filter((k) => {
    const list = b.objects[k];
    return list.length && !list[list.length - 1].deleteMarker;
  }).sort();
}

/** Prefix/delimiter grouping with an exclusive start marker; common prefixes count towards max-keys. */
function listKeys(keys: string[], prefix: string, delimiter: string | undefined, after: string | undefined, max: number) {
  const out: ListEntry[] = [];
  let truncated = false;
  const seen = new Set<string>();
  for (const k of keys) {
    if (!k.startsWith(prefix)) continue;
    if (after !== undefined && k <= after) continue;
    let entry: ListEntry = { key: k };
    if (delimiter) {
      const idx = k.indexOf(delimiter, prefix.length);
      if (idx >= 0) {
        const cp = k.slice(0, idx + delimiter.length);
        if (seen.has(cp) || (after !== undefined && after.startsWith(cp))) continue;
        entry = { prefix: cp };
      }
    }
    if (out.length >= max) { truncated = true; break; }
    if (entry.prefix) seen.add(entry.prefix);
    out.push(entry);
  }
  return { out, truncated };
}

function maxKeys(v: string | null): number {
  if (v === null) return 1000;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw invalidArgument("Provided max-keys not an integer or within integer range", "max-keys", v);
  return Math.min(n, 1000);
}

const objectEntry = (k: string, v: S3ObjectVersion) => ({ Key: k, LastModified: isoDate(v.lastModified), ETag: v.etag, Size: v.size, StorageClass: "STANDARD" });
const owner = (account: string) => ({ ID: account, DisplayName: account });

// ------------------------------------------------------------------------------------------------ object helpers

function objectHeaders(b: Bucket, v: S3ObjectVersion): Record<string, string> {
  const h: Record<string, string> = {
    etag: v.etag,
    "last-modified": httpDate(v.lastModified),
    "content-type": v.contentType ?? "binary/octet-stream",
    "accept-ranges": "bytes",
  };
  if (b.versioning) h["x-amz-version-id"] = v.versionId;
  if (v.sse) h["x-amz-server-side-encryption"] = v.sse;
  if (v.kmsKeyArn) h["x-amz-server-side-encryption-aws-kms-key-id"] = v.kmsKeyArn;
  if (v.bucketKeyEnabled) h["x-amz-server-side-encryption-bucket-key-enabled"] = "true";
  for (const [k, val] of Object.entries(v.metadata ?? {})) h[`x-amz-meta-${k}`] = val;
  return h;
}

const CHECKSUM_HEADERS = ["x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-crc64nvme", "x-amz-checksum-sha1", "x-amz-checksum-sha256"];

/** The payload of a PutObject: plain, or aws-chunked (SDK flexible checksums, streaming) with trailing checksums. */
function objectPayload(req: RawRequest): { body: Buffer; checksums: Record<string, string>; contentEncoding?: string } {
  const encoding = header(req, "content-encoding");
  const sha = header(req, "x-amz-content-sha256") ?? "";
  const encodings = (encoding ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const chunked = encodings.includes("aws-chunked") || sha.startsWith("STREAMING-");
  let body = req.body;
  const checksums: Record<string, string> = {};
  for (const h of CHECKSUM_HEADERS) { const v = header(req, h); if (v) checksums[h] = v; }
  if (chunked) {
    const decoded = decodeAwsChunked(req.body);
    body = decoded.data;
    for (const [k, v] of Object.entries(decoded.trailers)) if (CHECKSUM_HEADERS.includes(k)) checksums[k] = v;
    const declared = header(req, "x-amz-decoded-content-length");
    if (declared !== undefined && Number(declared) !== body.length) throw new S3Error("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header", 400);
  }
  const md5Header = header(req, "content-md5");
  if (md5Header && Buffer.from(md5Header, "base64").toString("hex") !== md5(body))
    throw new S3Error("BadDigest", "The Content-MD5 you specified did not match what we received.", 400);
  const crc = checksums["x-amz-checksum-crc32"];
  if (crc) {
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(crc32(body) >>> 0);
    if (buf.toString("base64") !== crc) throw new S3Error("BadDigest", "The CRC32 you specified did not match the calculated checksum.", 400);
  }
  const rest = encodings.filter((e) => e !== "aws-chunked");
  return { body, checksums, contentEncoding: rest.length ? rest.join(",") : undefined };
}

function deleteOne(ctx: OpContext, b: Bucket, key: string, versionId: string | undefined) {
  const resource = objectArn(b.name, key);
  if (versionId !== undefined) {
    authorizeS3(ctx.world, ctx.caller, "s3:DeleteObjectVersion", resource, b, { now: ctx.now, context: { "s3:VersionId": versionId } });
    if (versionId !== "null" && !/^[A-Za-z0-9._-]{1,1024}$/.test(versionId)) throw invalidArgument("Invalid version id specified", "versionId", versionId);
    const list = b.objects[key] ?? [];
    const idx = list.findIndex((v) => v.versionId === versionId);
    const removed = idx >= 0 ? list.splice(idx, 1)[0] : undefined;
    if (!list.length) delete b.objects[key];
    return { versionId, deleteMarker: !!removed?.deleteMarker };
  }
  authorizeS3(ctx.world, ctx.caller, "s3:DeleteObject", resource, b, { now: ctx.now });
  if (!b.versioning) {
    delete b.objects[key];
    return { versionId: undefined, deleteMarker: false };
  }
  const marker: S3ObjectVersion = { versionId: newVersionId(), deleteMarker: true, size: 0, etag: "", lastModified: ctx.now, writer: ctx.account };
  const list = (b.objects[key] ??= []);
  if (b.versioning === "Suspended") {
    marker.versionId = "null";
    const i = list.findIndex((v) => v.versionId === "null");
    if (i >= 0) list.splice(i, 1);
  }
  list.push(marker);
  return { versionId: marker.versionId, deleteMarker: true };
}

function objectOp(iamAction: string, mutating: boolean, handler: Handler) {
  return op<S3Input, WireResponse>({ iamAction, mutating, auth: "handler", resources: (i) => objectArn(i.bucket, i.key), handler });
}

function parseRange(range: string | undefined, size: number): [number, number] | undefined {
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  let start: number, end: number;
  if (m[1] === "") { start = Math.max(0, size - Number(m[2])); end = size - 1; }
  else { start = Number(m[1]); end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1); }
  if (start >= size || start > end) throw new S3Error("InvalidRange", "The requested range is not satisfiable", 416, { RangeRequested: range!, ActualObjectSize: String(size) });
  return [start, end];
}

function getOrHead(i: S3Input, ctx: OpContext, head: boolean): WireResponse {
  const versionId = i.req.query.get("versionId") ?? undefined;
  const { version: v, bucket: b, body } = getObject(ctx.world, { principal: ctx.caller, bucket: i.bucket, key: i.key, versionId, now: ctx.now, region: ctx.region, head });
  const h = objectHeaders(b, v);
  if (header(i.req, "x-amz-checksum-mode")?.toUpperCase() === "ENABLED" && v.checksums) {
    Object.assign(h, v.checksums);
    h["x-amz-checksum-type"] = "FULL_OBJECT";
  }
  const range = parseRange(header(i.req, "range"), body.length);
  if (range) {
    const [s, e] = range;
    for (const k of CHECKSUM_HEADERS) delete h[k];
    delete h["x-amz-checksum-type"];
    return ok(206, { ...h, "content-range": `bytes ${s}-${e}/${body.length}` }, body.subarray(s, e + 1));
  }
  // For HEAD the body is not sent (Node drops it) but sets Content-Length to the object size.
  return ok(200, h, body);
}

// ------------------------------------------------------------------------------------------------ operations

const S3_OPERATIONS = {
  ListBuckets: op<S3Input, WireResponse>({
    iamAction: "s3:ListAllMyBuckets", mutating: false, auth: "handler", resources: () => "*",
    handler: (_i, ctx) => {
      const r = authorize(ctx.world, ctx.caller, "s3:ListAllMyBuckets", "*", { now: ctx.now, region: ctx.region, requireBoth: false, context: s3Context(undefined) });
      if (r.decision !== "allow") throw new S3Error("AccessDenied", denialMessage(ctx.caller.arn, "s3:ListAllMyBuckets", `"*"`, r), 403);
      const q = _i.req.query;
      const prefix = q.get("prefix") ?? undefined;
      const region = q.get("bucket-region") ?? undefined;
      const token = q.get("continuation-token") ?? undefined;
      const maxParam = q.get("max-buckets");
      const max = maxParam === null ? LIST_BUCKETS_DEFAULT_PAGE : Number(maxParam);
      if (!Number.isInteger(max) || max < 1 || max > LIST_BUCKETS_DEFAULT_PAGE)
        throw invalidArgument("Argument max-buckets must be an integer between 1 and 10000.", "max-buckets", maxParam ?? "");
      let after: string | undefined;
      if (token !== undefined) {
        after = Buffer.from(token, "base64url").toString("utf8");
        if (!after || Buffer.from(after, "utf8").toString("base64url") !== token) throw invalidArgument("The continuation token provided is incorrect", "continuation-token", token);
      }
      const names = Object.keys(s3State(ctx.world, ctx.account).buckets).sort();
      const all = s3State(ctx.world, ctx.account).buckets;
      const page: Bucket[] = [];
      let truncated = false;
      for (const n of names) {
        if (after !== undefined && n <= after) continue;
        if (prefix !== undefined && !n.startsWith(prefix)) continue;
        if (region !== undefined && all[n].region !== region) continue;
        if (page.length === max) { truncated = true; break; }
        page.push(all[n]);
      }
      return xmlOk("ListAllMyBucketsResult", {
        Owner: owner(ctx.account),
        Buckets: { Bucket: page.map((b) => ({ Name: b.name, CreationDate: isoDate(b.createdAt), BucketRegion: b.region, BucketArn: bucketArn(b.name) })) },
        ContinuationToken: truncated ? Buffer.from(page[page.length - 1].name, "utf8").toString("base64url") : undefined,
        Prefix: prefix,
      });
    },
  }),
  CreateBucket: op<S3Input, WireResponse>({
    iamAction: "s3:CreateBucket", mutating: true, auth: "handler", resources: (i) => bucketArn(i.bucket),
    handler: (i, ctx) => {
      checkBucketName(i.bucket);
      const text = i.req.body.toString("utf8").trim();
      const config = text ? parseXml(text) : undefined;
      const constraint = config ? textOf(config, "LocationConstraint") || undefined : undefined;
      const tags = config && child(config, "Tags") ? tagSet(child(config, "Tags")) : undefined;
      const ownership = (header(i.req, "x-amz-object-ownership") ?? "BucketOwnerEnforced") as Ownership;
      if (!["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"].includes(ownership)) throw invalidArgument("Invalid x-amz-object-ownership header", "x-amz-object-ownership", ownership);
      const r = authorize(ctx.world, ctx.caller, "s3:CreateBucket", bucketArn(i.bucket), {
        now: ctx.now, region: ctx.region, requireBoth: false, resourceAccount: ctx.account,
        context: s3Context(undefined, { "s3:LocationConstraint": constraint, "s3:x-amz-object-ownership": ownership, "s3:x-amz-acl": header(i.req, "x-amz-acl") }),
      });
      if (r.decision !== "allow") throw new S3Error("AccessDenied", denialMessage(ctx.caller.arn, "s3:CreateBucket", `"${bucketArn(i.bucket)}"`, r), 403);
      if (tags?.length) {
        // Tags on creation also need s3:TagResource (CreateBucketConfiguration.Tags, S3 API reference).
        const t = authorize(ctx.world, ctx.caller, "s3:TagResource", bucketArn(i.bucket), {
          now: ctx.now, region: ctx.region, requireBoth: false, resourceAccount: ctx.account,
          context: s3Context(undefined, { ...Object.fromEntries(tags.map((x) => [`aws:RequestTag/${x.Key}`, x.Value])), "aws:TagKeys": tags.map((x) => x.Key) }),
        });
        if (t.decision !== "allow") throw new S3Error("AccessDenied", denialMessage(ctx.caller.arn, "s3:TagResource", `"${bucketArn(i.bucket)}"`, t), 403);
      }
      if (constraint === "us-east-1") throw new S3Error("InvalidLocationConstraint", "The specified location-constraint is not valid", 400, { LocationConstraint: constraint });
      const region = constraint ?? "us-east-1";
      if (region !== ctx.region) {
        throw new S3Error("IllegalLocationConstraintException",
          `The ${constraint ?? "unspecified"} location constraint is incompatible for the region specific endpoint this request was sent to.`, 400);
      }
      const acl = header(i.req, "x-amz-acl");
      if (acl && acl !== "private" && ownership === "BucketOwnerEnforced")
        throw new S3Error("InvalidBucketAclWithObjectOwnership", "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
      const existing = findBucket(ctx.world, i.bucket);
      if (existing) {
        if (existing.owner !== ctx.account)
          throw new S3Error("BucketAlreadyExists", "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.", 409, { BucketName: i.bucket });
        if (existing.region === "us-east-1" && region === "us-east-1") return ok(200, { location: `/${i.bucket}` }); // AWS legacy: success
        throw new S3Error("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", 409, { BucketName: i.bucket });
      }
      const own = s3State(ctx.world, ctx.account).buckets;
      if (Object.keys(own).length >= GENERAL_PURPOSE_BUCKETS_PER_ACCOUNT)
        throw new S3Error("TooManyBuckets", "You have attempted to create more buckets than allowed.", 400);
      own[i.bucket] = {
        name: i.bucket, owner: ctx.account, region, createdAt: ctx.now, ownership,
        publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
        objects: {}, ...(tags?.length ? { tags } : {}),
      };
      return ok(200, { location: `/${i.bucket}` });
    },
  }),
  HeadBucket: op<S3Input, WireResponse>({
    iamAction: "s3:ListBucket", mutating: false, auth: "handler", resources: (i) => bucketArn(i.bucket),
    handler: (i, ctx) => {
      const b = findBucket(ctx.world, i.bucket);
      if (!b) throw new S3Error("NotFound", "Not Found", 404);
      const regionHeader = { "x-amz-bucket-region": b.region };
      if (b.region !== ctx.region) throw new S3Error("PermanentRedirect", "Moved Permanently", 301, {}, regionHeader);
      try {
        authorizeS3(ctx.world, ctx.caller, "s3:ListBucket", bucketArn(b.name), b, { now: ctx.now });
      } catch (e) {
        if (e instanceof S3Error) e.headers = { ...e.headers, ...regionHeader };
        throw e;
      }
      return ok(200, { ...regionHeader, "x-amz-access-point-alias": "false" });
    },
  }),
  GetBucketLocation: bucketOp("s3:GetBucketLocation", false, (_i, _ctx, b) => ({
    status: 200, headers: { "content-type": "application/xml" },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${b.region === "us-east-1" ? "" : b.region}</LocationConstraint>`,
  }), { anyRegion: true }),
  DeleteBucket: bucketOp("s3:DeleteBucket", true, (_i, ctx, b) => {
    const lists = Object.values(b.objects);
    if (lists.some((l) => l.length)) {
      throw new S3Error("BucketNotEmpty", b.versioning ? "The bucket you tried to delete is not empty. You must delete all versions in the bucket." : "The bucket you tried to delete is not empty", 409, { BucketName: b.name });
    }
    delete s3State(ctx.world, b.owner).buckets[b.name];
    return ok(204);
  }),
  PutBucketOwnershipControls: bucketOp("s3:PutBucketOwnershipControls", true, (i, _ctx, b) => {
    const rules = childrenNamed(bodyXml(i), "Rule");
    const value = textOf(rules[0], "ObjectOwnership");
    if (rules.length !== 1 || !value || !["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"].includes(value)) throw malformedXml();
    b.ownership = value as Ownership;
    return ok(200);
  }),
  GetBucketOwnershipControls: bucketOp("s3:GetBucketOwnershipControls", false, (_i, _ctx, b) => {
    if (!b.ownership) throw new S3Error("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", 404, { BucketName: b.name });
    return xmlOk("OwnershipControls", { Rule: { ObjectOwnership: b.ownership } });
  }),
  DeleteBucketOwnershipControls: bucketOp("s3:PutBucketOwnershipControls", true, (_i, _ctx, b) => {
    delete b.ownership;
    return ok(204);
  }),
  PutPublicAccessBlock: bucketOp("s3:PutBucketPublicAccessBlock", true, (i, _ctx, b) => {
    const x = bodyXml(i);
    if (x.name !== "PublicAccessBlockConfiguration") throw malformedXml();
    b.publicAccessBlock = {
      BlockPublicAcls: bool(textOf(x, "BlockPublicAcls")), IgnorePublicAcls: bool(textOf(x, "IgnorePublicAcls")),
      BlockPublicPolicy: bool(textOf(x, "BlockPublicPolicy")), RestrictPublicBuckets: bool(textOf(x, "RestrictPublicBuckets")),
    };
    return ok(200);
  }),
  GetPublicAccessBlock: bucketOp("s3:GetBucketPublicAccessBlock", false, (_i, _ctx, b) => {
    if (!b.publicAccessBlock) throw new S3Error("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", 404, { BucketName: b.name });
    return xmlOk("PublicAccessBlockConfiguration", b.publicAccessBlock satisfies PublicAccessBlock);
  }),
  DeletePublicAccessBlock: bucketOp("s3:PutBucketPublicAccessBlock", true, (_i, _ctx, b) => {
    delete b.publicAccessBlock;
    return ok(204);
  }),
  PutBucketEncryption: bucketOp("s3:PutEncryptionConfiguration", true, (i, _ctx, b) => {
    const x = bodyXml(i);
    const rules = childrenNamed(x, "Rule");
    if (x.name !== "ServerSideEncryptionConfiguration" || rules.length !== 1) throw malformedXml();
    const def = child(rules[0], "ApplyServerSideEncryptionByDefault");
    const alg = textOf(def, "SSEAlgorithm");
    if (!alg || !["AES256", "aws:kms", "aws:kms:dsse"].includes(alg)) throw malformedXml();
    const keyId = textOf(def, "KMSMasterKeyID") || undefined;
    if (keyId && alg === "AES256") throw invalidArgument("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse");
    b.encryption = { sseAlgorithm: alg as "AES256", kmsMasterKeyId: keyId, bucketKeyEnabled: bool(textOf(rules[0], "BucketKeyEnabled")) };
    return ok(200);
  }),
  GetBucketEncryption: bucketOp("s3:GetEncryptionConfiguration", false, (_i, _ctx, b) => {
    const e = b.encryption ?? { sseAlgorithm: "AES256", bucketKeyEnabled: false };
    return xmlOk("ServerSideEncryptionConfiguration", {
      Rule: { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: e.sseAlgorithm, KMSMasterKeyID: e.kmsMasterKeyId }, BucketKeyEnabled: e.bucketKeyEnabled },
    });
  }),
  DeleteBucketEncryption: bucketOp("s3:PutEncryptionConfiguration", true, (_i, _ctx, b) => {
    delete b.encryption;
    return ok(204);
  }),
  PutBucketVersioning: bucketOp("s3:PutBucketVersioning", true, (i, _ctx, b) => {
    const x = bodyXml(i);
    const status = textOf(x, "Status");
    if (x.name !== "VersioningConfiguration" || (status !== "Enabled" && status !== "Suspended")) throw malformedXml();
    b.versioning = status;
    return ok(200);
  }),
  GetBucketVersioning: bucketOp("s3:GetBucketVersioning", false, (_i, _ctx, b) => xmlOk("VersioningConfiguration", { Status: b.versioning })),
  PutBucketPolicy: bucketPolicyOp("s3:PutBucketPolicy", true, (i, ctx, b) => {
    const text = i.req.body.toString("utf8");
    const doc = checkBucketPolicy(text, b, ctx);
    if (b.publicAccessBlock?.BlockPublicPolicy && isPublicPolicy(doc)) {
      throw new S3Error("AccessDenied", `User: ${ctx.caller.arn} is not authorized to perform: s3:PutBucketPolicy on resource: "${bucketArn(b.name)}" because public policies are blocked by the BlockPublicPolicy block public access setting.`, 403);
    }
    b.policy = text;
    b.policyPrincipalIds = principalIdsOf(ctx.world, doc);
    return ok(204);
  }),
  GetBucketPolicy: bucketPolicyOp("s3:GetBucketPolicy", false, (_i, ctx, b) => {
    if (!b.policy) throw new S3Error("NoSuchBucketPolicy", "The bucket policy does not exist", 404, { BucketName: b.name });
    return ok(200, { "content-type": "application/json" }, storedPolicyText(ctx.world, b.policy, b.policyPrincipalIds));
  }),
  DeleteBucketPolicy: bucketPolicyOp("s3:DeleteBucketPolicy", true, (_i, _ctx, b) => {
    delete b.policy;
    delete b.policyPrincipalIds;
    return ok(204);
  }),
  PutBucketTagging: bucketOp("s3:PutBucketTagging", true, (i, _ctx, b) => {
    const x = bodyXml(i);
    if (x.name !== "Tagging" || !child(x, "TagSet")) throw malformedXml();
    b.tags = tagSet(child(x, "TagSet"));
    return ok(204);
  }),
  GetBucketTagging: bucketOp("s3:GetBucketTagging", false, (_i, _ctx, b) => {
    if (!b.tags?.length) throw new S3Error("NoSuchTagSet", "The TagSet does not exist", 404, { BucketName: b.name });
    return xmlOk("Tagging", { TagSet: { Tag: b.tags } });
  }),
  DeleteBucketTagging: bucketOp("s3:PutBucketTagging", true, (_i, _ctx, b) => {
    delete b.tags;
    return ok(204);
  }),
  ListObjectsV2: bucketOp("s3:ListBucket", false, (i, _ctx, b) => {
    const q = i.req.query;
    const prefix = q.get("prefix") ?? "";
    const delimiter = q.get("delimiter") || undefined;
    const max = maxKeys(q.get("max-keys"));
    const token = q.get("continuation-token") ?? undefined;
    let after = q.get("start-after") ?? undefined;
    if (token !== undefined) {
      try { after = Buffer.from(token, "base64url").toString("utf8"); } catch { throw invalidArgument("The continuation token provided is incorrect", "continuation-token", token); }
    }
    const { out, truncated } = listKeys(currentKeys(b), prefix, delimiter, after, max);
    const last = out[out.length - 1];
    const enc = q.get("encoding-type") === "url" ? encodeURIComponent : (s: string) => s;
    return xmlOk("ListBucketResult", {
      Name: b.name, Prefix: enc(prefix), Delimiter: delimiter ? enc(delimiter) : undefined, MaxKeys: max, KeyCount: out.length, IsTruncated: truncated,
      EncodingType: q.get("encoding-type") ?? undefined, ContinuationToken: token, StartAfter: q.get("start-after") ?? undefined,
      NextContinuationToken: truncated && last ? Buffer.from(last.key ?? last.prefix!, "utf8").toString("base64url") : undefined,
      Contents: out.filter((e) => e.key).map((e) => {
        const list = b.objects[e.key!];
        return { ...objectEntry(enc(e.key!), list[list.length - 1]), Owner: q.get("fetch-owner") === "true" ? owner(b.owner) : undefined };
      }),
      CommonPrefixes: out.filter((e) => e.prefix).map((e) => ({ Prefix: enc(e.prefix!) })),
    });
  }),
  ListObjects: bucketOp("s3:ListBucket", false, (i, _ctx, b) => {
    const q = i.req.query;
    const prefix = q.get("prefix") ?? "";
    const delimiter = q.get("delimiter") || undefined;
    const max = maxKeys(q.get("max-keys"));
    const marker = q.get("marker") ?? undefined;
    const { out, truncated } = listKeys(currentKeys(b), prefix, delimiter, marker, max);
    const last = out[out.length - 1];
    return xmlOk("ListBucketResult", {
      Name: b.name, Prefix: prefix, Marker: marker ?? "", Delimiter: delimiter, MaxKeys: max, IsTruncated: truncated,
      NextMarker: truncated && delimiter && last ? last.key ?? last.prefix : undefined,
      Contents: out.filter((e) => e.key).map((e) => {
        const list = b.objects[e.key!];
        return { ...objectEntry(e.key!, list[list.length - 1]), Owner: owner(b.owner) };
      }),
      CommonPrefixes: out.filter((e) => e.prefix).map((e) => ({ Prefix: e.prefix })),
    });
  }),
  ListObjectVersions: bucketOp("s3:ListBucketVersions", false, (i, _ctx, b) => {
    const q = i.req.query;
    const prefix = q.get("prefix") ?? "";
    const max = maxKeys(q.get("max-keys"));
    const keyMarker = q.get("key-marker") ?? undefined;
    const versionMarker = q.get("version-id-marker") ?? undefined;
    const entries: { key: string; v: S3ObjectVersion; latest: boolean }[] = [];
    for (const key of Object.keys(b.objects).filter((k) => k.startsWith(prefix)).sort()) {
      const list = b.objects[key];
      for (let n = list.length - 1; n >= 0; n--) entries.push({ key, v: list[n], latest: n === list.length - 1 });
    }
    let start = 0;
    if (keyMarker !== undefined) {
      if (versionMarker) {
        const idx = entries.findIndex((e) => e.key === keyMarker && e.v.versionId === versionMarker);
        start = idx >= 0 ? idx + 1 : entries.findIndex((e) => e.key > keyMarker);
      } else start = entries.findIndex((e) => e.key > keyMarker);
      if (start < 0) start = entries.length;
    }
    const pageEntries = entries.slice(start, start + max);
    const truncated = start + max < entries.length;
    const last = pageEntries[pageEntries.length - 1];
    return xmlOk("ListVersionsResult", {
      Name: b.name, Prefix: prefix, KeyMarker: keyMarker ?? "", VersionIdMarker: versionMarker ?? "", MaxKeys: max, IsTruncated: truncated,
      NextKeyMarker: truncated ? last?.key : undefined, NextVersionIdMarker: truncated ? last?.v.versionId : undefined,
      Version: pageEntries.filter((e) => !e.v.deleteMarker).map((e) => ({
        Key: e.key, VersionId: e.v.versionId, IsLatest: e.latest, LastModified: isoDate(e.v.lastModified), ETag: e.v.etag, Size: e.v.size,
        StorageClass: "STANDARD", Owner: owner(b.owner),
      })),
      DeleteMarker: pageEntries.filter((e) => e.v.deleteMarker).map((e) => ({
        Key: e.key, VersionId: e.v.versionId, IsLatest: e.latest, LastModified: isoDate(e.v.lastModified), Owner: owner(b.owner),
      })),
    });
  }),
  DeleteObjects: op<S3Input, WireResponse>({
    // Authorized per object (s3:DeleteObject on arn:aws:s3:::BUCKET/KEY) by the handler.
    iamAction: "s3:DeleteObject", mutating: true, auth: "handler", resources: (i) => objectArn(i.bucket, "*"),
    handler: (i, ctx) => {
      const b = bucketForRequest(ctx.world, i.bucket, ctx.region);
      const x = bodyXml(i);
      if (x.name !== "Delete") throw malformedXml();
      const objects = childrenNamed(x, "Object");
      if (objects.length > 1000) throw malformedXml();
      const quiet = bool(textOf(x, "Quiet"));
      const deleted: unknown[] = [];
      const errors: unknown[] = [];
      for (const o of objects) {
        const key = textOf(o, "Key") ?? "";
        const versionId = textOf(o, "VersionId") || undefined;
        try {
          const r = deleteOne(ctx, b, key, versionId);
          if (!quiet) {
            deleted.push(versionId !== undefined
              ? { Key: key, VersionId: versionId, DeleteMarker: r.deleteMarker || undefined, DeleteMarkerVersionId: r.deleteMarker ? versionId : undefined }
              : { Key: key, DeleteMarker: r.deleteMarker || undefined, DeleteMarkerVersionId: r.deleteMarker ? r.versionId : undefined });
          }
        } catch (e) {
          if (!(e instanceof AwsError)) throw e;
          errors.push({ Key: key, VersionId: versionId, Code: e.code, Message: e.message });
        }
      }
      return xmlOk("DeleteResult", { Deleted: deleted, Error: errors });
    },
  }),
  PutObject: objectOp("s3:PutObject", true, (i, ctx) => {
    if (header(i.req, "x-amz-copy-source")) throw new S3Error("NotImplemented", "The sandbox does not implement CopyObject.", 501);
    const { body, checksums } = objectPayload(i.req);
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(i.req.headers)) if (k.startsWith("x-amz-meta-") && v !== undefined) metadata[k.slice(11)] = String(v);
    const bk = header(i.req, "x-amz-server-side-encryption-bucket-key-enabled");
    const { version, bucket } = putObject(ctx.world, {
      principal: ctx.caller, bucket: i.bucket, key: i.key, body, now: ctx.now, region: ctx.region,
      contentType: header(i.req, "content-type"), metadata, checksums, acl: header(i.req, "x-amz-acl"),
      sse: {
        algorithm: header(i.req, "x-amz-server-side-encryption"),
        kmsKeyId: header(i.req, "x-amz-server-side-encryption-aws-kms-key-id"),
        bucketKeyEnabled: bk === undefined ? undefined : bool(bk),
      },
    });
    const h = objectHeaders(bucket, version);
    delete h["last-modified"];
    delete h["content-type"];
    delete h["accept-ranges"];
    for (const k of Object.keys(h)) if (k.startsWith("x-amz-meta-")) delete h[k];
    return ok(200, { ...h, ...checksums });
  }),
  GetObject: objectOp("s3:GetObject", false, (i, ctx) => getOrHead(i, ctx, false)),
  HeadObject: objectOp("s3:GetObject", false, (i, ctx) => getOrHead(i, ctx, true)),
  DeleteObject: objectOp("s3:DeleteObject", true, (i, ctx) => {
    const b = bucketForRequest(ctx.world, i.bucket, ctx.region);
    const r = deleteOne(ctx, b, i.key, i.req.query.get("versionId") ?? undefined);
    const h: Record<string, string> = {};
    if (r.versionId !== undefined) h["x-amz-version-id"] = r.versionId;
    if (r.deleteMarker) h["x-amz-delete-marker"] = "true";
    return ok(204, h);
  }),
  PutObjectAcl: objectOp("s3:PutObjectAcl", true, (i, ctx) => {
    const b = bucketForRequest(ctx.world, i.bucket, ctx.region);
    const versionId = i.req.query.get("versionId") ?? undefined;
    const action = versionId ? "s3:PutObjectVersionAcl" : "s3:PutObjectAcl";
    const acl = header(i.req, "x-amz-acl");
    authorizeS3(ctx.world, ctx.caller, action, objectArn(b.name, i.key), b, { now: ctx.now, context: { "s3:x-amz-acl": acl } });
    const v = findVersion(b, i.key, versionId);
    if (!v || v.deleteMarker) throw noSuchKey(i.key);
    checkAclAllowed(b, acl);
    const hasGrants = i.req.body.length > 0 || Object.keys(i.req.headers).some((k) => k.startsWith("x-amz-grant-"));
    if (hasGrants && b.ownership === "BucketOwnerEnforced") throw new S3Error("AccessControlListNotSupported", "The bucket does not allow ACLs", 400);
    return ok(200);
  }),
  GetObjectAcl: objectOp("s3:GetObjectAcl", false, (i, ctx) => {
    const b = bucketForRequest(ctx.world, i.bucket, ctx.region);
    authorizeS3(ctx.world, ctx.caller, "s3:GetObjectAcl", objectArn(b.name, i.key), b, { now: ctx.now });
    const v = findVersion(b, i.key, i.req.query.get("versionId") ?? undefined);
    if (!v || v.deleteMarker) throw noSuchKey(i.key);
    const o = owner(b.ownership === "BucketOwnerEnforced" ? b.owner : (v.writer ?? b.owner));
    return ok(200, { "content-type": "application/xml" },
      `<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner>${xml(o)}</Owner><AccessControlList>` +
      `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">${xml(o)}</Grantee><Permission>FULL_CONTROL</Permission></Grant>` +
      `</AccessControlList></AccessControlPolicy>`);
  }),
};

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
const UNIMPLEMENTED = ["acl", "cors", "lifecycle", "logging", "notification", "replication", "website", "policyStatus", "object-lock", "uploads", "uploadId", "accelerate", "requestPayment", "analytics", "metrics", "inventory", "intelligent-tiering", "attributes", "retention", "legal-hold", "restore", "select", "torrent", "partNumber"];

/** Path-style request → operation name, bucket and key. Undefined op: not implemented. */
export function routeS3(method: string, path: string, query: URLSearchParams): { op?: S3OperationName; bucket: string; key: string } {
  const trimmed = path.replace(/^\/+/, "");
  const slash = trimmed.indexOf("/");
  const dec = (s: string) => { try { return decodeURIComponent(s); } catch { return s; } };
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

