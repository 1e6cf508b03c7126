import { AwsError } from "../errors";
import { renderRestXmlError } from "../protocols/restxml";
import type { ServiceDef } from "../registry";

/**
 * S3 placeholder: path-style REST-XML (`/bucket/key`) is reserved for S3. Every request whose SigV4 scope names
 * "s3" lands here; the S3 slice replaces this rawHandler with real bucket/object operations.
 */
export const s3Service: ServiceDef = {
  name: "s3",
  protocol: "rest-xml",
  operations: {},
  rawHandler: async (req, ctx) =>
    renderRestXmlError(new AwsError("NotImplemented", "The sandbox does not implement S3 yet.", 501, "Receiver"), ctx.requestId, req.path),
};
