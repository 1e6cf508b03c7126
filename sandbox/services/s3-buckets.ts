/** S3 buckets: list, create, head, locate, delete, ownership controls, versioning and tags. */
import { authorize } from "../access";
import { denialMessage } from "../policy/evaluate";
import type { WireResponse } from "../protocols/types";
import { op } from "../registry";
import {
  type Bucket,
  type Ownership,
  authorizeS3,
  bucketArn,
  checkBucketName,
  findBucket,
  invalidArgument,
  s3Context,
  s3State,
} from "./s3-store";
import { S3Error, type XmlNode, child, childrenNamed, isoDate, malformedXml, parseXml, textOf } from "./s3-xml";
import { type S3Input, header, ok, xmlOk, bodyXml, bucketOp, owner } from "./s3-ops";

/** Default quota "General purpose buckets per account" (S3 User Guide, BucketRestrictions). */
const GENERAL_PURPOSE_BUCKETS_PER_ACCOUNT = 10_000;
/** ListBuckets: max-buckets 1–10000; without it S3 applies a page size of 10,000 (ListBuckets API reference). */
const LIST_BUCKETS_DEFAULT_PAGE = 10_000;

/** A TagSet element (PutBucketTagging, CreateBucketConfiguration.Tags) → tags, with S3's tag rules. */
function tagSet(node: XmlNode | undefined): { Key: string; Value: string }[] {
  const tags = childrenNamed(node, "Tag").map((t) => ({ Key: textOf(t, "Key") ?? "", Value: textOf(t, "Value") ?? "" }));
  if (tags.length > 50) throw new S3Error("BadRequest", "Object tags cannot be greater than 50", 400);
  if (new Set(tags.map((t) => t.Key)).size !== tags.length)
    throw new S3Error("InvalidTag", "Cannot provide multiple Tags with the same key", 400);
  for (const t of tags) {
    if (!t.Key || t.Key.length > 128 || t.Value.length > 256)
      throw new S3Error("InvalidTag", "The TagKey you have provided is invalid", 400);
    if (t.Key.startsWith("aws:")) throw new S3Error("InvalidTag", "System tags cannot be added/updated by requester", 400);
  }
  return tags;
}

