import { AwsError } from "../errors";
import { forbiddenKey, forbiddenSegment } from "./safe-keys";
import type { ParsedRequest, WireResponse } from "./types";
import { element, escapeXml, toXml } from "./xml";

/**
 * AWS query protocol (STS, IAM): form-encoded `Action=...&Version=...&A.member.1.B=...`.
 * Parameters are unflattened: `Tags.member.1.Key` → `{ Tags: [{ Key }] }`, `PolicyArns.member.2` → `PolicyArns[1]`.
 */
export function parseQuery(body: string, search: URLSearchParams): ParsedRequest {
  const params = new URLSearchParams(body);
  for (const [k, v] of search) if (!params.has(k)) params.set(k, v);
  const input: Record<string, unknown> = {};
  let action: string | undefined;
  for (const [key, value] of params) {
    if (key === "Action") {
      action = value;
      continue;
    }
    if (key === "Version" || key.startsWith("X-Amz-")) continue;
    const segs = key.split(".").filter((s) => s !== "member" && s !== "entry");
    const bad = segs.find(forbiddenSegment);
    if (bad !== undefined) throw forbiddenKey(bad);
    setPath(input, segs, value);
  }
  return { action, input };
}

function setPath(target: Record<string, unknown> | unknown[], segs: string[], value: string): void {
  let cur: any = target;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const last = i === segs.length - 1;
    const key: string | number = /^\d+$/.test(seg) ? Number(seg) - 1 : seg;
    if (last) {
      cur[key] = value;
      return;
    }
    const nextIsIndex = /^\d+$/.test(segs[i + 1]);
    if (cur[key] === undefined) cur[key] = nextIsIndex ? [] : {};
    cur = cur[key];
  }
}

export function renderQueryResult(action: string, xmlns: string, result: unknown, requestId: string): WireResponse {
  const inner =
    (result === undefined ? "" : element(`${action}Result`, toXml(result))) +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`;
  return {
    status: 200,
    headers: { "content-type": "text/xml" },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n` + element(`${action}Response`, inner, { xmlns }),
  };
}

export function renderQueryError(err: AwsError, xmlns: string, requestId: string): WireResponse {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    element(
      "ErrorResponse",
      `<Error><Type>${err.type}</Type><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error>` +
        `<RequestId>${requestId}</RequestId>`,
      { xmlns },
    );
  return { status: err.status, headers: { "content-type": "text/xml" }, body };
}
