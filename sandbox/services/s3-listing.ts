/** S3 object listings: ListObjects, ListObjectsV2 and ListObjectVersions (prefix, delimiter, markers, max-keys). */
import { type Bucket, type S3ObjectVersion, invalidArgument } from "./s3-store";
import { isoDate } from "./s3-xml";
import { xmlOk, bucketOp, owner } from "./s3-ops";

interface ListEntry {
  key?: string;
  prefix?: string;
}

function currentKeys(b: Bucket): string[] {
  return Object.keys(b.objects)
    .filter((k) => {
      const list = b.objects[k];
      return list.length && !list[list.length - 1].deleteMarker;
    })
    .sort();
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
    if (out.length >= max) {
      truncated = true;
      break;
    }
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

const objectEntry = (k: string, v: S3ObjectVersion) => ({
  Key: k,
  LastModified: isoDate(v.lastModified),
  ETag: v.etag,
  Size: v.size,
  StorageClass: "STANDARD",
});

export const listingOperations = {
  ListObjectsV2: bucketOp("s3:ListBucket", false, (i, _ctx, b) => {
    const q = i.req.query;
    const prefix = q.get("prefix") ?? "";
    const delimiter = q.get("delimiter") || undefined;
    const max = maxKeys(q.get("max-keys"));
    const token = q.get("continuation-token") ?? undefined;
    let after = q.get("start-after") ?? undefined;
    if (token !== undefined) {
      try {
        after = Buffer.from(token, "base64url").toString("utf8");
      } catch {
        throw invalidArgument("The continuation token provided is incorrect", "continuation-token", token);
      }
    }
    const { out, truncated } = listKeys(currentKeys(b), prefix, delimiter, after, max);
    const last = out[out.length - 1];
    const enc = q.get("encoding-type") === "url" ? encodeURIComponent : (s: string) => s;
    return xmlOk("ListBucketResult", {
      Name: b.name,
      Prefix: enc(prefix),
      Delimiter: delimiter ? enc(delimiter) : undefined,
      MaxKeys: max,
      KeyCount: out.length,
      IsTruncated: truncated,
      EncodingType: q.get("encoding-type") ?? undefined,
      ContinuationToken: token,
      StartAfter: q.get("start-after") ?? undefined,
      NextContinuationToken: truncated && last ? Buffer.from(last.key ?? last.prefix!, "utf8").toString("base64url") : undefined,
      Contents: out
        .filter((e) => e.key)
        .map((e) => {
          const list = b.objects[e.key!];
          return {
            ...objectEntry(enc(e.key!), list[list.length - 1]),
            Owner: q.get("fetch-owner") === "true" ? owner(b.owner) : undefined,
          };
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
      Name: b.name,
      Prefix: prefix,
      Marker: marker ?? "",
      Delimiter: delimiter,
      MaxKeys: max,
      IsTruncated: truncated,
      NextMarker: truncated && delimiter && last ? (last.key ?? last.prefix) : undefined,
      Contents: out
        .filter((e) => e.key)
        .map((e) => {
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
    for (const key of Object.keys(b.objects)
      .filter((k) => k.startsWith(prefix))
      .sort()) {
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
      Name: b.name,
      Prefix: prefix,
      KeyMarker: keyMarker ?? "",
      VersionIdMarker: versionMarker ?? "",
      MaxKeys: max,
      IsTruncated: truncated,
      NextKeyMarker: truncated ? last?.key : undefined,
      NextVersionIdMarker: truncated ? last?.v.versionId : undefined,
      Version: pageEntries
        .filter((e) => !e.v.deleteMarker)
        .map((e) => ({
          Key: e.key,
          VersionId: e.v.versionId,
          IsLatest: e.latest,
          LastModified: isoDate(e.v.lastModified),
          ETag: e.v.etag,
          Size: e.v.size,
          StorageClass: "STANDARD",
          Owner: owner(b.owner),
        })),
      DeleteMarker: pageEntries
        .filter((e) => e.v.deleteMarker)
        .map((e) => ({
          Key: e.key,
          VersionId: e.v.versionId,
          IsLatest: e.latest,
          LastModified: isoDate(e.v.lastModified),
          Owner: owner(b.owner),
        })),
    });
  }),
};