export const bucketOperations = {
  ListBuckets: op<S3Input, WireResponse>({
    iamAction: "s3:ListAllMyBuckets",
    mutating: false,
    auth: "handler",
    resources: () => "*",
    handler: (_i, ctx) => {
      const r = authorize(ctx.world, ctx.caller, "s3:ListAllMyBuckets", "*", {
        now: ctx.now,
        region: ctx.region,
        requireBoth: false,
        context: s3Context(undefined),
      });
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
        if (!after || Buffer.from(after, "utf8").toString("base64url") !== token)
          throw invalidArgument("The continuation token provided is incorrect", "continuation-token", token);
      }
      const names = Object.keys(s3State(ctx.world, ctx.account).buckets).sort();
      const all = s3State(ctx.world, ctx.account).buckets;
      const page: Bucket[] = [];
      let truncated = false;
      for (const n of names) {
        if (after !== undefined && n <= after) continue;
        if (prefix !== undefined && !n.startsWith(prefix)) continue;
        if (region !== undefined && all[n].region !== region) continue;
        if (page.length === max) {
          truncated = true;
          break;
        }
        page.push(all[n]);
      }
      return xmlOk("ListAllMyBucketsResult", {
        Owner: owner(ctx.account),
        Buckets: {
          Bucket: page.map((b) => ({
            Name: b.name,
            CreationDate: isoDate(b.createdAt),
            BucketRegion: b.region,
            BucketArn: bucketArn(b.name),
          })),
        },
        ContinuationToken: truncated ? Buffer.from(page[page.length - 1].name, "utf8").toString("base64url") : undefined,
        Prefix: prefix,
      });
    },
  }),
  CreateBucket: op<S3Input, WireResponse>({
    iamAction: "s3:CreateBucket",
    mutating: true,
    auth: "handler",
    resources: (i) => bucketArn(i.bucket),
    handler: (i, ctx) => {
      checkBucketName(i.bucket);
      const text = i.req.body.toString("utf8").trim();
      const config = text ? parseXml(text) : undefined;
      const constraint = config ? textOf(config, "LocationConstraint") || undefined : undefined;
      const tags = config && child(config, "Tags") ? tagSet(child(config, "Tags")) : undefined;
      const ownership = (header(i.req, "x-amz-object-ownership") ?? "BucketOwnerEnforced") as Ownership;
      if (!["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"].includes(ownership))
        throw invalidArgument("Invalid x-amz-object-ownership header", "x-amz-object-ownership", ownership);
      const r = authorize(ctx.world, ctx.caller, "s3:CreateBucket", bucketArn(i.bucket), {
        now: ctx.now,
        region: ctx.region,
        requireBoth: false,
        resourceAccount: ctx.account,
        context: s3Context(undefined, {
          "s3:LocationConstraint": constraint,
          "s3:x-amz-object-ownership": ownership,
          "s3:x-amz-acl": header(i.req, "x-amz-acl"),
        }),
      });
      if (r.decision !== "allow")
        throw new S3Error("AccessDenied", denialMessage(ctx.caller.arn, "s3:CreateBucket", `"${bucketArn(i.bucket)}"`, r), 403);
      if (tags?.length) {
        // Tags on creation also need s3:TagResource (CreateBucketConfiguration.Tags, S3 API reference).
        const t = authorize(ctx.world, ctx.caller, "s3:TagResource", bucketArn(i.bucket), {
          now: ctx.now,
          region: ctx.region,
          requireBoth: false,
          resourceAccount: ctx.account,
          context: s3Context(undefined, {
            ...Object.fromEntries(tags.map((x) => [`aws:RequestTag/${x.Key}`, x.Value])),
            "aws:TagKeys": tags.map((x) => x.Key),
          }),
        });
        if (t.decision !== "allow")
          throw new S3Error("AccessDenied", denialMessage(ctx.caller.arn, "s3:TagResource", `"${bucketArn(i.bucket)}"`, t), 403);
      }
      if (constraint === "us-east-1")
        throw new S3Error("InvalidLocationConstraint", "The specified location-constraint is not valid", 400, {
          LocationConstraint: constraint,
        });
      const region = constraint ?? "us-east-1";
      if (region !== ctx.region) {
        throw new S3Error(
          "IllegalLocationConstraintException",
          `The ${constraint ?? "unspecified"} location constraint is incompatible for the region specific endpoint this request was sent to.`,
          400,
        );
      }
      const acl = header(i.req, "x-amz-acl");
      if (acl && acl !== "private" && ownership === "BucketOwnerEnforced")
        throw new S3Error(
          "InvalidBucketAclWithObjectOwnership",
          "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
          400,
        );
      const existing = findBucket(ctx.world, i.bucket);
      if (existing) {
        if (existing.owner !== ctx.account)
          throw new S3Error(
            "BucketAlreadyExists",
            "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
            409,
            { BucketName: i.bucket },
          );
        if (existing.region === "us-east-1" && region === "us-east-1") return ok(200, { location: `/${i.bucket}` }); // AWS legacy: success
        throw new S3Error(
          "BucketAlreadyOwnedByYou",
          "Your previous request to create the named bucket succeeded and you already own it.",
          409,
          { BucketName: i.bucket },
        );
      }
      const own = s3State(ctx.world, ctx.account).buckets;
      if (Object.keys(own).length >= GENERAL_PURPOSE_BUCKETS_PER_ACCOUNT)
        throw new S3Error("TooManyBuckets", "You have attempted to create more buckets than allowed.", 400);
      own[i.bucket] = {
        name: i.bucket,
        owner: ctx.account,
        region,
        createdAt: ctx.now,
        ownership,
        publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
        objects: {},
        ...(tags?.length ? { tags } : {}),
      };
      return ok(200, { location: `/${i.bucket}` });
    },
  }),
  HeadBucket: op<S3Input, WireResponse>({
    iamAction: "s3:ListBucket",
    mutating: false,
    auth: "handler",
    resources: (i) => bucketArn(i.bucket),
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
  GetBucketLocation: bucketOp(
    "s3:GetBucketLocation",
    false,
    (_i, _ctx, b) => ({
      status: 200,
      headers: { "content-type": "application/xml" },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${b.region === "us-east-1" ? "" : b.region}</LocationConstraint>`,
    }),
    { anyRegion: true },
  ),
  DeleteBucket: bucketOp("s3:DeleteBucket", true, (_i, ctx, b) => {
    const lists = Object.values(b.objects);
    if (lists.some((l) => l.length)) {
      throw new S3Error(
        "BucketNotEmpty",
        b.versioning
          ? "The bucket you tried to delete is not empty. You must delete all versions in the bucket."
          : "The bucket you tried to delete is not empty",
        409,
        { BucketName: b.name },
      );
    }
    delete s3State(ctx.world, b.owner).buckets[b.name];
    return ok(204);
  }),
  PutBucketOwnershipControls: bucketOp("s3:PutBucketOwnershipControls", true, (i, _ctx, b) => {
    const rules = childrenNamed(bodyXml(i), "Rule");
    const value = textOf(rules[0], "ObjectOwnership");
    if (rules.length !== 1 || !value || !["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"].includes(value))
      throw malformedXml();
    b.ownership = value as Ownership;
    return ok(200);
  }),
  GetBucketOwnershipControls: bucketOp("s3:GetBucketOwnershipControls", false, (_i, _ctx, b) => {
    if (!b.ownership)
      throw new S3Error("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", 404, { BucketName: b.name });
    return xmlOk("OwnershipControls", { Rule: { ObjectOwnership: b.ownership } });
  }),
  DeleteBucketOwnershipControls: bucketOp("s3:PutBucketOwnershipControls", true, (_i, _ctx, b) => {
    delete b.ownership;
    return ok(204);
  }),
  PutBucketVersioning: bucketOp("s3:PutBucketVersioning", true, (i, _ctx, b) => {
    const x = bodyXml(i);
    const status = textOf(x, "Status");
    if (x.name !== "VersioningConfiguration" || (status !== "Enabled" && status !== "Suspended")) throw malformedXml();
    b.versioning = status;
    return ok(200);
  }),
  GetBucketVersioning: bucketOp("s3:GetBucketVersioning", false, (_i, _ctx, b) =>
    xmlOk("VersioningConfiguration", { Status: b.versioning }),
  ),
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
};
