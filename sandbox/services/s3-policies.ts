/** S3 bucket policies and Block Public Access: who may read and write a bucket beyond its owner's identities. */
import { AwsError } from "../errors";
import { type PolicyDocument, asList } from "../policy/types";
import { parsePolicyDocument } from "../policy/validate";
import type { WireResponse } from "../protocols/types";
import { type OpContext, op } from "../registry";
import { type Bucket, type PublicAccessBlock, authorizeS3, bucketArn, bucketForRequest } from "./s3-store";
import { bareUniqueId, principalIdsOf, storedPolicyText } from "./principal-ids";
import { S3Error, malformedXml, textOf } from "./s3-xml";
import { type S3Input, ok, xmlOk, bool, bodyXml, bucketOp } from "./s3-ops";

const BUCKET_POLICY_MAX_BYTES = 20 * 1024;

/**
 * Get/Put/DeleteBucketPolicy: identity + bucket policy first (403), then only identities of the bucket owner's
 * account (405 MethodNotAllowed even when allowed); the owner's root may always, even against a Deny in the bucket
 * policy (PutBucketPolicy API reference, "Permissions").
 */
function bucketPolicyOp(iamAction: string, mutating: boolean, handler: (i: S3Input, ctx: OpContext, b: Bucket) => WireResponse) {
  return op<S3Input, WireResponse>({
    iamAction,
    mutating,
    auth: "handler",
    resources: (i) => bucketArn(i.bucket),
    handler: (i, ctx) => {
      const b = bucketForRequest(ctx.world, i.bucket, ctx.region);
      const ownerRoot = ctx.caller.type === "root" && ctx.caller.account === b.owner;
      if (!ownerRoot) authorizeS3(ctx.world, ctx.caller, iamAction, bucketArn(b.name), b, { now: ctx.now });
      if (ctx.caller.account !== b.owner)
        throw new S3Error("MethodNotAllowed", "The specified method is not allowed against this resource.", 405, {
          Method: i.req.method,
          ResourceType: "BUCKETPOLICY",
        });
      return handler(i, ctx, b);
    },
  });
}

function checkBucketPolicy(text: string, b: Bucket, ctx: OpContext): PolicyDocument {
  const malformed = (m: string) => new S3Error("MalformedPolicy", m, 400);
  if (!text.trim().startsWith("{")) throw malformed("Policies must be valid JSON and the first byte must be '{'");
  try {
    JSON.parse(text);
  } catch {
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  }
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
    for (const a of asList(st.Action ?? st.NotAction))
      if (a !== "*" && !a.toLowerCase().startsWith("s3:")) throw malformed("Policy has invalid action");
    for (const r of asList(st.Resource ?? st.NotResource)) {
      if (
        r !== bucketArn(b.name) &&
        !r.startsWith(`${bucketArn(b.name)}/`) &&
        !(r.endsWith("*") && bucketArn(b.name).startsWith(r.slice(0, -1)))
      )
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
  const restricting =
    /^(aws:(PrincipalAccount|PrincipalArn|PrincipalOrgID|SourceAccount|SourceArn|SourceVpc|SourceVpce|SourceOwner|userid|SourceIp)|s3:DataAccessPointAccount)$/i;
  return asList(doc.Statement).some((st) => {
    if (st.Effect !== "Allow") return false;
    const p = st.Principal;
    const star = p === "*" || (typeof p === "object" && asList(p?.AWS).includes("*"));
    if (!star) return false;
    const keys = Object.values(st.Condition ?? {}).flatMap((block) => Object.keys(block ?? {}));
    return !keys.some((k) => restricting.test(k));
  });
}

export const policyOperations = {
  PutPublicAccessBlock: bucketOp("s3:PutBucketPublicAccessBlock", true, (i, _ctx, b) => {
    const x = bodyXml(i);
    if (x.name !== "PublicAccessBlockConfiguration") throw malformedXml();
    b.publicAccessBlock = {
      BlockPublicAcls: bool(textOf(x, "BlockPublicAcls")),
      IgnorePublicAcls: bool(textOf(x, "IgnorePublicAcls")),
      BlockPublicPolicy: bool(textOf(x, "BlockPublicPolicy")),
      RestrictPublicBuckets: bool(textOf(x, "RestrictPublicBuckets")),
    };
    return ok(200);
  }),
  GetPublicAccessBlock: bucketOp("s3:GetBucketPublicAccessBlock", false, (_i, _ctx, b) => {
    if (!b.publicAccessBlock)
      throw new S3Error("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", 404, {
        BucketName: b.name,
      });
    return xmlOk("PublicAccessBlockConfiguration", b.publicAccessBlock satisfies PublicAccessBlock);
  }),
  DeletePublicAccessBlock: bucketOp("s3:PutBucketPublicAccessBlock", true, (_i, _ctx, b) => {
    delete b.publicAccessBlock;
    return ok(204);
  }),
  PutBucketPolicy: bucketPolicyOp("s3:PutBucketPolicy", true, (i, ctx, b) => {
    const text = i.req.body.toString("utf8");
    const doc = checkBucketPolicy(text, b, ctx);
    if (b.publicAccessBlock?.BlockPublicPolicy && isPublicPolicy(doc)) {
      throw new S3Error(
        "AccessDenied",
        `User: ${ctx.caller.arn} is not authorized to perform: s3:PutBucketPolicy on resource: "${bucketArn(b.name)}" because public policies are blocked by the BlockPublicPolicy block public access setting.`,
        403,
      );
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
};
