import { AwsError } from "../errors";
import type { WireResponse } from "./types";
import { escapeXml } from "./xml";

/** REST-XML (S3, path-style). Only error rendering so far; the S3 service will add request parsing. */
export function renderRestXmlError(err: AwsError, requestId: string, resource = ""): WireResponse {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>` +
    (resource ? `<Resource>${escapeXml(resource)}</Resource>` : "") +
    `<RequestId>${requestId}</RequestId></Error>`;
  return { status: err.status, headers: { "content-type": "application/xml", "x-amz-request-id": requestId }, body };
}
