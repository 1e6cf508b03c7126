/** "rest-json": REST paths with JSON bodies (CodeStar Notifications); errors render as JSON with x-amzn-errortype. */
export type ProtocolName = "query" | "json" | "rest-xml" | "rest-json";

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface ParsedRequest {
  /** Operation name, e.g. "CreateRole" (undefined when the request names none). */
  action?: string;
  input: Record<string, unknown>;
}
