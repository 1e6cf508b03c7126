/** The request shape and response helpers every S3 operation file shares, and the bucket/object operation wrappers. */
import type { WireResponse } from "../protocols/types";
import { type OpContext, type RawRequest, op } from "../registry";
import { type Bucket, authorizeS3, bucketArn, bucketForRequest, objectArn } from "./s3-store";
import { S3Error, parseXml, xmlDocument } from "./s3-xml";

export interface S3Input {
  req: RawRequest;
  bucket: string;
  key: string;
}
export type Handler = (i: S3Input, ctx: OpContext) => WireResponse;

export const header = (req: RawRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};
export const ok = (status = 200, headers: Record<string, string> = {}, body: string | Buffer = ""): WireResponse => ({
  status,
  headers,
  body,
});
export const xmlOk = (root: string, value: unknown, headers: Record<string, string> = {}): WireResponse =>
  ok(200, { "content-type": "application/xml", ...headers }, xmlDocument(root, value));
export const bool = (v: string | undefined) => v?.toLowerCase() === "true";

export function bodyXml(i: S3Input) {
  const text = i.req.body.toString("utf8").trim();
  if (!text) throw new S3Error("MissingRequestBodyError", "Request Body is empty", 400);
  return parseXml(text);
}

/** Bucket-level operation: bucket must exist (and be in the request's region), then identity + bucket policy. */
export function bucketOp(
  iamAction: string,
  mutating: boolean,
  handler: (i: S3Input, ctx: OpContext, b: Bucket) => WireResponse,
  o: { anyRegion?: boolean } = {},
) {
  return op<S3Input, WireResponse>({
    iamAction,
    mutating,
    auth: "handler",
    resources: (i) => bucketArn(i.bucket),
    handler: (i, ctx) => {
      const b = bucketForRequest(ctx.world, i.bucket, o.anyRegion ? undefined : ctx.region);
      authorizeS3(ctx.world, ctx.caller, iamAction, bucketArn(b.name), b, { now: ctx.now });
      return handler(i, ctx, b);
    },
  });
}

export function objectOp(iamAction: string, mutating: boolean, handler: Handler) {
  return op<S3Input, WireResponse>({ iamAction, mutating, auth: "handler", resources: (i) => objectArn(i.bucket, i.key), handler });
}

export const owner = (account: string) => ({ ID: account, DisplayName: account });
