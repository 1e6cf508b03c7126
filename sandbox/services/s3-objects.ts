/** S3 objects: put (plain or aws-chunked, with checksums), get/head (ranges), delete (versions, markers, batches) and ACLs. */
import { crc32 } from "node:zlib";
import { AwsError } from "../errors";
import type { WireResponse } from "../protocols/types";
import { type OpContext, type RawRequest, op } from "../registry";
import {
  type Bucket,
  type S3ObjectVersion,
  authorizeS3,
  bucketForRequest,
  checkAclAllowed,
  findVersion,
  getObject,
  invalidArgument,
  md5,
  newVersionId,
  noSuchKey,
  objectArn,
  putObject,
} from "./s3-store";
import { S3Error, childrenNamed, decodeAwsChunked, httpDate, malformedXml, textOf, xml } from "./s3-xml";
import { type S3Input, header, ok, xmlOk, bool, bodyXml, objectOp, owner } from "./s3-ops";

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

const CHECKSUM_HEADERS = [
  "x-amz-checksum-crc32",
  "x-amz-checksum-crc32c",
  "x-amz-checksum-crc64nvme",
  "x-amz-checksum-sha1",
  "x-amz-checksum-sha256",
];

/** The payload of a PutObject: plain, or aws-chunked (SDK flexible checksums, streaming) with trailing checksums. */
function objectPayload(req: RawRequest): { body: Buffer; checksums: Record<string, string>; contentEncoding?: string } {
  const encoding = header(req, "content-encoding");
  const sha = header(req, "x-amz-content-sha256") ?? "";
  const encodings = (encoding ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const chunked = encodings.includes("aws-chunked") || sha.startsWith("STREAMING-");
  let body = req.body;
  const checksums: Record<string, string> = {};
  for (const h of CHECKSUM_HEADERS) {
    const v = header(req, h);
    if (v) checksums[h] = v;
  }
  if (chunked) {
    const decoded = decodeAwsChunked(req.body);
    body = decoded.data;
    for (const [k, v] of Object.entries(decoded.trailers)) if (CHECKSUM_HEADERS.includes(k)) checksums[k] = v;
    const declared = header(req, "x-amz-decoded-content-length");
    if (declared !== undefined && Number(declared) !== body.length)
      throw new S3Error("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header", 400);
  }
  const md5Header = header(req, "content-md5");
  if (md5Header && Buffer.from(md5Header, "base64").toString("hex") !== md5(body))
    throw new S3Error("BadDigest", "The Content-MD5 you specified did not match what we received.", 400);
  const crc = checksums["x-amz-checksum-crc32"];
  if (crc) {
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(crc32(body) >>> 0);
    if (buf.toString("base64") !== crc)
      throw new S3Error("BadDigest", "The CRC32 you specified did not match the calculated checksum.", 400);
  }
  const rest = encodings.filter((e) => e !== "aws-chunked");
  return { body, checksums, contentEncoding: rest.length ? rest.join(",") : undefined };
}

function deleteOne(ctx: OpContext, b: Bucket, key: string, versionId: string | undefined) {
  const resource = objectArn(b.name, key);
  if (versionId !== undefined) {
    authorizeS3(ctx.world, ctx.caller, "s3:DeleteObjectVersion", resource, b, { now: ctx.now, context: { "s3:VersionId": versionId } });
    if (versionId !== "null" && !/^[A-Za-z0-9._-]{1,1024}$/.test(versionId))
      throw invalidArgument("Invalid version id specified", "versionId", versionId);
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
  const marker: S3ObjectVersion = {
    versionId: newVersionId(),
    deleteMarker: true,
    size: 0,
    etag: "",
    lastModified: ctx.now,
    writer: ctx.account,
  };
  const list = (b.objects[key] ??= []);
  if (b.versioning === "Suspended") {
    marker.versionId = "null";
    const i = list.findIndex((v) => v.versionId === "null");
    if (i >= 0) list.splice(i, 1);
  }
  list.push(marker);
  return { versionId: marker.versionId, deleteMarker: true };
}

function parseRange(range: string | undefined, size: number): [number, number] | undefined {
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  let start: number, end: number;
  if (m[1] === "") {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end)
    throw new S3Error("InvalidRange", "The requested range is not satisfiable", 416, {
      RangeRequested: range!,
      ActualObjectSize: String(size),
    });
  return [start, end];
}

function getOrHead(i: S3Input, ctx: OpContext, head: boolean): WireResponse {
  const versionId = i.req.query.get("versionId") ?? undefined;
  const {
    version: v,
    bucket: b,
    body,
  } = getObject(ctx.world, { principal: ctx.caller, bucket: i.bucket, key: i.key, versionId, now: ctx.now, region: ctx.region, head });
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

export const objectOperations = {
  DeleteObjects: op<S3Input, WireResponse>({
    // Authorized per object (s3:DeleteObject on arn:aws:s3:::BUCKET/KEY) by the handler.
    iamAction: "s3:DeleteObject",
    mutating: true,
    auth: "handler",
    resources: (i) => objectArn(i.bucket, "*"),
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
            deleted.push(
              versionId !== undefined
                ? {
                    Key: key,
                    VersionId: versionId,
                    DeleteMarker: r.deleteMarker || undefined,
                    DeleteMarkerVersionId: r.deleteMarker ? versionId : undefined,
                  }
                : { Key: key, DeleteMarker: r.deleteMarker || undefined, DeleteMarkerVersionId: r.deleteMarker ? r.versionId : undefined },
            );
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
    for (const [k, v] of Object.entries(i.req.headers))
      if (k.startsWith("x-amz-meta-") && v !== undefined) metadata[k.slice(11)] = String(v);
    const bk = header(i.req, "x-amz-server-side-encryption-bucket-key-enabled");
    const { version, bucket } = putObject(ctx.world, {
      principal: ctx.caller,
      bucket: i.bucket,
      key: i.key,
      body,
      now: ctx.now,
      region: ctx.region,
      contentType: header(i.req, "content-type"),
      metadata,
      checksums,
      acl: header(i.req, "x-amz-acl"),
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
    if (hasGrants && b.ownership === "BucketOwnerEnforced")
      throw new S3Error("AccessControlListNotSupported", "The bucket does not allow ACLs", 400);
    return ok(200);
  }),
  GetObjectAcl: objectOp("s3:GetObjectAcl", false, (i, ctx) => {
    const b = bucketForRequest(ctx.world, i.bucket, ctx.region);
    authorizeS3(ctx.world, ctx.caller, "s3:GetObjectAcl", objectArn(b.name, i.key), b, { now: ctx.now });
    const v = findVersion(b, i.key, i.req.query.get("versionId") ?? undefined);
    if (!v || v.deleteMarker) throw noSuchKey(i.key);
    const o = owner(b.ownership === "BucketOwnerEnforced" ? b.owner : (v.writer ?? b.owner));
    return ok(
      200,
      { "content-type": "application/xml" },
      `<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner>${xml(o)}</Owner><AccessControlList>` +
        `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">${xml(o)}</Grantee><Permission>FULL_CONTROL</Permission></Grant>` +
        `</AccessControlList></AccessControlPolicy>`,
    );
  }),
};
