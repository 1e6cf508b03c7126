/** S3 wire helpers: a tiny XML reader for request bodies, response/error rendering, aws-chunked decoding. */
import { AwsError } from "../errors";
import type { WireResponse } from "../protocols/types";
import { escapeXml } from "../protocols/xml";

export const S3_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

/** A parsed XML element: name, text (concatenated direct text) and child elements in order. */
export interface XmlNode {
  name: string;
  text: string;
  children: XmlNode[];
}

const unescape = (s: string) =>
  s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
    e === "lt"
      ? "<"
      : e === "gt"
        ? ">"
        : e === "amp"
          ? "&"
          : e === "quot"
            ? '"'
            : e === "apos"
              ? "'"
              : e.startsWith("#x")
                ? String.fromCodePoint(parseInt(e.slice(2), 16))
                : String.fromCodePoint(Number(e.slice(1))),
  );

export const malformedXml = () =>
  new AwsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema", 400);

/** Parse a small XML document (no DTDs; namespaces kept as part of names, prefixes stripped). */
export function parseXml(text: string): XmlNode {
  let i = 0;
  const s = text.replace(/^\uFEFF/, "");
  const skipMisc = () => {
    for (;;) {
      while (i < s.length && /\s/.test(s[i])) i++;
      if (s.startsWith("<?", i)) {
        const e = s.indexOf("?>", i);
        if (e < 0) throw malformedXml();
        i = e + 2;
        continue;
      }
      if (s.startsWith("<!--", i)) {
        const e = s.indexOf("-->", i);
        if (e < 0) throw malformedXml();
        i = e + 3;
        continue;
      }
      return;
    }
  };
  const parseElement = (): XmlNode => {
    const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(s.slice(i));
    if (!m) throw malformedXml();
    i += m[0].length;
    const node: XmlNode = { name: m[1].replace(/^[\w.-]+:/, ""), text: "", children: [] };
    if (m[3] === "/") return node;
    for (;;) {
      if (i >= s.length) throw malformedXml();
      if (s.startsWith("</", i)) {
        const e = s.indexOf(">", i);
        const close = s.slice(i + 2, e).trim();
        if (e < 0 || close !== m[1]) throw malformedXml();
        i = e + 1;
        return node;
      }
      if (s.startsWith("<!--", i)) {
        const e = s.indexOf("-->", i);
        if (e < 0) throw malformedXml();
        i = e + 3;
        continue;
      }
      if (s.startsWith("<![CDATA[", i)) {
        const e = s.indexOf("]]>", i);
        if (e < 0) throw malformedXml();
        node.text += s.slice(i + 9, e);
        i = e + 3;
        continue;
      }
      if (s[i] === "<") {
        node.children.push(parseElement());
        continue;
      }
      const next = s.indexOf("<", i);
      if (next < 0) throw malformedXml();
      node.text += unescape(s.slice(i, next));
      i = next;
    }
  };
  skipMisc();
  const root = parseElement();
  skipMisc();
  if (i !== s.length) throw malformedXml();
  return root;
}

export const child = (n: XmlNode | undefined, name: string) => n?.children.find((c) => c.name === name);
export const childrenNamed = (n: XmlNode | undefined, name: string) => n?.children.filter((c) => c.name === name) ?? [];
export const textOf = (n: XmlNode | undefined, name: string): string | undefined => {
  const c = child(n, name);
  return c ? c.text.trim() : undefined;
};

/** Render a value as XML children: objects → elements, arrays → the element repeated (S3 lists are flattened). */
export function xml(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "object") return escapeXml(String(value));
  let out = "";
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) out += v.map((item) => `<${k}>${xml(item)}</${k}>`).join("");
    else out += `<${k}>${xml(v)}</${k}>`;
  }
  return out;
}

export function xmlDocument(root: string, body: unknown): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_XMLNS}">${xml(body)}</${root}>`;
}

export const httpDate = (ms: number) => new Date(ms).toUTCString();
export const isoDate = (ms: number) => new Date(ms).toISOString();

/** An S3 error with its extra elements (BucketName, Key…) and headers. */
export class S3Error extends AwsError {
  constructor(
    code: string,
    message: string,
    status: number,
    public extra: Record<string, string> = {},
    public headers: Record<string, string> = {},
  ) {
    super(code, message, status);
  }
}

export function renderS3Error(err: AwsError, requestId: string, method: string): WireResponse {
  const extra = err instanceof S3Error ? err.extra : {};
  const headers: Record<string, string> = {
    "x-amz-request-id": requestId,
    "x-amz-id-2": `sandbox/${requestId}`,
    ...(err instanceof S3Error ? err.headers : {}),
  };
  if (method === "HEAD") return { status: err.status, headers, body: "" };
  headers["content-type"] = "application/xml";
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>` +
    Object.entries(extra)
      .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
      .join("") +
    `<RequestId>${requestId}</RequestId><HostId>sandbox/${requestId}</HostId></Error>`;
  return { status: err.status, headers, body };
}

/**
 * Decode an `aws-chunked` body: `<hex size>[;chunk-signature=…]\r\n<data>\r\n` … `0\r\n` then optional trailer
 * lines `name:value\r\n` and a final `\r\n`. Returns the payload and the trailers (e.g. x-amz-checksum-crc32).
 */
export function decodeAwsChunked(body: Buffer): { data: Buffer; trailers: Record<string, string> } {
  const parts: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let pos = 0;
  const bad = () => new AwsError("IncompleteBody", "The request body terminated unexpectedly", 400);
  const line = (): string => {
    const e = body.indexOf("\r\n", pos);
    if (e < 0) throw bad();
    const l = body.subarray(pos, e).toString("latin1");
    pos = e + 2;
    return l;
  };
  for (;;) {
    const header = line();
    const size = parseInt(header.split(";")[0].trim(), 16);
    if (Number.isNaN(size)) throw bad();
    if (size === 0) break;
    if (pos + size > body.length) throw bad();
    parts.push(body.subarray(pos, pos + size));
    pos += size;
    if (body.subarray(pos, pos + 2).toString("latin1") !== "\r\n") throw bad();
    pos += 2;
  }
  while (pos < body.length) {
    const l = line();
    if (l === "") break;
    const c = l.indexOf(":");
    if (c > 0) trailers[l.slice(0, c).trim().toLowerCase()] = l.slice(c + 1).trim();
  }
  return { data: Buffer.concat(parts), trailers };
}
